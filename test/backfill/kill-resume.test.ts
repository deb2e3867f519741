import type {ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {expectedFrom} from '../support/shopify-expectations.js';
import {until} from '../support/eventually.js';
import {startConnectorProcess} from '../support/connector-process.js';

const SHOP = 'kill-test.myshopify.com';
const ADMIN_TOKEN = 'kill-test-admin-token-0123456789';

/**
 * The connector as a separate process (`node --import tsx connector/src/main.ts`: the same code `npm start` runs, in
 * one process, where the tsx CLI would put it in a child that a SIGKILL of the CLI leaves running), so the test can
 * kill it in the middle of a backfill: no shutdown code runs, claims and leases stay as they were.
 */
async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<{status: number; body: T}> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {status: res.status, body: (await res.json()) as T};
}

interface RunView {
  id: string;
  status: string;
  phase: string;
  progress: Record<string, {read: number; total?: number} | undefined>;
  deadLetters: number;
}

describe('backfill killed with SIGKILL mid-way', () => {
  let shopify: ShopifySandbox;
  let mailchimp: TestSandbox;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    shopify = await startShopifySandbox({
      products: 40,
      customers: 300,
      orders: 1_500,
      seed: 9,
      shopDomain: SHOP,
      currencyCode: 'USD',
      // A bucket large enough that pages of 5 orders are not throttled: the pace is the latency's.
      throttle: {maximumAvailable: 200_000, restoreRate: 20_000},
      // Orders are read page by page (BACKFILL_BULK_THRESHOLD below) at this pace, so the kill below lands while
      // orders are still being read and the first ones are already being sent (the pipeline overlapping).
      latencyMs: 30,
    });
    // Some latency, so the backfill is still running when it is killed.
    mailchimp = await startTestSandbox({latencyMs: 15});
    dir = mkdtempSync(join(tmpdir(), 'backfill-kill-'));
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await shopify?.close();
    await mailchimp?.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it('restarts where it stopped and ends exact: nothing missing, nothing doubled', async () => {
    const list = createListRecord(mailchimp.sandbox.state, {name: 'Kill test audience', double_optin: false});
    const env = {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
      ENCRYPTION_KEY: SecretBox.generateKey(),
      ADMIN_TOKEN,
      MAILCHIMP_API_KEY: mailchimp.apiKey,
      MAILCHIMP_BASE_URL: mailchimp.baseUrl,
      MAILCHIMP_LIST_ID: list.id,
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_API_SECRET: 'kill-test-secret',
      SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
      SHOPIFY_ADMIN_URL: shopify.adminUrl,
      BACKFILL_BULK_THRESHOLD: '1000000',
      BACKFILL_LEASE_SECONDS: '2',
      // The live worker's claims of the killed process are taken over after this (records it was sending).
      SYNC_LEASE_SECONDS: '3',
      LAPSED_AFTER_DAYS: '36500',
    };

    const {child: first, base: firstBase} = startConnectorProcess(env);
    children.push(first);
    let base = await firstBase;
    await until(async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), 30_000, 'the first connector');
    const started = await api<RunView>(base, 'POST', '/v1/backfill', {});
    expect(started.status).toBe(202);
    const runId = started.body.id;

    // Kill it while orders are still being read and the first ones are already in Mailchimp: reading, projecting
    // and sending overlap, with batches in flight.
    const atKill = await until(
      async () => {
        const view = (await api<RunView>(base, 'GET', `/v1/backfill/${runId}`)).body;
        const orders = view.progress.orders as {read: number; sent: number; total?: number} | undefined;
        return view.phase === 'orders' && orders && orders.sent > 0 && orders.read < (orders.total ?? Infinity)
          ? view
          : undefined;
      },
      60_000,
      'the orders phase',
    );
    first.kill('SIGKILL');
    await once(first, 'exit');
    expect(atKill.status).toBe('running');
    // Mid-phase: some orders are in Mailchimp, others not yet.
    expect((atKill.progress.orders as unknown as {sent: number}).sent).toBeLessThan(atKill.progress.orders!.total!);
    expect((atKill.progress.orders as unknown as {read: number}).read).toBeLessThan(atKill.progress.orders!.total!);

    const {child: second, base: secondBase} = startConnectorProcess(env);
    children.push(second);
    base = await secondBase;
    await until(async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), 30_000, 'the second connector');
    const done = await until(
      async () => {
        const view = (await api<RunView>(base, 'GET', `/v1/backfill/${runId}`)).body;
        return view.status === 'completed' ? view : undefined;
      },
      90_000,
      'the resumed run to complete',
    );
    // Let the live worker finish what the backfill handed to it.
    await until(
      async () => {
        const status = (await api<{entities: Record<string, Record<string, number>>}>(base, 'GET', '/v1/sync/status'))
          .body;
        const waiting = Object.values(status.entities).reduce(
          (n, byStatus) => n + (byStatus.pending ?? 0) + (byStatus.retry ?? 0),
          0,
        );
        return waiting === 0 ? true : undefined;
      },
      60_000,
      'the queue to drain',
    );
    second.kill('SIGTERM');
    await once(second, 'exit');

    expect(done.deadLetters).toBe(0);
    const expected = expectedFrom(shopify);
    const store = [...mailchimp.sandbox.state.stores.values()].find((s) => s.list_id === list.id)!;
    expect(store.is_syncing).toBe(false);
    expect(store.orders.size).toBe(expected.orders.size);
    for (const [id, e] of expected.orders)
      expect({id, ...store.orders.get(id)}).toMatchObject({id, customer_id: e.customer, order_total: e.total});
    for (const [email, status] of expected.members)
      expect([email, list.members.get(subscriberHash(email))?.status]).toEqual([email, status]);
    // Nothing doubled: each order was created once, though some batches may have run twice.
    const created = mailchimp.sandbox.recorder
      .all()
      .filter((r) => r.method === 'POST' && /\/ecommerce\/stores\/[^/]+\/orders$/.test(r.path) && r.status < 300);
    expect(created).toHaveLength(expected.orders.size);
  }, 240_000);
});
