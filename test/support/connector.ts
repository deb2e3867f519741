import request from 'supertest';
import {pino} from 'pino';
import {loadConfig} from '../../connector/src/config/config.js';
import {createConnector, type Connector, type ConnectorDeps} from '../../connector/src/app/connector.js';
import {upsertEnvConnection} from '../../connector/src/app/env-connection.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import type {Connection} from '../../connector/src/store/connections-repository.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import type {ListRecord} from '../../sandbox/mailchimp/core/state.js';
import {startTestSandbox, type TestSandbox} from './sandbox.js';
import {signWebhook} from './shopify-webhooks.js';

export const TEST_SHOP = 'e2e-shop.myshopify.com';

export interface TestConnectorOptions {
  /** Reuse a sandbox (e.g. across a restart); otherwise a new one is started. */
  sandbox?: TestSandbox;
  /** Reuse an audience in that sandbox. */
  list?: ListRecord;
  databaseUrl?: string;
  /** The encryption key must be shared across a restart over the same database. */
  encryptionKey?: string;
  env?: Record<string, string>;
  doubleOptIn?: boolean;
  /** The connector's clock (tag rules such as `lapsed` read it). */
  now?: () => Date;
  worker?: {retryBaseMs?: number; retryCapMs?: number; maxAttempts?: number; leaseMs?: number};
  /** Serve the demo storefront (`/demo`) for the test shop, as `npm start` does in demo mode. */
  demo?: boolean;
  /** The backfill's platform reader, and its tuning. */
  backfillSource?: ConnectorDeps['backfillSource'];
  backfill?: ConnectorDeps['backfill'];
  /** The connector's logger (default: silent), e.g. to read the warnings it logs. */
  logger?: ConnectorDeps['logger'];
}

export interface TestConnector {
  connector: Connector;
  sandbox: TestSandbox;
  list: ListRecord;
  connection: Connection;
  encryptionKey: string;
  webhookSecret: string;
  ingestToken: string;
  adminToken: string;
  http(): ReturnType<typeof request>;
  /** POSTs a signed Shopify webhook. */
  webhook(
    topic: string,
    body: string,
    opts?: {webhookId?: string; triggeredAt?: string; eventId?: string},
  ): Promise<request.Response>;
  /** Waits until the inbox is projected and nothing is due (a pure drain: no timers). */
  settle(timeoutMs?: number): Promise<void>;
  close(options?: {keepSandbox?: boolean}): Promise<void>;
}

const WEBHOOK_SECRET = 'e2e-webhook-secret';
const INGEST_TOKEN = 'e2e-ingest-token-0123456789abcdef';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

/** A connector over a Mailchimp sandbox, with one Shopify shop connected, for end-to-end tests through HTTP. */
export async function startTestConnector(options: TestConnectorOptions = {}): Promise<TestConnector> {
  const sandbox = options.sandbox ?? (await startTestSandbox());
  const list =
    options.list ??
    createListRecord(sandbox.sandbox.state, {name: 'E2E audience', double_optin: options.doubleOptIn ?? false});
  const encryptionKey = options.encryptionKey ?? SecretBox.generateKey();
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ?? 'sqlite::memory:',
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    MAILCHIMP_API_KEY: sandbox.apiKey,
    MAILCHIMP_BASE_URL: sandbox.baseUrl,
    MAILCHIMP_LIST_ID: list.id,
    SHOPIFY_SHOP: TEST_SHOP,
    SHOPIFY_API_SECRET: WEBHOOK_SECRET,
    INGEST_TOKEN,
    DOUBLE_OPT_IN: options.doubleOptIn ? 'true' : 'false',
    SYNC_POLL_MS: '20',
    // A new Mailchimp store does not wait for the shop's currency (tests that are about that wait set it).
    SHOP_CURRENCY_WAIT_SECONDS: '0',
    ENCRYPTION_KEY: encryptionKey,
    ...options.env,
  });
  const box = SecretBox.fromBase64(encryptionKey);
  const logger = options.logger ?? pino({level: 'silent'});
  const connector = await createConnector({
    config,
    logger,
    box,
    now: options.now,
    worker: {retryBaseMs: 10, retryCapMs: 200, maxAttempts: 30, ...options.worker},
    mailchimpRetry: {baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 4, rateLimitPauseMs: 20},
    demo: options.demo
      ? {
          shopDomain: TEST_SHOP,
          ingestToken: INGEST_TOKEN,
          mailchimp: {baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey},
        }
      : undefined,
    backfillSource: options.backfillSource,
    backfill: options.backfill,
  });
  const connection = await upsertEnvConnection(
    connector.connections,
    config,
    {
      shopDomain: TEST_SHOP,
      mailchimp: {kind: 'api_key', apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl},
      listId: list.id,
      shopifyApiSecret: WEBHOOK_SECRET,
      ingestToken: INGEST_TOKEN,
    },
    new Date(),
  );
  return {
    connector,
    sandbox,
    list,
    connection,
    encryptionKey,
    webhookSecret: WEBHOOK_SECRET,
    ingestToken: INGEST_TOKEN,
    adminToken: ADMIN_TOKEN,
    http: () => request(connector.app),
    webhook(topic, body, opts) {
      const signed = signWebhook(WEBHOOK_SECRET, TEST_SHOP, topic, body, opts);
      return request(connector.app).post('/webhooks/shopify').set(signed.headers).send(signed.body);
    },
    async settle(timeoutMs) {
      await connector.settle(timeoutMs);
    },
    async close(closeOptions = {}) {
      await connector.stop();
      if (!closeOptions.keepSandbox) await sandbox.close();
    },
  };
}
