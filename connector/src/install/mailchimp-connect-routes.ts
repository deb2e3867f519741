import {randomBytes, timingSafeEqual} from 'node:crypto';
import express, {type Request, type Response, type Router} from 'express';
import {problem, sendProblem, type ProblemDocument} from '../http/problem.js';
import {dataCenterFromApiKey, InvalidCredentialsError} from '../mailchimp/account.js';
import type {InstallContext} from './install-context.js';
import {merchantOf} from './merchant-session.js';
import {
  authorizeUrl,
  describeToken,
  exchangeCode,
  MAILCHIMP_CALLBACK_PATH,
  MailchimpOAuthError,
  mailchimpRedirectUri,
  pingApiKey,
  type MailchimpOAuthApp,
} from './mailchimp-oauth.js';

/** The signed cookie that binds an OAuth round trip to the browser and the shop that started it. */
export const MAILCHIMP_STATE_COOKIE = 'msb_mc_state';
/** How long a started connect may take (the merchant logs in to Mailchimp meanwhile). */
const STATE_MAX_AGE_SECONDS = 10 * 60;

interface StatePayload {
  nonce: string;
  connectionId: string;
}

/**
 * Connecting the shop's Mailchimp account (issue #14), for the merchant's session:
 *
 * - `GET /mailchimp/connect`: sets a signed, short-lived state cookie `{nonce, connectionId}` and redirects to
 *   Mailchimp's authorize URL with `state=<nonce>` (404 problem+json without MAILCHIMP_CLIENT_ID: paste a key).
 * - `GET /mailchimp/callback`: the state must equal the cookie's nonce and the cookie's connection the session's;
 *   the code is exchanged, the metadata gives the API endpoint, the token is stored sealed; then 302 to `/app`.
 *   Refusals store nothing and answer problem+json (a small HTML page linking back to `/app` for a browser).
 * - `POST /app/api/mailchimp/api-key {api_key}`: the key is checked with `/ping` before it is stored.
 *
 * Both ways resume a connection that needed a reconnect (context.onMailchimpConnected). Secrets (client secret, code,
 * token, key) never appear in a redirect's query string other than Mailchimp's own, in a log or in an answer.
 */
