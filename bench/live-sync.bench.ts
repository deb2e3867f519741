import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import express from 'express';
import {pino} from 'pino';
import {createConnector} from '../connector/src/app/connector.js';
import {upsertEnvConnection} from '../connector/src/app/env-connection.js';
import {loadConfig} from '../connector/src/config/config.js';
import {SecretBox} from '../connector/src/security/secret-box.js';
import {createListRecord} from '../sandbox/mailchimp/core/lists.js';
import {createMailchimpSandbox} from '../sandbox/mailchimp/index.js';
import {customerPayload, orderPayload, productPayload, signWebhook} from '../test/support/shopify-webhooks.js';
import {driveLoad, statusSummary, type Figure} from './harness.js';

export const name = 'live-sync';
export const description =
  'Shopify webhook ingest with durable writes (SQLite file, WAL) against a bare express handler in the same run; then webhook → order held by the Mailchimp sandbox (50 ms latency).';

const SHOP = 'bench-shop.myshopify.com';
const SECRET = 'bench-webhook-secret';
const WEBHOOKS = 1_500;
const CONNECTIONS = 10;

export async function run(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-live-sync-'));
  const sandbox = createMailchimpSandbox({recordRequests: false, latencyMs: 50});
  const baseUrl = await sandbox.listen(0);
  const list = createListRecord(sandbox.state, {name: 'Bench'});
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
    ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
    LOG_LEVEL: 'silent',
    MAILCHIMP_API_KEY: sandbox.apiKey,
    MAILCHIMP_BASE_URL: baseUrl,
    MAILCHIMP_LIST_ID: list.id,
    SHOPIFY_SHOP: SHOP,
    SHOPIFY_API_SECRET: SECRET,
    SYNC_POLL_MS: '10',
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
      shopDomain: SHOP,
      mailchimp: {kind: 'api_key', apiKey: sandbox.apiKey, baseUrl},
      listId: list.id,
      shopifyApiSecret: SECRET,
    },
    new Date(),
  );
  const server = connector.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/shopify`;

  // The baseline: a bare express handler that reads the raw body and answers 200, nothing stored.
  const bare = express();
  bare.post('/webhooks/shopify', express.raw({type: () => true, limit: '2mb'}), (_req, res) => {
    res.status(200).json({accepted: true});
  });
  const bareServer = bare.listen(0, '127.0.0.1');
  await once(bareServer, 'listening');
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/webhooks/shopify`;

  const bodies = Array.from({length: WEBHOOKS + 200}, (_, i) =>
    customerPayload({id: String(10_000 + i), email: `bench${i}@shop.test`, updatedAt: '2026-11-01T00:00:00Z'}),
  );
  const signed = bodies.map((body) => signWebhook(SECRET, SHOP, 'customers/create', body));
  const load = (target: string) =>
    driveLoad({
      url: target,
      method: 'POST',
      total: WEBHOOKS,
      warmup: 200,
      concurrency: CONNECTIONS,
      body: (i) => signed[i]!.body,
      headersFor: (i) => signed[i]!.headers,
    });

  const baseline = await load(bareUrl);
  // The sync worker is not started: this measures verify + durable write + answer (the inbox processor, which maps
  // and projects stored events, runs alongside as it does in production).
  const ingest = await load(url);
  const inboxRows = Object.values(await connector.inbox.countByStatus()).reduce((a, b) => a + b, 0);

  // Webhook → Mailchimp: product and customer first, then time single orders from POST to the sandbox holding them.
  connector.start();
  const post = async (topic: string, body: string) => {
    const s = signWebhook(SECRET, SHOP, topic, body);
    const res = await fetch(url, {method: 'POST', headers: s.headers, body: s.body});
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  await post(
    'products/create',
    productPayload({
      id: '1',
      title: 'Lamp',
      handle: 'lamp',
      updatedAt: '2026-11-01T00:00:00Z',
      variants: [{id: '2', title: 'x', priceMinor: 1000}],
    }),
  );
  await connector.settle(600_000); // drains the backlog from the ingest phase too
  const storeId = (await connector.connections.byShopDomain(SHOP))!.mailchimpStoreId;
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const id = String(900_000 + i);
    const t0 = performance.now();
    await post(
      'orders/create',
      orderPayload({
        id,
        customer: {id: '10000', email: 'bench0@shop.test'},
        financialStatus: 'paid',
        updatedAt: '2026-11-01T00:00:01Z',
        lines: [{id: `${i + 1}`, productId: '1', variantId: '2', title: 'Lamp', priceMinor: 1000, quantity: 1}],
      }),
    );
    while (!sandbox.state.stores.get(storeId)?.orders.has(id)) await new Promise((r) => setTimeout(r, 2));
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);

  server.close();
  bareServer.close();
  await connector.stop();
  await sandbox.close();
  rmSync(dir, {recursive: true, force: true});

  const median = latencies[Math.floor(latencies.length / 2)]!;
  return [
    {
      label: 'bare express: webhooks/s',
      value: Math.round(baseline.perSecond),
      note: `p99 ${baseline.p99Ms.toFixed(2)} ms`,
    },
    {
      label: 'connector ingest (HMAC + durable write): webhooks/s',
      value: Math.round(ingest.perSecond),
      note: `p50 ${ingest.p50Ms.toFixed(2)} ms, p99 ${ingest.p99Ms.toFixed(2)} ms, ${statusSummary(ingest.statuses)}`,
    },
    {label: 'ingest throughput / bare express', value: (ingest.perSecond / baseline.perSecond).toFixed(2), unit: '×'},
    {label: 'ingest p99 / bare express p99', value: (ingest.p99Ms / baseline.p99Ms).toFixed(2), unit: '×'},
    {label: 'events stored before answering', value: inboxRows, note: `of ${WEBHOOKS + 200} sent (warm-up included)`},
    {
      label: 'webhook → order in Mailchimp sandbox, median',
      value: median.toFixed(0),
      unit: 'ms',
      note: `max ${latencies[latencies.length - 1]!.toFixed(0)} ms; floor is the 50 ms sandbox latency × calls (order PATCH 404 + POST)`,
    },
  ];
}
