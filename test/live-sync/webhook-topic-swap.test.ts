import {randomUUID} from 'node:crypto';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {customerPayload, orderPayload, productPayload, signWebhook} from '../support/shopify-webhooks.js';

/**
 * Shopify's HMAC covers the body only: topic, webhook id and shop arrive in headers anyone can rewrite. These tests
 * replay validly signed bodies under another topic (with a fresh webhook id), as an attacker holding one captured
 * delivery would, and check that nothing happens: no inbox row, Mailchimp untouched, the connection still active.
 */

const PRODUCT = '7513594872374821001';
const VARIANT = '42516954021908301';
const CUSTOMER = '6940095705142198271';
const EMAIL = 'ada.lovelace@shop.test';
const ORDER = '5801122334455667781';

type HeaderSet = 'x-shopify' | 'shopify';

/** A signed delivery with the `X-Shopify-*` headers, or the un-prefixed `Shopify-*` ones (plus `Shopify-Event-Id`). */
function delivery(
  secret: string,
  topic: string,
  body: string,
  headerSet: HeaderSet,
  shop = TEST_SHOP,
): Record<string, string> {
  const signed = signWebhook(secret, shop, topic, body, {webhookId: randomUUID()});
  if (headerSet === 'x-shopify') return signed.headers;
  const headers: Record<string, string> = {'Content-Type': 'application/json', 'Shopify-Event-Id': randomUUID()};
  for (const [name, value] of Object.entries(signed.headers))
    if (name.startsWith('X-Shopify-')) headers[name.slice('X-'.length)] = value;
  return headers;
}

const productBody = () =>
  productPayload({
    id: PRODUCT,
    title: 'Analytical Engine',
    handle: 'analytical-engine',
    updatedAt: '2026-03-01T10:00:00Z',
    variants: [{id: VARIANT, title: 'Brass', priceMinor: 12_50}],
  });
const orderBody = () =>
  orderPayload({
    id: ORDER,
    customer: {id: CUSTOMER, email: EMAIL},
    financialStatus: 'paid',
    updatedAt: '2026-03-01T10:05:00Z',
    lines: [
      {
        id: '14500000000000000001',
        productId: PRODUCT,
        variantId: VARIANT,
        title: 'Analytical Engine',
        priceMinor: 12_50,
        quantity: 1,
      },
    ],
  });
const redactBody = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    shop_id: 548380009,
    shop_domain: TEST_SHOP,
    customer: {id: 0, email: EMAIL, phone: null},
    orders_to_redact: [],
    ...fields,
  }).replace('"id":0', `"id":${CUSTOMER}`);
const shopBody = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 548380009,
    name: 'E2E shop',
    myshopify_domain: TEST_SHOP,
    domain: 'shop.test',
    currency: 'USD',
    ...fields,
  });

