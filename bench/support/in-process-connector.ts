import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pino} from 'pino';
import {createConnector, type Connector} from '../../connector/src/app/connector.js';
import {upsertEnvConnection} from '../../connector/src/app/env-connection.js';
import {loadConfig} from '../../connector/src/config/config.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {createMailchimpSandbox, type Sandbox} from '../../sandbox/mailchimp/index.js';

/** A connector in this process (SQLite file in a temp directory) connected to a Mailchimp sandbox, listening. */
export interface InProcessConnector {
  connector: Connector;
  sandbox: Sandbox;
  /** The sandbox's API base URL (`…/3.0`). */
  mailchimpBaseUrl: string;
  /** The Shopify webhook URL. */
  webhookUrl: string;
  close(): Promise<void>;
}

/**
 * The set-up the in-process benches share: a sandbox with `latencyMs`, one audience, a connector for `shop` whose
 * webhooks are signed with `secret`, not started (the bench decides when its worker runs).
 */
export async function startInProcessConnector(options: {
  shop: string;
  secret: string;
  latencyMs: number;
  recordRequests: boolean;
  /** More settings (e.g. MAILCHIMP_MAX_CONCURRENT). */
  env?: Record<string, string>;
}): Promise<InProcessConnector> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-connector-'));
  const sandbox = createMailchimpSandbox({recordRequests: options.recordRequests, latencyMs: options.latencyMs});
  const baseUrl = await sandbox.listen(0);
  const list = createListRecord(sandbox.state, {name: 'Bench'});
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
    ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
    LOG_LEVEL: 'silent',
    MAILCHIMP_API_KEY: sandbox.apiKey,
    MAILCHIMP_BASE_URL: baseUrl,
    MAILCHIMP_LIST_ID: list.id,
    SHOPIFY_SHOP: options.shop,
    SHOPIFY_API_SECRET: options.secret,
    SYNC_POLL_MS: '10',
    ...options.env,
  });
  const connector = await createConnector({
    config,
    logger: pino({level: 'silent'}),
    box: SecretBox.fromBase64(SecretBox.generateKey()),
  });
  await upsertEnvConnection(
    connector.connections,
    config,
    {
      shopDomain: options.shop,
      mailchimp: {kind: 'api_key', apiKey: sandbox.apiKey, baseUrl},
      listId: list.id,
      shopifyApiSecret: options.secret,
    },
    new Date(),
  );
  const server = connector.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    connector,
    sandbox,
    mailchimpBaseUrl: baseUrl,
    webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify`,
    async close() {
      server.close();
      await connector.stop();
      await sandbox.close();
      rmSync(dir, {recursive: true, force: true});
    },
  };
}
