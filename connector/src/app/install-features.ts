import express, {type Router} from 'express';
import type {Config} from '../config/config.js';
import type {Logger} from '../logging/logger.js';
import type {SecretBox} from '../security/secret-box.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import type {InstallContext} from '../install/install-context.js';
import {MerchantSessions} from '../install/merchant-session.js';
import {SignedCookies} from '../install/signed-cookie.js';
import type {Shopify} from '@shopify/shopify-api';
import {createShopifyApp, routeShop} from '../install/shopify-app.js';
import {shopifyInstallRouter} from '../install/shopify-install-routes.js';
import {ShopifyTokens} from '../install/shopify-tokens.js';
import {ensureWebhookSubscriptions} from '../install/webhook-subscriptions.js';
import type {ShopifyAdminClient} from '../shopify-admin/admin-client.js';
import {ShopifyAdminAccess} from '../write-back/shopify-admin-access.js';
import type {ShopifyWebhooksState} from '../store/connections-repository.js';
import type {MerchantDeps} from '../install/merchant-onboarding.js';
import {merchantApiRouter, merchantPageRouter} from '../install/merchant-routes.js';
import {mailchimpConnectRouter} from '../install/mailchimp-connect-routes.js';

export interface InstallFeaturesDeps {
  config: Config;
  connections: ConnectionsRepository;
  box: SecretBox;
  logger: Logger;
  now: () => Date;
  /** Test hook: each shop's stand-in Admin API base (default: SHOPIFY_ADMIN_URL for every shop). */
  shopifyAdminUrl?: (shop: string) => string | undefined;
  /** Mailchimp was connected or reconnected for a connection (connector.ts: new client, queue resumed, worker woken). */
  onMailchimpConnected?: (connectionId: string) => Promise<void>;
}

/**
 * The front door (install/): the Shopify app install, Mailchimp connect, and the merchant's shop page with its JSON
 * API. Mounted in every mode; the install routes answer 404 problem+json unless the Shopify app is configured.
 */
export class InstallFeatures {
  readonly context: InstallContext;
  /** Each Shopify connection's access token, refreshed when it expires (used by every Admin API client). */
  readonly tokens: ShopifyTokens;
  /** Each Shopify connection's Admin API client, taking its token from `tokens`. */
  readonly admin: ShopifyAdminAccess;
  private publicUrl: string | undefined;
  private shopify: {publicUrl: string | undefined; app: Shopify | undefined} | undefined;
  private webhookTimer: NodeJS.Timeout | undefined;
  private webhookCheck: Promise<unknown> | undefined;
  private merchant: Omit<MerchantDeps, 'context'> | undefined;
  private onMailchimpConnected: ((connectionId: string) => Promise<void>) | undefined;

  constructor(deps: InstallFeaturesDeps) {
    const {config} = deps;
    this.publicUrl = config.PUBLIC_URL?.replace(/\/+$/, '');
    // SESSION_SECRET signs sessions; without it (development, demo) a key derived from ENCRYPTION_KEY does, which
    // every process sharing the database shares too.
    const key = config.SESSION_SECRET
      ? Buffer.from(config.SESSION_SECRET, 'utf8')
      : deps.box.deriveKey('merchant-session/v1');
    const cookies = new SignedCookies(key, deps.now);
    const secureCookies = () => (this.publicUrl ?? '').startsWith('https://');
    this.context = {
      config,
      connections: deps.connections,
      box: deps.box,
      logger: deps.logger.child({module: 'install'}),
      now: deps.now,
      cookies,
      sessions: new MerchantSessions({
        cookies,
        maxAgeSeconds: config.SESSION_MINUTES * 60,
        get secure() {
          return secureCookies();
        },
      }),
      publicUrl: () => this.publicUrl,
      shopifyAdminUrl: deps.shopifyAdminUrl ?? (() => config.SHOPIFY_ADMIN_URL?.replace(/\/+$/, '')),
      secureCookies,
      onMailchimpConnected: (connectionId) =>
        (this.onMailchimpConnected ?? deps.onMailchimpConnected)?.(connectionId) ?? Promise.resolve(),
    };
    this.tokens = new ShopifyTokens({
      connections: deps.connections,
      app: () => this.shopifyApp(),
      routeShop: (shop) => routeShop(shop, this.context.shopifyAdminUrl(shop)),
      now: deps.now,
      logger: this.context.logger,
    });
    this.admin = new ShopifyAdminAccess(deps.connections, deps.logger.child({module: 'shopify-admin'}), this.tokens);
  }