export function mailchimpConnectRouter(ctx: InstallContext): Router {
  const router = express.Router();
  const log = ctx.logger.child({feature: 'mailchimp-connect'});
  const requireSession = ctx.sessions.requireSession();
  const stateCookie = {
    path: '/mailchimp',
    get secure() {
      return ctx.secureCookies();
    },
  };

  const oauthApp = (): MailchimpOAuthApp | undefined => {
    const {MAILCHIMP_CLIENT_ID, MAILCHIMP_CLIENT_SECRET, MAILCHIMP_OAUTH_URL} = ctx.config;
    const publicUrl = ctx.publicUrl();
    if (!MAILCHIMP_CLIENT_ID || !MAILCHIMP_CLIENT_SECRET || !publicUrl) return undefined;
    return {
      clientId: MAILCHIMP_CLIENT_ID,
      clientSecret: MAILCHIMP_CLIENT_SECRET,
      oauthUrl: MAILCHIMP_OAUTH_URL,
      redirectUri: mailchimpRedirectUri(publicUrl),
      timeoutMs: ctx.config.MAILCHIMP_TIMEOUT_MS,
    };
  };
  const notConfigured = (req: Request) =>
    ctx.config.MAILCHIMP_CLIENT_ID
      ? problem(
          503,
          'public-url-unknown',
          'Service Unavailable',
          'PUBLIC_URL is not set, so Mailchimp cannot be told where to send the merchant back.',
          {instance: req.path},
        )
      : problem(
          404,
          'mailchimp-oauth-not-configured',
          'Not Found',
          'Connecting with Mailchimp OAuth is not configured on this deployment (MAILCHIMP_CLIENT_ID). Paste a ' +
            "Mailchimp API key on the shop's page instead (POST /app/api/mailchimp/api-key).",
          {instance: req.path},
        );

  router.get('/mailchimp/connect', requireSession, (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const app = oauthApp();
    if (!app) return sendProblem(res, notConfigured(req));
    const {connectionId} = merchantOf(res);
    const nonce = randomBytes(24).toString('base64url');
    ctx.cookies.set(res, MAILCHIMP_STATE_COOKIE, {nonce, connectionId} satisfies StatePayload, {
      maxAgeSeconds: STATE_MAX_AGE_SECONDS,
      secure: stateCookie.secure,
      path: stateCookie.path,
    });
    res.redirect(302, authorizeUrl(app, nonce));
  });

  router.get(MAILCHIMP_CALLBACK_PATH, requireSession, async (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    const session = merchantOf(res);
    // The state cookie serves one round trip, whatever its outcome.
    const state = ctx.cookies.read<Partial<StatePayload>>(req, MAILCHIMP_STATE_COOKIE);
    ctx.cookies.clear(res, MAILCHIMP_STATE_COOKIE, {secure: stateCookie.secure, path: stateCookie.path});
    const refuse = (doc: ProblemDocument) => {
      log.warn({shop: session.shop, reason: doc.type.split('/').pop()}, 'Mailchimp connect refused');
      answerRefusal(req, res, doc);
    };
    const query = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined);
    const error = query('error');
    if (error !== undefined) {
      const code = /^[a-z_]{1,64}$/.test(error) ? error : 'error';
      return refuse(
        problem(
          403,
          'mailchimp-authorization-denied',
          'Forbidden',
          `Mailchimp did not authorize the connection (${code}); nothing was stored. Connect again from the shop's page.`,
          {instance: req.path},
        ),
      );
    }
    const given = query('state');
    if (
      typeof state?.nonce !== 'string' ||
      typeof state.connectionId !== 'string' ||
      given === undefined ||
      !sameText(given, state.nonce) ||
      state.connectionId !== session.connectionId
    ) {
      return refuse(
        problem(
          400,
          'invalid-state',
          'Bad Request',
          "This Mailchimp answer does not belong to a connect started from this browser for this shop (missing, expired or different state); nothing was stored. Connect again from the shop's page.",
          {instance: req.path},
        ),
      );
    }
    const code = query('code');
    if (!code) {
      return refuse(
        problem(400, 'missing-code', 'Bad Request', 'Mailchimp sent no authorization code; nothing was stored.', {
          instance: req.path,
        }),
      );
    }
    const app = oauthApp();
    if (!app) return refuse(notConfigured(req));
    try {
      const connection = await ctx.connections.byId(session.connectionId);
      if (!connection) {
        return refuse(
          problem(404, 'no-connection', 'Not Found', 'The shop is no longer installed.', {instance: req.path}),
        );
      }
      const token = await exchangeCode(app, code);
      const account = await describeToken(app, token);
      await ctx.connections.connectMailchimp(
        connection.id,
        account.credentials,
        account.accountName,
        ctx.now().toISOString(),
      );
      log.info(
        {
          shop: connection.shopDomain,
          dc: account.credentials.dc,
          resumed: connection.mailchimpStatus === 'reconnect_needed',
        },
        'Mailchimp connected (OAuth)',
      );
      await ctx.onMailchimpConnected(connection.id);
      res.redirect(302, '/app');
    } catch (err) {
      if (err instanceof MailchimpOAuthError) {
        return refuse(
          problem(502, 'mailchimp-oauth-failed', 'Bad Gateway', `${err.message}; nothing was stored.`, {
            instance: req.path,
          }),
        );
      }
      next(err);
    }
  });

  router.post('/app/api/mailchimp/api-key', requireSession, jsonBody, async (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    const {connectionId, shop} = merchantOf(res);
    const apiKey: unknown = (req.body as {api_key?: unknown}).api_key;
    const invalid = (message: string) =>
      sendProblem(
        res,
        problem(422, 'invalid-api-key', 'Unprocessable Content', `${message}; the key was not stored.`, {
          instance: req.path,
          errors: [{field: 'api_key', message}],
        }),
      );
    if (typeof apiKey !== 'string' || apiKey.trim() === '') return invalid('api_key must be a Mailchimp API key');
    const key = apiKey.trim();
    let dc: string;
    try {
      dc = dataCenterFromApiKey(key);
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return invalid(err.message);
      throw err;
    }
    try {
      const connection = await ctx.connections.byId(connectionId);
      if (!connection)
        return sendProblem(
          res,
          problem(404, 'no-connection', 'Not Found', 'The shop is no longer installed.', {instance: req.path}),
        );
      const baseUrl = (ctx.config.MAILCHIMP_BASE_URL ?? `https://${dc}.api.mailchimp.com/3.0`).replace(/\/+$/, '');
      const check = await pingApiKey(key, baseUrl, ctx.config.MAILCHIMP_TIMEOUT_MS);
      if (!check.ok) {
        log.warn({shop, status: check.status}, 'pasted Mailchimp API key refused');
        if (check.status === undefined)
          return sendProblem(
            res,
            problem(502, 'mailchimp-unreachable', 'Bad Gateway', `${check.answer}; the key was not stored.`, {
              instance: req.path,
            }),
          );
        return invalid(`The key does not work: ${check.answer}`);
      }
      const accountName = check.accountName ?? dc;
      await ctx.connections.connectMailchimp(
        connection.id,
        {kind: 'api_key', apiKey: key, ...(ctx.config.MAILCHIMP_BASE_URL ? {baseUrl} : {})},
        accountName,
        ctx.now().toISOString(),
      );
      log.info({shop, dc, resumed: connection.mailchimpStatus === 'reconnect_needed'}, 'Mailchimp connected (API key)');
      await ctx.onMailchimpConnected(connection.id);
      res.json({mailchimp: {status: 'connected', account: accountName, dc}});
    } catch (err) {
      next(err);
    }
  });

  return router;
}