describe('a signed body re-sent under another topic (topic swap)', () => {
  let t: TestConnector;
  beforeEach(async () => {
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}});
    // A shop with a subscribed member, a product and an order in Mailchimp.
    for (const [topic, body] of [
      ['products/create', productBody()],
      [
        'customers/create',
        customerPayload({
          id: CUSTOMER,
          email: EMAIL,
          updatedAt: '2026-03-01T10:01:00Z',
          consent: {state: 'subscribed', updatedAt: '2026-03-01T10:01:00Z'},
        }),
      ],
      ['orders/create', orderBody()],
    ] as const) {
      expect((await t.webhook(topic, body)).status).toBe(200);
    }
    await t.settle();
    expect(store()?.orders.has(ORDER)).toBe(true);
    expect(member()?.status).toBe('subscribed');
  });
  afterEach(() => t.close());

  const store = () => t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId);
  const member = () => t.list.members.get(subscriberHash(EMAIL));
  const inboxRows = (topic: string) =>
    t.connector.store.db.selectFrom('inbox_events').selectAll().where('topic', '=', topic).execute();
  const post = (headers: Record<string, string>, body: string) =>
    t.http().post('/webhooks/shopify').set(headers).send(body);

  async function refusedCount(topic: string, reason: string): Promise<number> {
    const res = await t.http().get('/metrics').set('Authorization', `Bearer ${t.adminToken}`);
    expect(res.status).toBe(200);
    const line = res.text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('connector_webhooks_refused_total{') &&
          l.includes(`topic="${topic}"`) &&
          l.includes(`reason="${reason}"`),
      );
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  async function expectNothingHappened(topic: string) {
    await t.settle();
    expect(await inboxRows(topic)).toEqual([]);
    expect(store()).toBeDefined();
    expect(store()?.orders.has(ORDER)).toBe(true);
    expect(store()?.products.has(PRODUCT)).toBe(true);
    expect(member()?.status).toBe('subscribed');
    expect(t.list.forgotten.has(subscriberHash(EMAIL))).toBe(false);
    expect((await t.connector.connections.byId(t.connection.id))?.status).toBe('active');
  }

  const swaps = (['x-shopify', 'shopify'] as const).flatMap((headerSet) =>
    (['orders/create', 'products/create'] as const).flatMap((from) =>
      (['customers/redact', 'shop/redact', 'app/uninstalled'] as const).map((to) => [from, to, headerSet] as const),
    ),
  );

  it.each(swaps)(
    'a signed %s body re-sent as %s (%s-* headers) is refused with 422, stored nowhere, and changes nothing',
    async (from, to, headerSet) => {
      const body = from === 'orders/create' ? orderBody() : productBody();
      const res = await post(delivery(t.webhookSecret, to, body, headerSet), body);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({status: 422, type: expect.stringMatching(/webhook-body-refused$/)});
      await expectNothingHappened(to);
      expect(await refusedCount(to, 'wrong_shape')).toBe(1);
    },
  );

  it.each(['x-shopify', 'shopify'] as const)(
    'a genuine customers/redact re-sent as shop/redact is refused (%s-* headers)',
    async (headerSet) => {
      const body = redactBody();
      expect((await post(delivery(t.webhookSecret, 'shop/redact', body, headerSet), body)).status).toBe(422);
      await expectNothingHappened('shop/redact');
    },
  );

  it('refuses compliance and uninstall bodies that do not name this shop: absent, another shop, no shop id', async () => {
    const cases: Array<[string, string, string]> = [
      ['customers/redact', redactBody({shop_domain: undefined}), 'wrong_shape'],
      ['customers/redact', redactBody({shop_domain: 'other-shop.myshopify.com'}), 'foreign_shop'],
      ['customers/redact', redactBody({shop_id: undefined}), 'wrong_shape'],
      ['shop/redact', JSON.stringify({shop_id: 548380009}), 'wrong_shape'],
      ['shop/redact', JSON.stringify({shop_domain: TEST_SHOP}), 'wrong_shape'],
      ['shop/redact', JSON.stringify({shop_id: 548380009, shop_domain: 'other-shop.myshopify.com'}), 'foreign_shop'],
      [
        'customers/data_request',
        JSON.stringify({shop_id: 548380009, customer: {id: 1}, orders_requested: [], data_request: {id: 9}}),
        'wrong_shape',
      ],
      ['app/uninstalled', JSON.stringify({id: 1, domain: TEST_SHOP}), 'wrong_shape'],
      ['app/uninstalled', shopBody({myshopify_domain: 'other-shop.myshopify.com'}), 'foreign_shop'],
    ];
    for (const [topic, body, reason] of cases) {
      const res = await post(delivery(t.webhookSecret, topic, body, 'x-shopify'), body);
      expect({topic, body, status: res.status, reason: res.body.reason}).toEqual({topic, body, status: 422, reason});
    }
    await expectNothingHappened('customers/redact');
    await expectNothingHappened('shop/redact');
    await expectNothingHappened('app/uninstalled');
    expect(await refusedCount('customers/redact', 'foreign_shop')).toBe(1);
    expect(await refusedCount('shop/redact', 'wrong_shape')).toBe(2);
  });

  it('refuses an entity body under another entity topic (an order as a checkout, a product as a customer, a customer as a refund)', async () => {
    const customer = customerPayload({id: CUSTOMER, email: EMAIL, updatedAt: '2026-03-02T10:00:00Z'});
    for (const [topic, body] of [
      ['checkouts/create', orderBody()],
      ['customers/update', productBody()],
      ['refunds/create', customer],
      ['customers_email_marketing_consent/update', customer],
      ['products/update', orderBody()],
      ['orders/updated', productBody()],
      ['products/delete', productBody()],
      ['customers/delete', customer],
    ] as const) {
      const res = await post(delivery(t.webhookSecret, topic, body, 'x-shopify'), body);
      expect({topic, status: res.status}).toEqual({topic, status: 422});
      expect(await inboxRows(topic)).toEqual([]);
    }
    await expectNothingHappened('products/delete');
  });

  it.each(['x-shopify', 'shopify'] as const)(
    'still applies genuine customers/redact, app/uninstalled and shop/redact end to end (%s-* headers)',
    async (headerSet) => {
      const send = async (topic: string, body: string) => {
        const res = await post(delivery(t.webhookSecret, topic, body, headerSet), body);
        expect({topic, status: res.status}).toEqual({topic, status: 200});
      };
      await send('customers/redact', redactBody({orders_to_redact: []}));
      await t.settle();
      expect(member()).toBeUndefined();
      expect(t.list.forgotten.has(subscriberHash(EMAIL))).toBe(true);

      await send('app/uninstalled', shopBody());
      await t.settle();
      expect((await t.connector.connections.byId(t.connection.id))?.status).toBe('uninstalled');

      // shop/redact comes 48 h after the uninstall; the shop's Mailchimp store goes (the audience stays).
      await t.connector.connections.setStatus(t.connection.id, 'active', new Date().toISOString());
      await send('shop/redact', JSON.stringify({shop_id: 548380009, shop_domain: TEST_SHOP}));
      await t.settle();
      expect(store()).toBeUndefined();
    },
  );

  it('a swapped delivery stored before this check (or replayed by an operator) fails in the inbox without effect', async () => {
    for (const [topic, body] of [
      ['shop/redact', orderBody()],
      ['customers/redact', productBody()],
      ['app/uninstalled', orderBody()],
      ['shop/redact', redactBody()],
    ] as const) {
      const {id} = await t.connector.inbox.append({
        connectionId: t.connection.id,
        source: 'shopify',
        topic,
        dedupeKey: randomUUID(),
        payload: body,
        receivedAt: new Date().toISOString(),
      });
      await t.settle();
      const replay = await t.http().post(`/v1/inbox/${id}/replay`).set('Authorization', `Bearer ${t.adminToken}`);
      expect(replay.status).toBe(202);
      await t.settle();
      const row = await t.connector.store.db
        .selectFrom('inbox_events')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect({topic, status: row.status, error: row.error}).toEqual({
        topic,
        status: 'failed',
        error: expect.stringMatching(/another topic's body|missing/),
      });
    }
    for (const topic of ['shop/redact', 'customers/redact', 'app/uninstalled']) {
      await t.connector.store.db.deleteFrom('inbox_events').where('topic', '=', topic).execute();
      await expectNothingHappened(topic);
    }
  });

  it('refuses a body signed for the shop but delivered under another header set of inconsistent domains', async () => {
    // The library verifies with the header set whose HMAC header is present; the shop must come from that same set.
    const body = redactBody();
    const headers = {
      ...delivery(t.webhookSecret, 'customers/redact', body, 'shopify', 'other-shop.myshopify.com'),
      'X-Shopify-Shop-Domain': TEST_SHOP,
    };
    expect((await post(headers, body)).status).toBe(401);
    await expectNothingHappened('customers/redact');
  });
});
