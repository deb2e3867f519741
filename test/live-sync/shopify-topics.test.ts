import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {
  checkoutPayload,
  consentPayload,
  customerPayload,
  orderPayload,
  productPayload,
  refundPayload,
} from '../support/shopify-webhooks.js';

// 64-bit ids beyond 2^53, as Shopify sends them: they must arrive in Mailchimp exactly.
const PRODUCT = '7513594872374821001';
const VARIANT_A = '42516954021908301';
const VARIANT_B = '42516954021908302';
const CUSTOMER = '6940095705142198271';
const EMAIL = 'ada.lovelace@shop.test';
const ORDER = '5801122334455667781';
const LINE_A = '14500000000000000001';
const LINE_B = '14500000000000000002';

describe('Shopify topics end to end (signed webhooks → connector → Mailchimp sandbox)', () => {
  let t: TestConnector;
  beforeEach(async () => {
    // The fixtures' purchases are from early 2026: a ten-year lapsed window keeps `lapsed` out unless a test wants it.
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}});
  });
  afterEach(() => t.close());

  const state = () => t.sandbox.sandbox.state;
  const store = () => state().stores.get(t.connection.mailchimpStoreId);
  const member = (email: string) => t.list.members.get(subscriberHash(email));

  async function send(topic: string, body: string, opts?: {webhookId?: string}) {
    const res = await t.webhook(topic, body, opts);
    expect(res.status).toBe(200);
    return res;
  }

  it('syncs product, customer, consent, order, refund, fulfilment, checkout and cart removal', async () => {
    await send(
      'products/create',
      productPayload({
        id: PRODUCT,
        title: 'Analytical Engine',
        handle: 'analytical-engine',
        updatedAt: '2026-03-01T10:00:00Z',
        variants: [
          {id: VARIANT_A, title: 'Brass', priceMinor: 12_50},
          {id: VARIANT_B, title: 'Steel', priceMinor: 20_00},
        ],
      }),
    );
    await send(
      'customers/create',
      customerPayload({
        id: CUSTOMER,
        email: EMAIL,
        firstName: 'Ada',
        lastName: 'Lovelace',
        updatedAt: '2026-03-01T10:01:00Z',
      }),
    );
    await send(
      'customers_email_marketing_consent/update',
      consentPayload({customerId: CUSTOMER, email: EMAIL, state: 'subscribed', updatedAt: '2026-03-01T10:02:00Z'}),
    );
    await send(
      'checkouts/create',
      checkoutPayload({
        token: 'chk-token-1',
        email: EMAIL,
        updatedAt: '2026-03-01T10:03:00Z',
        lines: [
          {
            id: 'k1',
            productId: PRODUCT,
            variantId: VARIANT_A,
            title: 'Analytical Engine',
            priceMinor: 12_50,
            quantity: 2,
          },
        ],
      }),
    );
    await t.settle();

    // The cart is in Mailchimp with its recovery URL, the product with both variants, the member subscribed.
    expect(store()?.carts.get('chk-token-1')).toMatchObject({
      checkout_url: 'https://demo-shop.myshopify.com/checkouts/chk-token-1/recover',
      order_total: 25,
    });
    const product = store()?.products.get(PRODUCT);
    expect(product?.title).toBe('Analytical Engine');
    expect([...(product?.variants.keys() ?? [])].sort()).toEqual([VARIANT_A, VARIANT_B]);
    expect(member(EMAIL)).toMatchObject({
      status: 'subscribed',
      merge_fields: expect.objectContaining({FNAME: 'Ada', LNAME: 'Lovelace'}),
    });

    const lines = [
      {
        id: LINE_A,
        productId: PRODUCT,
        variantId: VARIANT_A,
        title: 'Analytical Engine',
        priceMinor: 12_50,
        quantity: 2,
      },
      {
        id: LINE_B,
        productId: PRODUCT,
        variantId: VARIANT_B,
        title: 'Analytical Engine',
        priceMinor: 20_00,
        quantity: 1,
      },
    ];
    await send(
      'orders/create',
      orderPayload({
        id: ORDER,
        customer: {id: CUSTOMER, email: EMAIL},
        lines,
        financialStatus: 'paid',
        updatedAt: '2026-03-01T10:05:00Z',
        checkoutToken: 'chk-token-1',
      }),
    );
    await t.settle();

    let order = store()?.orders.get(ORDER);
    expect(order).toMatchObject({order_total: 45, financial_status: 'paid', customer_id: CUSTOMER});
    expect(order?.lines.map((l) => [l.product_variant_id, l.quantity, l.price])).toEqual([
      [VARIANT_A, 2, 12.5],
      [VARIANT_B, 1, 20],
    ]);
    expect(store()?.carts.has('chk-token-1')).toBe(false); // the order removed the abandoned cart
    expect(store()?.customers.get(CUSTOMER)).toMatchObject({email_address: EMAIL, orders_count: 1, total_spent: 45});
    // Shopify consent is not a newsletter-form sign-up, so no `newsletter` tag.
    expect(
      member(EMAIL)
        ?.tags.map((tag) => tag.name)
        .sort(),
    ).toEqual(['bought:analytical-engine', 'customer', 'first-time-buyer']);

    // A partial refund of the steel variant: the total drops by 20.00 and the status says so.
    await send(
      'refunds/create',
      refundPayload({
        id: '990011223344556677',
        orderId: ORDER,
        createdAt: '2026-03-02T09:00:00Z',
        lineItemId: LINE_B,
        quantity: 1,
        subtotalMinor: 20_00,
      }),
    );
    await t.settle();
    order = store()?.orders.get(ORDER);
    expect(order).toMatchObject({order_total: 25, financial_status: 'partially_refunded'});
    expect(store()?.customers.get(CUSTOMER)?.total_spent).toBe(25);
    // Refunded in full, the steel line is gone from the order Mailchimp holds (PATCH alone would have kept it).
    expect(order?.lines.map((l) => [l.id, l.product_variant_id, l.quantity])).toEqual([[LINE_A, VARIANT_A, 2]]);

    // Fulfilled later: shipped. The late retry of the original orders/create (older payload) changes nothing.
    await send(
      'orders/fulfilled',
      orderPayload({
        id: ORDER,
        customer: {id: CUSTOMER, email: EMAIL},
        lines,
        financialStatus: 'partially_refunded',
        fulfillmentStatus: 'fulfilled',
        updatedAt: '2026-03-03T09:00:00Z',
      }),
    );
    await send(
      'orders/create',
      orderPayload({
        id: ORDER,
        customer: {id: CUSTOMER, email: EMAIL},
        lines,
        financialStatus: 'paid',
        updatedAt: '2026-03-01T10:05:00Z',
      }),
    );
    await t.settle();
    expect(store()?.orders.get(ORDER)).toMatchObject({
      fulfillment_status: 'shipped',
      order_total: 25,
      financial_status: 'partially_refunded',
    });
    expect(
      store()
        ?.orders.get(ORDER)
        ?.lines.map((l) => [l.id, l.quantity]),
    ).toEqual([[LINE_A, 2]]);

    // One of the two brass units refunded: the line keeps its id with the quantity reduced, the total follows.
    await send(
      'refunds/create',
      refundPayload({
        id: '990011223344556678',
        orderId: ORDER,
        createdAt: '2026-03-04T09:00:00Z',
        lineItemId: LINE_A,
        quantity: 1,
        subtotalMinor: 12_50,
      }),
    );
    await t.settle();
    order = store()?.orders.get(ORDER);
    expect(order).toMatchObject({order_total: 12.5, financial_status: 'partially_refunded'});
    expect(order?.lines.map((l) => [l.id, l.quantity])).toEqual([[LINE_A, 1]]);
  });

  it('cancels orders, keeps test and unpaid orders out, and gives gone products a placeholder', async () => {
    await send('customers/create', customerPayload({id: CUSTOMER, email: EMAIL, updatedAt: '2026-03-01T10:01:00Z'}));
    const custom = [
      {id: LINE_A, productId: null, variantId: null, title: 'Gift wrapping', priceMinor: 5_00, quantity: 1},
    ];
    await send(
      'orders/create',
      orderPayload({
        id: ORDER,
        customer: {id: CUSTOMER, email: EMAIL},
        lines: custom,
        financialStatus: 'paid',
        updatedAt: '2026-03-01T10:05:00Z',
      }),
    );
    await send(
      'orders/create',
      orderPayload({
        id: '111',
        customer: {id: CUSTOMER, email: EMAIL},
        lines: custom,
        financialStatus: 'paid',
        test: true,
        updatedAt: '2026-03-01T10:06:00Z',
      }),
    );
    await send(
      'orders/create',
      orderPayload({
        id: '222',
        customer: {id: CUSTOMER, email: EMAIL},
        lines: custom,
        financialStatus: 'pending',
        updatedAt: '2026-03-01T10:07:00Z',
      }),
    );
    await t.settle();
    const order = store()?.orders.get(ORDER);
    expect(order?.lines[0]?.product_id).toMatch(/^placeholder-/);
    expect(store()?.products.get(order!.lines[0]!.product_id)?.title).toBe('Gift wrapping');
    expect(store()?.orders.has('111')).toBe(false);
    expect(store()?.orders.has('222')).toBe(false);
    // Transactional: a customer without consent is a contact, never a subscriber.
    expect(member(EMAIL)?.status).toBe('transactional');

    // A second paid order makes a repeat buyer; both tags are diffs, so first-time-buyer is removed.
    await send(
      'orders/paid',
      orderPayload({
        id: '333',
        customer: {id: CUSTOMER, email: EMAIL},
        lines: custom,
        financialStatus: 'paid',
        updatedAt: '2026-03-02T10:05:00Z',
      }),
    );
    await t.settle();
    expect(
      member(EMAIL)
        ?.tags.map((tag) => tag.name)
        .sort(),
    ).toEqual(['customer', 'repeat-buyer']);

    await send(
      'orders/cancelled',
      orderPayload({
        id: ORDER,
        customer: {id: CUSTOMER, email: EMAIL},
        lines: custom,
        financialStatus: 'refunded',
        cancelledAt: '2026-03-04T00:00:00Z',
        updatedAt: '2026-03-04T00:00:00Z',
      }),
    );
    await t.settle();
    expect(store()?.orders.get(ORDER)).toMatchObject({
      financial_status: 'cancelled',
      cancelled_at_foreign: expect.stringMatching(/^2026-03-04T00:00:00/),
    });
  });

  it('deletes products, forgets redacted people permanently, and pauses on app/uninstalled', async () => {
    await send(
      'products/create',
      productPayload({
        id: PRODUCT,
        title: 'Engine',
        handle: 'engine',
        updatedAt: '2026-03-01T10:00:00Z',
        variants: [{id: VARIANT_A, title: 'Brass', priceMinor: 100}],
      }),
    );
    await send(
      'customers/create',
      customerPayload({
        id: CUSTOMER,
        email: EMAIL,
        updatedAt: '2026-03-01T10:01:00Z',
        consent: {state: 'subscribed', updatedAt: '2026-03-01T10:01:00Z'},
      }),
    );
    await t.settle();
    expect(store()?.products.has(PRODUCT)).toBe(true);
    expect(member(EMAIL)?.status).toBe('subscribed');

    await send('products/delete', JSON.stringify({id: 0}).replace('0', PRODUCT));
    await send(
      'customers/redact',
      JSON.stringify({
        shop_id: 1,
        shop_domain: t.connection.shopDomain,
        customer: {id: 0, email: EMAIL, phone: null},
        orders_to_redact: [],
      }).replace('"id":0', `"id":${CUSTOMER}`),
    );
    await t.settle();
    expect(store()?.products.has(PRODUCT)).toBe(false);
    expect(member(EMAIL)).toBeUndefined();
    expect(t.list.forgotten.has(subscriberHash(EMAIL))).toBe(true);
    const people = await t.connector.store.db.selectFrom('people').selectAll().execute();
    expect(people).toHaveLength(0);

    await send(
      'app/uninstalled',
      JSON.stringify({id: 1, domain: 'shop.test', myshopify_domain: t.connection.shopDomain}),
    );
    await send(
      'products/create',
      productPayload({
        id: '42',
        title: 'After uninstall',
        handle: 'after',
        updatedAt: '2026-03-05T10:00:00Z',
        variants: [{id: '43', title: 'x', priceMinor: 100}],
      }),
    );
    await t.settle();
    expect(store()?.products.has('42')).toBe(false);
    expect((await t.connector.connections.byId(t.connection.id))?.status).toBe('uninstalled');
  });
});
