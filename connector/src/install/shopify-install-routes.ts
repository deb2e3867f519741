import express, {type Request, type Response, type Router} from 'express';
import {
  BotActivityDetected,
  CookieNotFound,
  HttpResponseError,
  InvalidHmacError,
  InvalidOAuthError,
  InvalidShopError,
  type Shopify,
} from '@shopify/shopify-api';
import {problem, sendProblem} from '../http/problem.js';
import type {InstallContext} from './install-context.js';
import {rewriteAdminUrl, routeShop, validShopDomain} from './shopify-app.js';
import {tokenFields} from './shopify-tokens.js';

/** Binds an install's OAuth `state` to the shop it was begun for (shopify-api's state cookie names no shop). */
export const INSTALL_COOKIE = 'msb_shopify_install';
export const CALLBACK_PATH = '/shopify/callback';
/** How long a begun install may take to come back (the merchant's consent page). */
const INSTALL_COOKIE_SECONDS = 600;

export interface ShopifyInstallDeps {
  ctx: InstallContext;
  /** The app's shopify-api instance; undefined without SHOPIFY_API_KEY / SHOPIFY_API_SECRET (the routes answer 404). */
  app: () => Shopify | undefined;
  /** Makes sure the installed shop's webhook subscriptions exist (webhook-subscriptions.ts); must not throw. */
  ensureWebhooks: (connectionId: string) => Promise<unknown>;
}

interface InstallBinding {
  shop: string;
  state: string;
}

/**
 * The Shopify app's front door (authorization code grant for a standalone app, through @shopify/shopify-api):
 *
 * - `GET /shopify/install?shop=<name>.myshopify.com` → 302 to the shop's `/admin/oauth/authorize` (shopify-api's
 *   `auth.begin`, which sets its signed state cookie), plus our own signed cookie binding that state to the shop.
 *   When Shopify itself opens the app for a shop that is installed and has a token (a request signed with the app
 *   secret: `hmac`, `timestamp`), the merchant's session is renewed and the browser goes straight to `/app`. An
 *   unsigned request always goes through OAuth: anyone can type a shop's name into the URL.
 * - `GET /shopify/callback` → shopify-api's `auth.callback` (HMAC, timestamp, state cookie; exchanges the code for
 *   an expiring offline token), then the shop must be the one the install was begun for. On success the tokens
 *   are stored sealed (ConnectionsRepository.installShop), the webhook subscriptions are made, the merchant session
 *   starts and the browser goes to `/app`. Any failure answers problem+json (400/403) and stores nothing.
 */
