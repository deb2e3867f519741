import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {runCli} from '../../connector/src/cli/run-cli.js';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import type {BackfillSource, SourceChunk, SourcePhase} from '../../connector/src/backfill/backfill-source.js';
import type {StoreEvent} from '../../connector/src/model/events.js';
import {mapShopifyWebhook} from '../../connector/src/shopify/index.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {customerPayload, orderPayload, productPayload} from '../support/shopify-webhooks.js';

const iso = (day: number) => new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString();
const events = (topic: string, body: string): StoreEvent[] => {
  const mapped = mapShopifyWebhook(topic, body, {shopDomain: TEST_SHOP, shopCurrency: 'USD'});
  if (!mapped.ok) throw new Error(mapped.error.message);
  return mapped.events;
};

/** A small store, as canonical events per phase, read in chunks of `chunk` records with a numeric position. */
function scriptedStore(opts: {
  products: number;
  customers: number;
  orders: number;
  chunk?: number;
  badEmails?: number[];
  pauseOrdersAfter?: number;
  landingSite?: (n: number) => string | undefined;
}) {
  const data: Record<SourcePhase, StoreEvent[][]> = {products: [], customers: [], promos: [], orders: [], carts: []};
  for (let i = 0; i < opts.products; i++) {
    data.products.push(
      events(
        'products/create',
        productPayload({
          id: String(100 + i),
          title: `Product ${i}`,
          handle: `product-${i}`,
          updatedAt: iso(0),
          variants: [{id: String(500 + i), title: 'Default', priceMinor: 1000 + i * 100}],
        }),
      ),
    );
  }
  for (let i = 0; i < opts.customers; i++) {
    const consent =
      i % 3 === 0
        ? {state: 'subscribed', updatedAt: iso(1)}
        : i % 3 === 1
          ? {state: 'unsubscribed', updatedAt: iso(1)}
          : {state: 'not_subscribed', updatedAt: iso(1)};
    const email = opts.badEmails?.includes(i) ? `buyer${i}@@shop` : `buyer${i}@shop.test`;
    data.customers.push(
      events(
        'customers/create',
        customerPayload({id: String(2000 + i), email, firstName: `B${i}`, updatedAt: iso(1), consent}),
      ),
    );
  }
  const expectedOrders = new Map<string, {customer: string; total: number}>();
  for (let n = 0; n < opts.orders; n++) {
    const c = n % opts.customers;
    const p = n % opts.products;
    const id = String(90_000 + n);
    const paid = n % 7 !== 6; // every seventh order is unpaid: never sent
    data.orders.push(
      events(
        'orders/create',
        orderPayload({
          id,
          customer: {id: String(2000 + c), email: `buyer${c}@shop.test`},
          financialStatus: paid ? 'paid' : 'pending',
          updatedAt: iso(10 + n),
          landingSite: opts.landingSite?.(n),
          lines: [
            {
              id: `${id}1`,
              productId: String(100 + p),
              variantId: String(500 + p),
              title: `Product ${p}`,
              priceMinor: 1000 + p * 100,
              quantity: 1,
            },
          ],
        }),
      ),
    );
    if (paid) expectedOrders.set(id, {customer: String(2000 + c), total: (1000 + p * 100) / 100});
  }
  const reads: string[] = [];
  let paused: (() => void) | undefined;
  const pausedAt = new Promise<void>((resolve) => (paused = resolve));
  const source: BackfillSource = {
    async count(phase) {
      return data[phase].length;
    },
    async *read(phase, position, _options, signal): AsyncIterable<SourceChunk> {
      const size = opts.chunk ?? 7;
      reads.push(`${phase}@${String(position ?? 0)}`);
      for (let at = typeof position === 'number' ? position : 0; at < data[phase].length; at += size) {
        if (phase === 'orders' && opts.pauseOrdersAfter !== undefined && at >= opts.pauseOrdersAfter) {
          // Like a process that hangs mid-read: only the abort of a stopping connector ends it.
          paused?.();
          await new Promise((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(signal.reason), {once: true}),
          );
        }
        const slice = data[phase].slice(at, at + size);
        yield {events: slice.flat(), records: slice.length, position: at + slice.length};
      }
    },
  };
  return {source, expectedOrders, reads, pausedAt};
}

