import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {pino} from 'pino';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {startTestConnector, TEST_SHOP, type TestConnector, type TestConnectorOptions} from '../support/connector.js';
import {orderPayload, productPayload} from '../support/shopify-webhooks.js';

/**
 * Issue #11 point 5, "the store's currency is the shop's currency": the Mailchimp store is created in the shop's
 * currency (from the Admin API, else the first order), STORE_CURRENCY stays an override (warned about once, shown
 * in the status), and a store in the wrong currency is corrected only while it holds no orders.
 */

const PRODUCT = '7513594872374822001';
const VARIANT = '42516954021908401';
const CUSTOMER = '6940095705142199001';
const EMAIL = 'euro.buyer@shop.test';

const product = () =>
  productPayload({
    id: PRODUCT,
    title: 'Espresso Cup',
    handle: 'espresso-cup',
    updatedAt: '2026-03-01T10:00:00Z',
    variants: [{id: VARIANT, title: 'White', priceMinor: 12_50}],
  });
const order = (id: string, currency: string, updatedAt = '2026-03-01T10:05:00Z') =>
  orderPayload({
    id,
    currency,
    customer: {id: CUSTOMER, email: EMAIL},
    financialStatus: 'paid',
    updatedAt,
    lines: [
      {
        id: `1${id.slice(1)}`,
        productId: PRODUCT,
        variantId: VARIANT,
        title: 'Espresso Cup',
        priceMinor: 12_50,
        quantity: 2,
      },
    ],
  });

interface StoreCurrencyJson {
  configured: string | null;
  shop: string | null;
  shopSource: string | null;
  mailchimp: string | null;
  mismatch: boolean;
  note: string | null;
}

