import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {expectedFrom} from '../support/shopify-expectations.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';

describe('backfill from the Shopify Admin stand-in into the Mailchimp sandbox', () => {
  let shopify: ShopifySandbox | undefined;
  let t: TestConnector | undefined;
  afterEach(async () => {
    await t?.close();
    await shopify?.close();
    t = undefined;
    shopify = undefined;
  });

  async function start(
    bulkThreshold: number,
    size = {products: 12, customers: 30, orders: 90, carts: 4, discountCodes: 3},
  ) {
    // Shopify Plus restore rate (1,000 points/s): the throttling itself is tested with the stand-in's own tests.
    shopify = await startShopifySandbox({
      ...size,
      seed: 42,
      shopDomain: TEST_SHOP,
      currencyCode: 'USD',
      throttle: {maximumAvailable: 20_000, restoreRate: 1_000},
    });
    t = await startTestConnector({
      env: {
        SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
        SHOPIFY_ADMIN_URL: shopify.adminUrl,
        BACKFILL_BULK_THRESHOLD: String(bulkThreshold),
        LAPSED_AFTER_DAYS: '36500',
      },
      backfill: {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10, shopifyPollMs: 10},
    });
    t.connector.start();
    return {shopify, t};
  }

  async function backfill(c: TestConnector) {
    const started = await c.http().post('/v1/backfill').set('Authorization', `Bearer ${c.adminToken}`).send({});
    expect(started.status).toBe(202);
    const run = await c.connector.backfill.wait(started.body.id);
    await c.settle();
    return run;
  }

  function expectExact(c: TestConnector, s: ShopifySandbox) {
    const expected = expectedFrom(s);
    const store = c.sandbox.sandbox.state.stores.get(c.connection.mailchimpStoreId)!;
    // Lines whose product was deleted in Shopify got placeholder products; every real product is there.
    expect([...store.products.keys()].filter((id) => !id.startsWith('placeholder-')).sort()).toEqual(
      s.state.products
        .all()
        .map((p) => String(p.id))
        .sort(),
    );
    expect(expected.products).toBe(s.state.products.all().length);
    expect(store.orders.size).toBe(expected.orders.size);
    for (const [id, e] of expected.orders)
      expect({id, ...store.orders.get(id)}).toMatchObject({id, customer_id: e.customer, order_total: e.total});
    for (const [email, status] of expected.members)
      expect([email, c.list.members.get(subscriberHash(email))?.status]).toEqual([email, status]);
    return {store, expected};
  }

  it('pages a small store in: exactly the expected products, customers, orders and member statuses; is_syncing true then false', async () => {
    const {shopify: s, t: c} = await start(1_000_000);
    const run = await backfill(c);
    expect(run).toMatchObject({status: 'completed', deadLetters: 0});
    const {store, expected} = expectExact(c, s);
    const customerIds = [...store.customers.keys()].filter((id) => !id.startsWith('g-'));
    expect(customerIds).toHaveLength(expected.customersWithEmail);
    const syncing = c.sandbox.sandbox.recorder
      .all()
      .filter((r) => r.method === 'PATCH' && /\/ecommerce\/stores\/[^/]+$/.test(r.path))
      .map((r) => (r.body as {is_syncing: boolean}).is_syncing);
    expect(syncing).toEqual([true, false]);
    expect(store.is_syncing).toBe(false);
    // Promo codes and abandoned carts came along (carts only after is_syncing was cleared).
    expect(store.promoRules.size).toBeGreaterThan(0);
    expect(run.progress.orders?.total).toBe(s.state.orders.all().length);
    // Paged mode: no bulk operation, the records came from the paginated connections.
    expect(s.stats.byField.bulkOperationRunQuery).toBeUndefined();
    expect(s.stats.byField.orders).toBeGreaterThan(1);
  });

  it('reads a store through Shopify bulk operations (JSONL) with the same result', async () => {
    const {shopify: s, t: c} = await start(0);
    const run = await backfill(c);
    expect(run).toMatchObject({status: 'completed', deadLetters: 0});
    expectExact(c, s);
    // Every phase (products, customers, promos, orders, carts) was read through one bulk operation, not by page.
    expect(s.stats.byField.bulkOperationRunQuery).toBe(5);
    expect(s.stats.byField.orders).toBeUndefined();
  });

  it('lets live webhooks through during a backfill, newer data winning', async () => {
    const {shopify: s, t: c} = await start(1_000_000);
    const product = s.state.products.all()[0]!;
    const started = await c.http().post('/v1/backfill').set('Authorization', `Bearer ${c.adminToken}`).send({});
    // A live product update arrives while the backfill runs: it is newer than the Admin API's copy.
    const body = JSON.stringify({
      id: product.id,
      title: 'Renamed live',
      handle: product.handle,
      body_html: '',
      vendor: product.vendor,
      product_type: product.productType,
      status: 'active',
      tags: '',
      updated_at: new Date(Date.now() + 60_000).toISOString(),
      created_at: new Date(product.createdAt).toISOString(),
      variants: product.variants.map((v) => ({
        id: v.id,
        product_id: product.id,
        title: v.title,
        price: (v.priceMinor / 100).toFixed(2),
        sku: v.sku,
        inventory_quantity: v.inventoryQuantity,
        updated_at: new Date().toISOString(),
      })),
      images: [],
      image: null,
      options: [],
    });
    expect((await c.webhook('products/update', body)).status).toBe(200);
    await c.connector.backfill.wait(started.body.id);
    await c.settle();
    const store = c.sandbox.sandbox.state.stores.get(c.connection.mailchimpStoreId)!;
    expect(store.products.get(String(product.id))?.title).toBe('Renamed live');
  });
});
