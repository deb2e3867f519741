import request from 'supertest';
import {pino} from 'pino';
import {loadConfig} from '../../connector/src/config/config.js';
import {createConnector, type Connector, type ConnectorDeps} from '../../connector/src/app/connector.js';
import {SESSION_COOKIE} from '../../connector/src/install/merchant-session.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import type {Connection} from '../../connector/src/store/connections-repository.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {startTestSandbox, type TestSandbox} from './sandbox.js';

export const MULTI_SHOP_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
export const SHOPIFY_APP_KEY = 'e2e-app-key';
export const SHOPIFY_APP_SECRET = 'e2e-app-secret';

export interface MultiShopOptions {
  env?: Record<string, string>;
  databaseUrl?: string;
  now?: () => Date;
  backfill?: ConnectorDeps['backfill'];
  logger?: ConnectorDeps['logger'];
}

/** A shop installed directly through the repository (as the Shopify install callback would), with its session. */
export interface InstalledShop {
  shop: string;
  connection: Connection;
  /** `Cookie` header value of a merchant session bound to this shop. */
  cookie: string;
  /** The shop's Shopify stand-in, when it has one (Admin API token stored). */
  shopify?: ShopifySandbox;
  /** Its own Mailchimp sandbox account, when connected. */
  mailchimp?: TestSandbox;
}

export interface InstallShopOptions {
  /** Start a Shopify stand-in for the shop (generated with this size and seed) and store its token. */
  shopify?: {seed: number; products?: number; customers?: number; orders?: number; carts?: number; shopName?: string};
  /**
   * Connect the shop to a Mailchimp sandbox account of its own (started here), named so. Each account gets its own
   * seed (ids such as audience ids differ between accounts, as they do in Mailchimp).
   */
  mailchimp?: {accountName?: string; seed?: number};
}

export interface MultiShopConnector {
  connector: Connector;
  adminToken: string;
  http(): ReturnType<typeof request>;
  /** Installs a shop (stand-in, tokens, Mailchimp account) and signs a session for it. */
  installShop(shop: string, options?: InstallShopOptions): Promise<InstalledShop>;
  /** A session cookie (header value) for a shop and connection id. */
  sessionCookie(shop: string, connectionId: string): string;
  /** Stops the connector and every stand-in installShop started. */
  close(): Promise<void>;
}

/**
 * A connector in multi-shop mode (no SHOPIFY_SHOP; the Shopify app's SHOPIFY_API_KEY/SHOPIFY_API_SECRET) with no
 * shop yet: tests install shops with `installShop`, each with its own Shopify stand-in and Mailchimp account.
 */
export async function startMultiShopConnector(options: MultiShopOptions = {}): Promise<MultiShopConnector> {
  const encryptionKey = SecretBox.generateKey();
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ?? 'sqlite::memory:',
    ADMIN_TOKEN: MULTI_SHOP_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    SHOPIFY_API_KEY: SHOPIFY_APP_KEY,
    SHOPIFY_API_SECRET: SHOPIFY_APP_SECRET,
    SYNC_POLL_MS: '20',
    SHOP_CURRENCY_WAIT_SECONDS: '0',
    LAPSED_AFTER_DAYS: '36500',
    ENCRYPTION_KEY: encryptionKey,
    ...options.env,
  });
  const connector = await createConnector({
    config,
    logger: options.logger ?? pino({level: 'silent'}),
    box: SecretBox.fromBase64(encryptionKey),
    now: options.now,
    worker: {retryBaseMs: 10, retryCapMs: 200, maxAttempts: 30},
    mailchimpRetry: {baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 4, rateLimitPauseMs: 20},
    backfill: options.backfill ?? {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10, shopifyPollMs: 10},
  });
  const started: Array<{close(): Promise<void>}> = [];
  let accounts = 0;
  const sessionCookie = (shop: string, connectionId: string) =>
    `${SESSION_COOKIE}=${connector.install.context.cookies.sign({shop, connectionId}, 600)}`;
  return {
    connector,
    adminToken: MULTI_SHOP_ADMIN_TOKEN,
    http: () => request(connector.app),
    sessionCookie,
    async installShop(shop, installOptions = {}) {
      const nowIso = new Date().toISOString();
      let shopify: ShopifySandbox | undefined;
      if (installOptions.shopify) {
        const size = installOptions.shopify;
        shopify = await startShopifySandbox({
          products: size.products ?? 0,
          customers: size.customers ?? 0,
          orders: size.orders ?? 0,
          carts: size.carts ?? 0,
          seed: size.seed,
          shopName: size.shopName,
          shopDomain: shop,
          currencyCode: 'USD',
          throttle: {maximumAvailable: 20_000, restoreRate: 1_000},
        });
        started.push(shopify);
      }
      let connection = await connector.connections.installShop(
        shop,
        {apiSecret: SHOPIFY_APP_SECRET, accessToken: shopify?.accessToken, adminUrl: shopify?.adminUrl},
        nowIso,
      );
      let mailchimp: TestSandbox | undefined;
      if (installOptions.mailchimp) {
        accounts += 1;
        mailchimp = await startTestSandbox({seed: installOptions.mailchimp.seed ?? 1_000 + accounts});
        started.push(mailchimp);
        await connector.connections.connectMailchimp(
          connection.id,
          {kind: 'api_key', apiKey: mailchimp.apiKey, baseUrl: mailchimp.baseUrl},
          installOptions.mailchimp.accountName ?? 'Acme',
          nowIso,
        );
        connection = (await connector.connections.byId(connection.id))!;
      }
      return {shop, connection, cookie: sessionCookie(shop, connection.id), shopify, mailchimp};
    },
    async close() {
      await connector.stop();
      for (const s of started.reverse()) await s.close();
    },
  };
}