describe('backfill engine (batches into the Mailchimp sandbox)', () => {
  let t: TestConnector | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const fast = {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10};

  it('sends products, customers, orders and members through batches, with is_syncing on then off', async () => {
    const shop = scriptedStore({products: 6, customers: 9, orders: 30});
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}, backfillSource: () => shop.source, backfill: fast});
    t.connector.start();
    const syncingSeen: boolean[] = [];
    t.sandbox.sandbox.recorder.clear();

    // Through the CLI, as an operator would: it polls the run and prints one JSON summary.
    const cli = await runBackfillCli(t, ['--json']);
    expect(cli.err).toBe('');
    expect(cli.code).toBe(0);
    const summary = JSON.parse(cli.out) as {
      run_id: string;
      status: string;
      sent: Record<string, number>;
      batches: number;
      dead_lettered: number;
      mailchimp_requests: number;
    };
    expect(summary).toMatchObject({
      status: 'completed',
      dead_lettered: 0,
      sent: {products: 6, customers: 9, orders: shop.expectedOrders.size, members: 9},
    });
    expect(summary.batches).toBeGreaterThanOrEqual(4);
    expect(summary.mailchimp_requests).toBeGreaterThan(summary.batches);
    const run = await t.connector.backfill.wait(summary.run_id);
    await t.settle();
    expect(run).toMatchObject({status: 'completed', phase: 'done', deadLetters: 0});
    // The same progress is in the metrics.
    const metrics = await t.http().get('/metrics').set('Authorization', `Bearer ${t.adminToken}`);
    expect(metrics.text).toContain(
      `connector_backfill_records{connection="${t.connection.id}",phase="orders",state="sent"} ${shop.expectedOrders.size}`,
    );

    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    for (const r of t.sandbox.sandbox.recorder.all()) {
      if (r.method === 'PATCH' && /\/ecommerce\/stores\/[^/]+$/.test(r.path))
        syncingSeen.push((r.body as {is_syncing?: boolean}).is_syncing!);
    }
    expect(syncingSeen).toEqual([true, false]);
    expect(store.is_syncing).toBe(false);
    expect(store.products.size).toBe(6);
    expect(store.customers.size).toBe(9);
    expect(store.orders.size).toBe(shop.expectedOrders.size);
    for (const [id, e] of shop.expectedOrders)
      expect(store.orders.get(id)).toMatchObject({customer_id: e.customer, order_total: e.total});
    for (let i = 0; i < 9; i++) {
      const member = t.list.members.get(subscriberHash(`buyer${i}@shop.test`));
      expect(member?.status).toBe(i % 3 === 0 ? 'subscribed' : i % 3 === 1 ? 'unsubscribed' : 'transactional');
      expect(member?.tags.map((tag) => tag.name)).toContain('customer');
    }
    // Everything went through /batches: no single e-commerce writes except the store's own.
    const single = t.sandbox.sandbox.recorder
      .all()
      .filter(
        (r) =>
          r.via === 'http' &&
          r.method !== 'GET' &&
          /\/ecommerce\/stores\/[^/]+\/(products|customers|orders)/.test(r.path),
      );
    expect(single).toEqual([]);
    expect(run.progress.orders).toMatchObject({
      total: 30,
      read: 30,
      sent: shop.expectedOrders.size,
      nothing: 30 - shop.expectedOrders.size,
      failedOperations: 0,
    });
    expect(run.progress.products?.batches).toBeGreaterThan(0);
  });

  it('computes each member once, in the members phase: not per customer or per order while reading', async () => {
    const shop = scriptedStore({products: 3, customers: 5, orders: 30, chunk: 5});
    // The orders are held after three chunks, until the test has looked at what the projection stored so far.
    let reachedGate!: () => void;
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const source: BackfillSource = {
      count: (phase, options) => shop.source.count(phase, options),
      async *read(phase, position, options, signal) {
        let chunks = 0;
        for await (const chunk of shop.source.read(phase, position, options, signal)) {
          if (phase === 'orders' && chunks++ === 3) {
            reachedGate();
            await gate;
          }
          yield chunk;
        }
      },
    };
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}, backfillSource: () => source, backfill: fast});
    t.connector.start();
    t.sandbox.sandbox.recorder.clear();
    const started = await t.http().post('/v1/backfill').set('Authorization', `Bearer ${t.adminToken}`).send({});
    expect(started.status).toBe(202);
    await atGate;
    await waitFor(async () => {
      const view = await t!.connector.backfill.view(started.body.id);
      return view.progress.orders?.read === 15 ? view : undefined;
    });
    // Every customer and half the orders are stored, and not one member state was computed for them yet.
    const status = await t.http().get('/v1/sync/status').set('Authorization', `Bearer ${t.adminToken}`);
    const entities = status.body.entities as Record<string, Record<string, number>>;
    expect(entities.customer?.synced).toBe(5);
    expect(entities.member).toBeUndefined();
    openGate();

    const run = await waitFor(async () => {
      const view = await t!.connector.backfill.view(started.body.id);
      return view.status === 'completed' ? view : undefined;
    });
    await t.settle();
    expect(run.progress.members).toMatchObject({total: 5, read: 5, sent: 5});
    // Each member written once: one upsert and one tag write, whether as batch operations or single calls.
    const writes = new Map<string, string[]>();
    for (const r of t.sandbox.sandbox.recorder.all()) {
      const match = /\/lists\/[^/]+\/members(?:\/([0-9a-f]{32}))?(\/tags)?$/.exec(r.path);
      if (!match || r.method === 'GET' || r.status >= 300) continue;
      const email = (r.body as {email_address?: string} | undefined)?.email_address;
      const hash = match[1] ?? subscriberHash(email ?? '');
      writes.set(hash, [...(writes.get(hash) ?? []), `${r.method}${match[2] ?? ''}`]);
    }
    expect(writes.size).toBe(5);
    for (let i = 0; i < 5; i++) {
      const hash = subscriberHash(`buyer${i}@shop.test`);
      expect([i, writes.get(hash)]).toEqual([i, ['PUT', 'POST/tags']]);
      // Computed once, from all six of the buyer's orders: those read after the pause bought the other products too.
      const tags = t.list.members.get(hash)?.tags.map((tag) => tag.name);
      expect(tags).toEqual(
        expect.arrayContaining(['customer', 'bought:product-0', 'bought:product-1', 'bought:product-2']),
      );
    }
  });

  it('retries failed batch operations through the live worker and dead-letters what Mailchimp keeps refusing', async () => {
    const shop = scriptedStore({products: 3, customers: 6, orders: 12});
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}, backfillSource: () => shop.source, backfill: fast});
    const auth = t.sandbox.auth;
    const storeId = t.connection.mailchimpStoreId;
    // Mailchimp already holds product 101 (e.g. from an earlier integration): its batch POST fails as a duplicate.
    await t.sandbox
      .http()
      .post('/3.0/ecommerce/stores')
      .set('Authorization', auth)
      .send({id: storeId, list_id: t.list.id, name: 'Shop', currency_code: 'USD'});
    await t.sandbox
      .http()
      .post(`/3.0/ecommerce/stores/${storeId}/products`)
      .set('Authorization', auth)
      .send({id: '101', title: 'Old title', variants: [{id: '501', title: 'Old'}]});
    // buyer4 was permanently deleted from the audience (GDPR): Mailchimp refuses to add the address again, for good.
    const forgotten = 'buyer4@shop.test';
    await t.sandbox
      .http()
      .post(`/3.0/lists/${t.list.id}/members`)
      .set('Authorization', auth)
      .send({email_address: forgotten, status: 'subscribed'});
    expect(
      (
        await t.sandbox
          .http()
          .post(`/3.0/lists/${t.list.id}/members/${subscriberHash(forgotten)}/actions/delete-permanent`)
          .set('Authorization', auth)
      ).status,
    ).toBe(204);
    t.connector.start();

    const started = await t
      .http()
      .post('/v1/backfill')
      .set('Authorization', `Bearer ${t.adminToken}`)
      .send({shop: TEST_SHOP});
    const run = await t.connector.backfill.wait(started.body.id);
    await t.settle();
    const store = t.sandbox.sandbox.state.stores.get(storeId)!;
    expect(run.status).toBe('completed');
    expect(run.progress.products).toMatchObject({failedOperations: 1, handedToLive: 1, sent: 2});
    expect(run.progress.members?.failedOperations).toBeGreaterThanOrEqual(1);
    // The live worker repaired the duplicate with an update…
    expect(store.products.get('101')?.title).toBe('Product 1');
    // …and the address Mailchimp refuses for good is a dead letter with its problem document, not a silent loss.
    const dead = await t.connector.store.db.selectFrom('dead_letters').selectAll().execute();
    expect(dead.map((d) => [d.entity_type, d.entity_id])).toEqual([['member', forgotten]]);
    expect(JSON.parse(dead[0]!.problem)).toMatchObject({status: 400, kind: 'forgotten_email'});
    expect((await t.connector.backfill.view(run.id)).deadLetters).toBe(1);
    expect(t.list.members.get(subscriberHash(forgotten))).toBeUndefined();
    for (let i = 0; i < 6; i++)
      if (i !== 4) expect(t.list.members.get(subscriberHash(`buyer${i}@shop.test`))).toBeDefined();

    // Run again from the CLI: the backfill is done and is not run again; its dead letter is still reported, and
    // the command exits non-zero.
    const again = await runBackfillCli(t, ['--json']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/1 record\(s\) Mailchimp refused are dead letters/);
    expect(JSON.parse(again.out)).toMatchObject({status: 'completed', dead_lettered: 1});
  });

  it('keeps campaign attribution for campaigns of the audience, checked with one listing, and drops stale ones', async () => {
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}, backfill: fast, backfillSource: () => shop.source});
    const created = await t.sandbox
      .http()
      .post('/3.0/campaigns')
      .set('Authorization', t.sandbox.auth)
      .send({type: 'regular', recipients: {list_id: t.list.id}, settings: {subject_line: 'Spring', title: 'Spring'}});
    expect(created.status).toBe(200);
    const campaignId = created.body.id as string;
    // Every third order landed from the campaign; every fifth carries a stale mc_cid of a deleted campaign.
    const landing = (n: number) =>
      n % 3 === 0 ? `/?mc_cid=${campaignId}&mc_eid=abc` : n % 5 === 0 ? '/?mc_cid=0123456789' : undefined;
    const shop = scriptedStore({products: 3, customers: 5, orders: 30, landingSite: landing});
    t.connector.start();
    expect((await runBackfillCli(t, ['--json'])).code).toBe(0);
    await t.settle();
    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    for (const id of shop.expectedOrders.keys()) {
      const n = Number(id) - 90_000;
      expect([id, store.orders.get(id)?.campaign_id]).toEqual([id, n % 3 === 0 ? campaignId : undefined]);
    }
    // No per-order or per-campaign look-ups: the attribution came from listing the audience's campaigns.
    const lookups = t.sandbox.sandbox.recorder
      .all()
      .filter((r) => r.method === 'GET' && /\/campaigns\/[^/]+$/.test(r.path));
    expect(lookups).toEqual([]);
  });

  it('resyncs only what differs from what Mailchimp holds', async () => {
    const shop = scriptedStore({products: 4, customers: 6, orders: 14});
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}, backfillSource: () => shop.source, backfill: fast});
    t.connector.start();
    expect((await runBackfillCli(t, ['--json'])).code).toBe(0);
    await t.settle();
    const storeId = t.connection.mailchimpStoreId;
    const store = t.sandbox.sandbox.state.stores.get(storeId)!;
    const auth = t.sandbox.auth;
    // Someone edits Mailchimp directly: a product renamed, an order and a customer deleted.
    await t.sandbox
      .http()
      .patch(`/3.0/ecommerce/stores/${storeId}/products/102`)
      .set('Authorization', auth)
      .send({title: 'Renamed in Mailchimp'});
    await t.sandbox.http().delete(`/3.0/ecommerce/stores/${storeId}/orders/90003`).set('Authorization', auth);
    await t.sandbox.http().delete(`/3.0/ecommerce/stores/${storeId}/customers/2005`).set('Authorization', auth);
    // Lines: one left behind on an order (as a PATCH leaves a line refunded in full), a quantity changed on another.
    const kept = store.orders.get('90005')!.lines[0]!;
    await t.sandbox.http().post(`/3.0/ecommerce/stores/${storeId}/orders/90005/lines`).set('Authorization', auth).send({
      id: 'stale',
      product_id: kept.product_id,
      product_variant_id: kept.product_variant_id,
      quantity: 1,
      price: 1,
    });
    const changed = store.orders.get('90007')!.lines[0]!;
    await t.sandbox
      .http()
      .patch(`/3.0/ecommerce/stores/${storeId}/orders/90007/lines/${changed.id}`)
      .set('Authorization', auth)
      .send({quantity: changed.quantity + 5});
    const before = t.sandbox.sandbox.recorder.all().length;

    const resync = await runBackfillCli(t, ['--json', '--resync']);
    expect(resync.code).toBe(0);
    await t.settle();
    const run = await t.connector.backfill.view(JSON.parse(resync.out).run_id);
    expect(run.kind).toBe('resync');
    expect(run.progress.verify).toMatchObject({handedToLive: 3, missing: 2});
    expect(store.products.get('102')?.title).toBe('Product 2');
    expect(store.orders.get('90005')?.lines.map((l) => l.id)).not.toContain('stale');
    expect(store.orders.get('90007')?.lines[0]?.quantity).toBe(changed.quantity);
    expect(store.orders.has('90003')).toBe(true);
    expect(store.customers.get('2005')?.email_address).toBe('buyer5@shop.test');
    // Only those three were written again: nothing else was re-sent.
    const writes = t.sandbox.sandbox.recorder
      .all()
      .slice(before)
      .filter(
        (r) =>
          r.method !== 'GET' &&
          /\/ecommerce\/stores\/[^/]+\/(products|customers|orders)/.test(r.path) &&
          r.status < 300,
      );
    expect(writes.map((w) => `${w.method} ${w.path.replace(/^.*\/stores\/[^/]+/, '')}`).sort()).toEqual(
      [
        'PATCH /products/102',
        'POST /orders',
        'PUT /customers/2005',
        'PATCH /orders/90005',
        'DELETE /orders/90005/lines/stale',
        'PATCH /orders/90007',
      ].sort(),
    );
  });

  it('resumes an interrupted run where its last stored chunk stopped, with nothing doubled or missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backfill-resume-'));
    const databaseUrl = `sqlite:${join(dir, 'connector.db')}`;
    try {
      const first = scriptedStore({products: 4, customers: 6, orders: 40, chunk: 5, pauseOrdersAfter: 15});
      t = await startTestConnector({
        databaseUrl,
        env: {LAPSED_AFTER_DAYS: '3650'},
        backfillSource: () => first.source,
        backfill: fast,
      });
      t.connector.start();
      const started = await t.http().post('/v1/backfill').set('Authorization', `Bearer ${t.adminToken}`).send({});
      await first.pausedAt;
      // The chunks read ahead of the pause are still projected (the source hangs, the run does not): stop once they
      // are stored, so the restart has a known position to resume from.
      await waitFor(async () => {
        const view = await t!.connector.backfill.view(started.body.id);
        return view.progress.orders?.read === 15 ? view : undefined;
      });
      const {sandbox, list, encryptionKey} = t;
      await t.close({keepSandbox: true});
      t = undefined;

      const second = scriptedStore({products: 4, customers: 6, orders: 40, chunk: 5});
      t = await startTestConnector({
        databaseUrl,
        sandbox,
        list,
        encryptionKey,
        env: {LAPSED_AFTER_DAYS: '3650'},
        backfillSource: () => second.source,
        backfill: fast,
      });
      t.connector.start();
      const run = await waitFor(async () => {
        const view = await t!.connector.backfill.view(started.body.id);
        return view.status === 'completed' ? view : undefined;
      });
      await t.settle();
      // The second process read orders from the stored position, not from the start, and no earlier phase again.
      expect(second.reads).toEqual(['orders@15', 'carts@0']);
      expect(run.progress.orders).toMatchObject({total: 40, read: 40});
      const store = sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
      expect(store.orders.size).toBe(second.expectedOrders.size);
      for (const [id, e] of second.expectedOrders)
        expect(store.orders.get(id)).toMatchObject({customer_id: e.customer, order_total: e.total});
      // Each order was created exactly once across both processes.
      const creates = sandbox.sandbox.recorder
        .all()
        .filter((r) => r.method === 'POST' && /\/orders$/.test(r.path) && r.status < 300);
      expect(creates).toHaveLength(second.expectedOrders.size);
      expect(store.is_syncing).toBe(false);
    } finally {
      await t?.close();
      t = undefined;
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function runBackfillCli(t: TestConnector, args: string[]): Promise<{code: number; out: string; err: string}> {
  const server = t.connector.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const out: string[] = [];
  const err: string[] = [];
  try {
    const env = {
      CONNECTOR_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ADMIN_TOKEN: t.adminToken,
    };
    const code = await runCli(['backfill', '--poll-ms', '20', ...args], {
      stdout: {write: (x: string) => out.push(x)},
      stderr: {write: (x: string) => err.push(x)},
      env,
    });
    return {code, out: out.join(''), err: err.join('')};
  } finally {
    server.close();
  }
}