const parseJson = express.json({limit: '4kb'});

/**
 * JSON bodies only (a cross-site form cannot send one without a preflight, merchant-session.ts), parsed here so that
 * a malformed body's error, which quotes the text, never echoes a key back.
 */
function jsonBody(req: Request, res: Response, next: express.NextFunction): void {
  if (!req.is('application/json')) {
    sendProblem(
      res,
      problem(415, 'json-only', 'Unsupported Media Type', 'Send the body as application/json.', {instance: req.path}),
    );
    return;
  }
  parseJson(req, res, (err?: unknown) => {
    if (err !== undefined && err !== null) {
      const status = (err as {status?: unknown}).status === 413 ? 413 : 400;
      sendProblem(
        res,
        problem(
          status,
          status === 413 ? 'payload-too-large' : 'invalid-json',
          status === 413 ? 'Payload Too Large' : 'Bad Request',
          'The body must be a small JSON object such as {"api_key": "…"}.',
          {instance: req.path},
        ),
      );
      return;
    }
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      sendProblem(
        res,
        problem(400, 'invalid-json', 'Bad Request', 'The body must be a JSON object such as {"api_key": "…"}.', {
          instance: req.path,
        }),
      );
      return;
    }
    next();
  });
}

/** problem+json for API clients; a small page that links back to the shop's page for a browser. */
function answerRefusal(req: Request, res: Response, doc: ProblemDocument): void {
  if (req.accepts(['json', 'html']) !== 'html') return sendProblem(res, doc);
  res
    .status(doc.status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mailchimp was not connected</title></head>
<body>
<main>
<h1>Mailchimp was not connected</h1>
<p>${escapeHtml(doc.detail)}</p>
<p><a href="/app">Back to your shop's page</a></p>
</main>
</body></html>
`,
    );
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
