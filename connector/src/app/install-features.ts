import express, {type Router} from 'express';
import type {Config} from '../config/config.js';
import type {Logger} from '../logging/logger.js';
import type {SecretBox} from '../security/secret-box.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import type {InstallContext} from '../install/install-context.js';
import {MerchantSessions} from '../install/merchant-session.js';
import {SignedCookies} from '../install/signed-cookie.js';
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
  private publicUrl: string | undefined;

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
      onMailchimpConnected: deps.onMailchimpConnected ?? (() => Promise.resolve()),
    };
  }

  setPublicUrl(url: string | undefined): void {
    this.publicUrl = url?.replace(/\/+$/, '');
  }

  /** The public routes: `/shopify/*`, `/mailchimp/*`, `/app`, `/app/api/*`. */
  router(): Router {
    const root = express.Router();
    // Each feature mounts its router here (install/*-routes.ts).
    root.use(mailchimpConnectRouter(this.context));
    return root;
  }

  /** Starts the periodic checks (webhook subscriptions of installed shops). */
  start(): void {}

  async stop(): Promise<void> {}
}