describe('the Mailchimp store takes the shop currency', () => {
  let t: TestConnector | undefined;
  let shopify: ShopifySandbox | undefined;
  let logs: Array<{level: number; msg: string; [key: string]: unknown}>;
  afterEach(async () => {
    await t?.close();
    await shopify?.close();
    t = undefined;
    shopify = undefined;
  });

  /** A logger at `warn` whose lines land in `logs` (emptied). */
  function capturingLogger() {
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          logs.push(JSON.parse(line) as (typeof logs)[number]);
        done();
      },
    });
    return pino({level: 'warn'}, sink);
  }

  async function start(options: TestConnectorOptions & {shopifyCurrency?: string} = {}): Promise<TestConnector> {
    const logger = capturingLogger();
    let env: Record<string, string> = {LAPSED_AFTER_DAYS: '3650', ...options.env};
    if (options.shopifyCurrency) {
      shopify = await startShopifySandbox({
        seed: 7,
        products: 0,
        customers: 0,
        orders: 0,
        shopDomain: TEST_SHOP,
        currencyCode: options.shopifyCurrency,
        throttle: false,
      });
      env = {...env, SHOPIFY_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_ADMIN_URL: shopify.adminUrl};
    }
    t = await startTestConnector({...options, env, logger});
    return t;
  }

  const mailchimpStore = (c: TestConnector) => c.sandbox.sandbox.state.stores.get(c.connection.mailchimpStoreId);
  const storePatches = (c: TestConnector) =>
    c.sandbox.sandbox.recorder
      .all()
      .filter((r) => r.method === 'PATCH' && r.path === `/3.0/ecommerce/stores/${c.connection.mailchimpStoreId}`);
  async function currencyStatus(c: TestConnector): Promise<StoreCurrencyJson> {
    const res = await c.http().get('/v1/sync/status').set('Authorization', `Bearer ${c.adminToken}`);
    expect(res.status).toBe(200);
    expect(res.body.store).toMatchObject({shop: TEST_SHOP, id: c.connection.mailchimpStoreId});
    return res.body.store.currency as StoreCurrencyJson;
  }
  async function send(c: TestConnector, topic: string, body: string) {
    expect((await c.webhook(topic, body)).status).toBe(200);
  }
  /** A Mailchimp store made before (e.g. by an older version with the USD default), optionally with an order. */
  async function existingStore(c: TestConnector, currency: string, withOrder: boolean) {
    const api = (method: 'post', path: string, body: object) =>
      c.sandbox.http()[method](`/3.0${path}`).set('Authorization', c.sandbox.auth).send(body);
    const storeId = c.connection.mailchimpStoreId;
    expect(
      (await api('post', '/ecommerce/stores', {id: storeId, list_id: c.list.id, name: 'Old', currency_code: currency}))
        .status,
    ).toBe(200);
    if (!withOrder) return;
    expect(
      (
        await api('post', `/ecommerce/stores/${storeId}/products`, {
          id: 'old-1',
          title: 'Old',
          variants: [{id: 'old-1', title: 'Old', price: 5}],
        })
      ).status,
    ).toBe(200);
    const line = {id: 'l1', product_id: 'old-1', product_variant_id: 'old-1', quantity: 1, price: 5};
    const created = await api('post', `/ecommerce/stores/${storeId}/orders`, {
      id: 'old-order',
      customer: {id: 'old-c', email_address: 'old@shop.test', opt_in_status: false},
      currency_code: currency,
      order_total: 5,
      lines: [line],
    });
    expect(created.status).toBe(200);
  }

  it('(a) a EUR shop whose first webhook is a EUR order gets a EUR store', async () => {
    const c = await start();
    await send(c, 'orders/create', order('5801122334455660001', 'EUR'));
    await c.settle();

    expect(mailchimpStore(c)?.currency_code).toBe('EUR');
    expect(mailchimpStore(c)?.orders.get('5801122334455660001')).toMatchObject({currency_code: 'EUR', order_total: 25});
    expect(await currencyStatus(c)).toEqual({
      configured: null,
      shop: 'EUR',
      shopSource: 'order',
      mailchimp: 'EUR',
      mismatch: false,
      note: null,
    });
    expect(storePatches(c)).toHaveLength(0);
  });

  it('(b) with an Admin API token, a product webhook first: the store is created in the currency Shopify reports', async () => {
    const c = await start({shopifyCurrency: 'EUR'});
    await send(c, 'products/create', product());
    await c.settle();

    expect(mailchimpStore(c)?.currency_code).toBe('EUR');
    expect(mailchimpStore(c)?.products.has(PRODUCT)).toBe(true);
    expect(shopify!.stats.byField.shop).toBe(1); // asked once, not per record
    expect(await currencyStatus(c)).toMatchObject({
      configured: null,
      shop: 'EUR',
      shopSource: 'admin_api',
      mailchimp: 'EUR',
      mismatch: false,
      note: null,
    });
  });

  it('without a token, a product first waits for the first order to say the currency', async () => {
    const c = await start({env: {SHOP_CURRENCY_WAIT_SECONDS: '30'}});
    await send(c, 'products/create', product());
    await c.connector.processor.drain();
    await c.connector.worker.drain();
    // The product waits (no attempt counted, no error): nothing says the shop's currency yet.
    expect(mailchimpStore(c)).toBeUndefined();
    const waiting = await c.connector.syncState.get({
      connectionId: c.connection.id,
      entityType: 'product',
      entityId: PRODUCT,
    });
    expect(waiting).toMatchObject({status: 'pending', attempts: 0, last_error: null});

    await send(c, 'orders/create', order('5801122334455660002', 'EUR'));
    await c.settle();
    expect(mailchimpStore(c)?.currency_code).toBe('EUR');
    expect(mailchimpStore(c)?.products.has(PRODUCT)).toBe(true);
    expect(mailchimpStore(c)?.orders.get('5801122334455660002')?.currency_code).toBe('EUR');
    expect(storePatches(c)).toHaveLength(0);
  });

  it('without a token and once the wait is over, the store starts in USD and the first order corrects it', async () => {
    const c = await start({env: {SHOP_CURRENCY_WAIT_SECONDS: '0'}});
    await send(c, 'products/create', product());
    await c.settle();
    expect(mailchimpStore(c)?.currency_code).toBe('USD');
    const before = await currencyStatus(c);
    expect(before).toMatchObject({configured: null, shop: null, mailchimp: 'USD', mismatch: false});
    expect(before.note).toMatch(/created in USD because the shop's currency was not known/);

    await send(c, 'orders/create', order('5801122334455660003', 'EUR'));
    await c.settle();
    expect(mailchimpStore(c)?.currency_code).toBe('EUR');
    expect(storePatches(c).map((r) => r.body)).toEqual([{currency_code: 'EUR'}]);
    expect(mailchimpStore(c)?.orders.get('5801122334455660003')?.currency_code).toBe('EUR');
    expect(await currencyStatus(c)).toEqual({
      configured: null,
      shop: 'EUR',
      shopSource: 'order',
      mailchimp: 'EUR',
      mismatch: false,
      note: null,
    });
  });

  it('(c) STORE_CURRENCY=USD overrides a EUR shop: USD store, one warning, the mismatch in the status', async () => {
    const c = await start({env: {STORE_CURRENCY: 'USD'}});
    await send(c, 'orders/create', order('5801122334455660004', 'EUR'));
    await c.settle();
    await send(c, 'orders/updated', order('5801122334455660004', 'EUR', '2026-03-01T11:00:00Z'));
    await send(c, 'orders/create', order('5801122334455660005', 'EUR', '2026-03-02T10:00:00Z'));
    await c.settle();

    expect(mailchimpStore(c)?.currency_code).toBe('USD');
    expect(storePatches(c)).toHaveLength(0);
    const warnings = logs.filter(
      (l) => l.level === 40 && /STORE_CURRENCY=USD differs from the shop's currency EUR/.test(l.msg),
    );
    expect(warnings).toHaveLength(1);
    const status = await currencyStatus(c);
    expect(status).toMatchObject({
      configured: 'USD',
      shop: 'EUR',
      shopSource: 'order',
      mailchimp: 'USD',
      mismatch: true,
    });
    expect(status.note).toMatch(/STORE_CURRENCY=USD overrides the shop's currency EUR/);
  });

  it('(c) the override against the Admin API: warned once across a restart over the same database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-currency-'));
    try {
      const databaseUrl = `sqlite:${join(dir, 'connector.db')}`;
      const first = await start({shopifyCurrency: 'EUR', databaseUrl, env: {STORE_CURRENCY: 'USD'}});
      await send(first, 'products/create', product());
      await first.settle();
      expect(mailchimpStore(first)?.currency_code).toBe('USD');
      const warned = () => logs.filter((l) => l.level === 40 && /STORE_CURRENCY=USD differs/.test(l.msg)).length;
      expect(warned()).toBe(1);

      // The same connector again (a restart): the pair was warned about already.
      await first.close({keepSandbox: true});
      t = undefined;
      const again = (t = await startTestConnector({
        sandbox: first.sandbox,
        list: first.list,
        encryptionKey: first.encryptionKey,
        databaseUrl,
        logger: capturingLogger(),
        env: {
          LAPSED_AFTER_DAYS: '3650',
          STORE_CURRENCY: 'USD',
          SHOPIFY_ACCESS_TOKEN: shopify!.accessToken,
          SHOPIFY_ADMIN_URL: shopify!.adminUrl,
        },
      }));
      await send(again, 'orders/create', order('5801122334455660006', 'EUR'));
      await again.settle();
      expect(warned()).toBe(0);
      expect(mailchimpStore(again)?.currency_code).toBe('USD');
      expect(await currencyStatus(again)).toMatchObject({
        configured: 'USD',
        shop: 'EUR',
        shopSource: 'admin_api',
        mailchimp: 'USD',
        mismatch: true,
      });
    } finally {
      await t?.close();
      t = undefined;
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('(d) an existing USD store without orders is corrected to the shop currency by a PATCH', async () => {
    const c = await start({shopifyCurrency: 'EUR'});
    await existingStore(c, 'USD', false);
    await send(c, 'products/create', product());
    await c.settle();

    expect(storePatches(c).map((r) => r.body)).toEqual([{currency_code: 'EUR'}]);
    expect(mailchimpStore(c)?.currency_code).toBe('EUR');
    expect(mailchimpStore(c)?.name).toBe('Old'); // the same store, not a new one
    expect(await currencyStatus(c)).toEqual({
      configured: null,
      shop: 'EUR',
      shopSource: 'admin_api',
      mailchimp: 'EUR',
      mismatch: false,
      note: null,
    });
  });

  it('(d) an existing USD store with orders keeps its currency, and the status says why', async () => {
    const c = await start();
    await existingStore(c, 'USD', true);
    await send(c, 'orders/create', order('5801122334455660007', 'EUR'));
    await c.settle();

    expect(storePatches(c)).toHaveLength(0);
    expect(mailchimpStore(c)?.currency_code).toBe('USD');
    // The order itself still goes in, with its own currency.
    expect(mailchimpStore(c)?.orders.get('5801122334455660007')?.currency_code).toBe('EUR');
    const status = await currencyStatus(c);
    expect(status).toMatchObject({configured: null, shop: 'EUR', mailchimp: 'USD', mismatch: true});
    expect(status.note).toMatch(/stays USD, not EUR: it already holds 1 order/);
    expect(logs.filter((l) => l.level === 40 && /stays USD, not EUR/.test(l.msg))).toHaveLength(1);
  });
});