  /**
   * The app's shopify-api instance (undefined without SHOPIFY_API_KEY / SHOPIFY_API_SECRET), built again when the
   * public URL changes (demo mode and tests learn it after listening): its redirect URI is built from it.
   */
  shopifyApp(): Shopify | undefined {
    if (!this.shopify || this.shopify.publicUrl !== this.publicUrl)
      this.shopify = {
        publicUrl: this.publicUrl,
        app: createShopifyApp({config: this.context.config, logger: this.context.logger, publicUrl: this.publicUrl}),
      };
    return this.shopify.app;
  }

  /** An Admin API client for the connection, with its token from `tokens`; undefined without a token. */
  adminClientFor(connectionId: string): Promise<ShopifyAdminClient | undefined> {
    return this.admin.clientFor(connectionId);
  }

  /**
   * Makes sure the shop's webhook subscriptions exist (install/webhook-subscriptions.ts) and records the outcome;
   * undefined when it cannot be checked (no public URL, no token). Never throws.
   */
  async ensureWebhooks(connectionId: string): Promise<ShopifyWebhooksState | undefined> {
    const publicUrl = this.publicUrl;
    try {
      const client = await this.adminClientFor(connectionId);
      if (!publicUrl || !client) return undefined;
      return await ensureWebhookSubscriptions({
        client,
        connections: this.context.connections,
        connectionId,
        callbackUrl: `${publicUrl}/webhooks/shopify`,
        now: this.context.now,
        logger: this.context.logger,
      });
    } catch (err) {
      this.context.logger.error({err, connectionId}, 'checking Shopify webhook subscriptions failed');
      return undefined;
    }
  }

  /** The periodic check: every active, app-installed shop with a token. */
  async checkWebhooks(): Promise<void> {
    for (const connection of await this.context.connections.all()) {
      if (connection.installSource !== 'app' || connection.status !== 'active' || connection.platform !== 'shopify')
        continue;
      await this.ensureWebhooks(connection.id);
    }
  }

  /**
   * What the shop's page needs from the sync side (merchant-routes.ts): the backfill, Mailchimp clients, Admin API.
   * Given after construction: the install features are built first, since every Admin API client takes its token
   * from them.
   */
  useMerchantDeps(
    merchant: Omit<MerchantDeps, 'context'>,
    onMailchimpConnected?: (connectionId: string) => Promise<void>,
  ): void {
    this.merchant = merchant;
    this.onMailchimpConnected = onMailchimpConnected;
  }

  setPublicUrl(url: string | undefined): void {
    this.publicUrl = url?.replace(/\/+$/, '');
  }

  /** The public routes: `/shopify/*`, `/mailchimp/*`, `/app`, `/app/api/*`. */
  router(): Router {
    const root = express.Router();
    // Each feature mounts its router here (install/*-routes.ts).
    root.use(
      shopifyInstallRouter({
        ctx: this.context,
        app: () => this.shopifyApp(),
        ensureWebhooks: (connectionId) => this.ensureWebhooks(connectionId),
      }),
    );
    if (!this.merchant) throw new Error('InstallFeatures.useMerchantDeps must be called before router()');
    root.use(merchantPageRouter());
    root.use(merchantApiRouter({...this.merchant, context: this.context}));
    root.use(mailchimpConnectRouter(this.context));
    return root;
  }

  /** Starts the periodic checks (webhook subscriptions of installed shops, every WEBHOOK_CHECK_MINUTES). */
  start(): void {
    if (this.webhookTimer) return;
    const check = () => {
      if (this.webhookCheck) return;
      this.webhookCheck = this.checkWebhooks()
        .catch((err: unknown) => this.context.logger.error({err}, 'Shopify webhook subscription check failed'))
        .finally(() => (this.webhookCheck = undefined));
    };
    this.webhookTimer = setInterval(check, this.context.config.WEBHOOK_CHECK_MINUTES * 60_000);
    this.webhookTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.webhookTimer) clearInterval(this.webhookTimer);
    this.webhookTimer = undefined;
    await this.webhookCheck;
  }
}
