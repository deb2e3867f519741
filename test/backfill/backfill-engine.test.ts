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
function scriptedStore(opts: {products: number; customers: number; orders: number; chunk?: number}) {
  const data: Record<SourcePhase, StoreEvent[][]> = {products: [], customers: [], promos: [], orders: [], carts: []};
  for (let i = 0; i < opts.products; i++) {
    data.products.push(events('products/create', productPayload({id: String(100 + i), title: `Product ${i}`, handle: `product-${i}`, updatedAt: iso(0), variants: [{id: String(500 + i), title: 'Default', priceMinor: 1000 + i * 100}]})));
  }
  for (let i = 0; i < opts.customers; i++) {
    const consent = i % 3 === 0 ? {state: 'subscribed', updatedAt: iso(1)} : i % 3 === 1 ? {state: 'unsubscribed', updatedAt: iso(1)} : {state: 'not_subscribed', updatedAt: iso(1)};
    data.customers.push(events('customers/create', customerPayload({id: String(2000 + i), email: `buyer${i}@shop.test`, firstName: `B${i}`, updatedAt: iso(1), consent})));
  }
  const expectedOrders = new Map<string, {customer: string; total: number}>();
  for (let n = 0; n < opts.orders; n++) {
    const c = n % opts.customers;
    const p = n % opts.products;
    const id = String(90_000 + n);
    const paid = n % 7 !== 6; // every seventh order is unpaid: never sent
    data.orders.push(events('orders/create', orderPayload({id, customer: {id: String(2000 + c), email: `buyer${c}@shop.test`}, financialStatus: paid ? 'paid' : 'pending', updatedAt: iso(10 + n), lines: [{id: `${id}1`, productId: String(100 + p), variantId: String(500 + p), title: `Product ${p}`, priceMinor: 1000 + p * 100, quantity: 1}]})));
    if (paid) expectedOrders.set(id, {customer: String(2000 + c), total: (1000 + p * 100) / 100});
  }
  const reads: string[] = [];
  const source: BackfillSource = {
    async count(phase) {
      return data[phase].length;
    },
    async *read(phase, position): AsyncIterable<SourceChunk> {
      const size = opts.chunk ?? 7;
      reads.push(`${phase}@${String(position ?? 0)}`);
      for (let at = typeof position === 'number' ? position : 0; at < data[phase].length; at += size) {
        const slice = data[phase].slice(at, at + size);
        yield {events: slice.flat(), records: slice.length, position: at + slice.length};
      }
    },
  };
  return {source, expectedOrders, reads};
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

    const res = await t.http().post('/v1/backfill').set('Authorization', `Bearer ${t.adminToken}`).send({});
    expect(res.status).toBe(202);
    const run = await t.connector.backfill.wait(res.body.id);
    await t.settle();
    expect(run).toMatchObject({status: 'completed', phase: 'done', deadLetters: 0});

    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    for (const r of t.sandbox.sandbox.recorder.all()) {
      if (r.method === 'PATCH' && /\/ecommerce\/stores\/[^/]+$/.test(r.path)) syncingSeen.push((r.body as {is_syncing?: boolean}).is_syncing!);
    }
    expect(syncingSeen).toEqual([true, false]);
    expect(store.is_syncing).toBe(false);
    expect(store.products.size).toBe(6);
    expect(store.customers.size).toBe(9);
    expect(store.orders.size).toBe(shop.expectedOrders.size);
    for (const [id, e] of shop.expectedOrders) expect(store.orders.get(id)).toMatchObject({customer_id: e.customer, order_total: e.total});
    for (let i = 0; i < 9; i++) {
      const member = t.list.members.get(subscriberHash(`buyer${i}@shop.test`));
      expect(member?.status).toBe(i % 3 === 0 ? 'subscribed' : i % 3 === 1 ? 'unsubscribed' : 'transactional');
      expect(member?.tags.map((tag) => tag.name)).toContain('customer');
    }
    // Everything went through /batches: no single e-commerce writes except the store's own.
    const single = t.sandbox.sandbox.recorder.all().filter((r) => r.via === 'http' && r.method !== 'GET' && /\/ecommerce\/stores\/[^/]+\/(products|customers|orders)/.test(r.path));
    expect(single).toEqual([]);
    expect(run.progress.orders).toMatchObject({total: 30, read: 30, sent: shop.expectedOrders.size, nothing: 30 - shop.expectedOrders.size, failedOperations: 0});
    expect(run.progress.products?.batches).toBeGreaterThan(0);
  });
});