export function shopifyInstallRouter(deps: ShopifyInstallDeps): Router {
  const {ctx} = deps;
  const router = express.Router();

  const refuse = (req: Request, res: Response, status: number, type: string, title: string, detail: string) =>
    sendProblem(res, problem(status, type, title, detail, {instance: req.path}));

  /** The app, or a problem answered: 404 without the app's credentials, 503 without a public URL. */
  const appOr = (req: Request, res: Response): Shopify | undefined => {
    const app = deps.app();
    if (!app) {
      refuse(req, res, 404, 'not-found', 'Not Found', 'This connector is not configured as a Shopify app.');
      return undefined;
    }
    if (!ctx.publicUrl()) {
      refuse(req, res, 503, 'public-url-missing', 'Service Unavailable', 'Set PUBLIC_URL to install shops.');
      return undefined;
    }
    return app;
  };

  router.get('/shopify/install', async (req, res, next) => {
    try {
      const app = appOr(req, res);
      if (!app) return;
      const shop = validShopDomain(req.query.shop);
      if (!shop) {
        refuse(req, res, 400, 'invalid-shop', 'Bad Request', 'shop must be a <name>.myshopify.com domain.');
        return;
      }
      if (await renewSession(app, req, res, shop)) return;

      routeShop(shop, ctx.shopifyAdminUrl(shop));
      const captured = new CapturedResponse();
      await app.auth.begin({
        shop,
        callbackPath: CALLBACK_PATH,
        isOnline: false,
        rawRequest: req,
        rawResponse: captured,
      });
      const location = captured.header('location');
      if (captured.statusCode !== 302 || typeof location !== 'string') {
        refuse(req, res, 403, 'install-refused', 'Forbidden', 'This request cannot begin an install.');
        return;
      }
      const state = new URL(location).searchParams.get('state');
      if (!state) throw new Error('shopify-api began an install without a state');
      const setCookie = captured.header('set-cookie');
      if (setCookie !== undefined) res.append('Set-Cookie', setCookie);
      const binding: InstallBinding = {shop, state};
      ctx.cookies.set(res, INSTALL_COOKIE, binding, {
        maxAgeSeconds: INSTALL_COOKIE_SECONDS,
        secure: ctx.secureCookies(),
        path: CALLBACK_PATH,
      });
      res.set('Cache-Control', 'no-store');
      // A stand-in shop: its authorize page is at the stand-in's admin URL (shopify-app.ts).
      res.redirect(302, rewriteAdminUrl(location) ?? location);
    } catch (err) {
      next(err);
    }
  });

  /** Shopify opened the app for an installed shop (signed request): a new session, no OAuth round trip. */
  async function renewSession(app: Shopify, req: Request, res: Response, shop: string): Promise<boolean> {
    const query = stringQuery(req);
    if (!query.hmac || !query.timestamp) return false;
    let valid: boolean;
    try {
      valid = await app.utils.validateHmac({...query, shop, timestamp: query.timestamp});
    } catch {
      valid = false;
    }
    if (!valid) return false;
    const connection = await ctx.connections.byShopDomain(shop);
    if (connection?.status !== 'active') return false;
    const credentials = await ctx.connections.shopifyCredentials(connection.id);
    if (!credentials?.accessToken) return false;
    ctx.sessions.start(res, {shop, connectionId: connection.id});
    res.set('Cache-Control', 'no-store');
    res.redirect(302, '/app');
    return true;
  }

  router.get(CALLBACK_PATH, async (req, res, next) => {
    try {
      const app = appOr(req, res);
      if (!app) return;
      const shop = validShopDomain(req.query.shop);
      const binding = ctx.cookies.read<Partial<InstallBinding>>(req, INSTALL_COOKIE);
      // The install cookie is spent whatever happens next.
      ctx.cookies.clear(res, INSTALL_COOKIE, {secure: ctx.secureCookies(), path: CALLBACK_PATH});
      res.set('Cache-Control', 'no-store');
      if (!shop) {
        refuse(req, res, 400, 'invalid-shop', 'Bad Request', 'The callback names no valid shop.');
        return;
      }
      if (!binding || binding.shop !== shop || binding.state !== req.query.state) {
        refuse(
          req,
          res,
          403,
          'install-not-begun',
          'Forbidden',
          'This callback does not belong to an install begun here for this shop: start again from /shopify/install.',
        );
        return;
      }
      routeShop(shop, ctx.shopifyAdminUrl(shop));
      const issuedAt = ctx.now();
      let session;
      try {
        // Verifies the HMAC, the timestamp and shopify-api's own state cookie, then exchanges the code.
        ({session} = await app.auth.callback({expiring: true, rawRequest: req, rawResponse: new CapturedResponse()}));
      } catch (err) {
        const refusal = callbackRefusal(err);
        if (!refusal) throw err;
        ctx.logger.info({shop, reason: refusal.type}, 'Shopify install callback refused');
        refuse(
          req,
          res,
          refusal.status,
          refusal.type,
          refusal.status === 403 ? 'Forbidden' : 'Bad Request',
          refusal.detail,
        );
        return;
      }
      if (session.shop !== shop || !session.accessToken) {
        refuse(req, res, 403, 'install-shop-mismatch', 'Forbidden', 'Shopify answered for another shop.');
        return;
      }
      const config = ctx.config;
      const connection = await ctx.connections.installShop(
        shop,
        {
          apiSecret: config.SHOPIFY_API_SECRET,
          ...tokenFields(session, issuedAt),
          ...(ctx.shopifyAdminUrl(shop) ? {adminUrl: ctx.shopifyAdminUrl(shop)} : {}),
        },
        ctx.now().toISOString(),
      );
      ctx.logger.info({shop, connectionId: connection.id}, 'Shopify shop installed');
      await deps.ensureWebhooks(connection.id);
      ctx.sessions.start(res, {shop, connectionId: connection.id});
      res.redirect(302, '/app');
    } catch (err) {
      next(err);
    }
  });

  return router;
}

/** How a failed callback is answered; undefined for an unexpected failure (500 through the error handler). */
function callbackRefusal(err: unknown): {status: number; type: string; detail: string} | undefined {
  if (err instanceof CookieNotFound)
    return {status: 403, type: 'oauth-state-missing', detail: 'The install state cookie is missing or expired.'};
  if (err instanceof InvalidOAuthError || err instanceof InvalidHmacError)
    return {status: 403, type: 'oauth-invalid', detail: 'The callback is not signed by Shopify for this install.'};
  if (err instanceof BotActivityDetected)
    return {status: 403, type: 'oauth-bot', detail: 'This client cannot complete an install.'};
  if (err instanceof InvalidShopError)
    return {status: 400, type: 'invalid-shop', detail: 'The callback names no valid shop.'};
  if (err instanceof HttpResponseError && err.response.code < 500)
    return {status: 400, type: 'oauth-token-refused', detail: 'Shopify refused to exchange the authorization code.'};
  return undefined;
}

function stringQuery(req: Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query)) if (typeof value === 'string') query[key] = value;
  return query;
}

/**
 * The response shopify-api's node adapter writes to (status, headers, end), kept instead of sent: the begin's
 * redirect is rewritten for a stand-in and its cookie passed on, and the callback's own session cookie
 * (`shopify_app_session`, which the connector does not use) is dropped.
 */
class CapturedResponse {
  statusCode = 200;
  statusMessage = '';
  private readonly headers = new Map<string, string | number | readonly string[]>();

  getHeaders(): Record<string, string | number | readonly string[]> {
    return Object.fromEntries(this.headers);
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }

  header(name: string): string | string[] | undefined {
    const value = this.headers.get(name.toLowerCase());
    if (value === undefined) return undefined;
    return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : [...value];
  }

  write(): boolean {
    return true;
  }

  end(): this {
    return this;
  }
}
