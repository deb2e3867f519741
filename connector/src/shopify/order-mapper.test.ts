import fc from 'fast-check';
import type {Order, PostalAddress} from '../model/entities.js';
import {asId, type CartId, type CustomerId, type ProductId, type VariantId} from '../model/ids.js';
import type {Money} from '../model/money.js';
import {editFixture, readFixture} from './fixtures/read-fixture.js';
import {mapShopifyWebhook, type MapResult} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z'};
const usd = (minor: number): Money => ({minor, currency: 'USD'});

function orderOf(result: MapResult): Order {
  if (!result.ok) throw new Error(`mapping failed: ${JSON.stringify(result.error)}`);
  const [event, ...rest] = result.events;
  if (event?.kind !== 'order.upsert' || rest.length > 0)
    throw new Error(`unexpected events ${JSON.stringify(result.events)}`);
  return event.order;
}

const steveShipper: PostalAddress = {
  name: 'Steve Shipper',
  company: 'Shipping Company',
  address1: '123 Shipping Street',
  city: 'Shippington',
  province: 'Kentucky',
  provinceCode: 'KY',
  postalCode: '40003',
  country: 'United States',
  countryCode: 'US',
  phone: '555-555-SHIP',
};

const placedOrder: Order = {
  id: asId('820982911946154508'),
  name: '#9999',
  // checkout_token: the abandoned cart this order completes.
  cartId: asId<CartId>('123123123'),
  // The order email wins over the nested customer's; names come from the customer.
  customer: {
    id: asId<CustomerId>('115310627314723954'),
    email: 'jon@example-mail.com',
    firstName: 'John',
    lastName: 'Smith',
    acceptsMarketing: true,
  },
  currency: 'USD',
  total: usd(45516),
  discountTotal: usd(1000),
  taxTotal: usd(2520),
  shippingTotal: usd(1000),
  lines: [
    {
      id: '487817672276298554',
      productId: asId<ProductId>('788032119674292922'),
      variantId: asId<VariantId>('642667041472713922'),
      title: 'Aviator sunglasses',
      variantTitle: 'Gold',
      sku: 'SKU2006-001',
      quantity: 1,
      price: usd(8999),
      discount: usd(1000), // from discount_allocations, not the deprecated total_discount "0.00"
    },
    {
      id: '789012345678901234',
      productId: null,
      variantId: null,
      title: 'Lens Protection Plan (2 Year)',
      sku: 'LENS-PROTECT-2YR',
      quantity: 1,
      price: usd(1999),
      discount: usd(0),
    },
    {
      id: '976318377106520349',
      productId: asId<ProductId>('788032119674292922'),
      variantId: asId<VariantId>('757650484644203962'),
      title: 'Mid-century lounger',
      variantTitle: 'Walnut',
      quantity: 2,
      price: usd(15999),
      discount: usd(0),
    },
  ],
  refunds: [],
  discountCodes: [{code: 'SPRING10', amount: usd(1000), type: 'fixed'}],
  financialStatus: 'paid',
  fulfillmentStatus: 'unfulfilled',
  processedAt: '2022-01-01T00:00:00.000Z',
  updatedAt: '2022-01-01T00:00:05.000Z',
  isTest: false,
  landingSite: '/products/aviator-sunglasses?mc_cid=abc123def4&mc_eid=9f8e7d6c5b',
  referringSite: 'https://us1.campaign-archive.com/',
  attributes: {mc_cid: 'abc123def4', gift_wrap: 'yes'},
  orderUrl: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
  shippingAddress: steveShipper,
  billingAddress: steveShipper,
};

describe('order topics', () => {
  it('orders/create: full order with null product ids kept, discounts, attributes and addresses', () => {
    const order = orderOf(mapShopifyWebhook('orders/create', readFixture('orders-create'), meta));
    expect(order).toStrictEqual(placedOrder);
    // 820982911946154508 > 2^53: JSON.parse would have produced …500.
    expect(order.id).toBe('820982911946154508');
  });

  it('orders/updated: refunds from successful refund transactions, latest live tracking, removed shipping ignored', () => {
    const order = orderOf(mapShopifyWebhook('orders/updated', readFixture('orders-updated'), meta));
    expect(order).toStrictEqual({
      ...placedOrder,
      // total stays as placed; the refund travels separately.
      refunds: [
        {
          id: '890088186047892319',
          createdAt: '2022-01-03T15:14:58.000Z',
          amount: usd(2119), // the failed transaction of the same amount is not counted
          lines: [{lineId: '789012345678901234', quantity: 1, subtotal: usd(1999)}],
        },
      ],
      financialStatus: 'partially_refunded',
      fulfillmentStatus: 'partial',
      updatedAt: '2022-01-03T15:15:00.000Z',
      tracking: {
        number: '1Z2345E60312345678',
        carrier: 'UPS',
        url: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z2345E60312345678',
      },
    });
  });

  it('orders/cancelled: the shopify.dev sample, a voided test order', () => {
    const order = orderOf(mapShopifyWebhook('orders/cancelled', readFixture('orders-cancelled'), meta));
    const ipod = {
      productId: asId<ProductId>('632910392'),
      variantId: asId<VariantId>('808950810'),
      title: 'IPod Nano - 8GB',
      sku: 'IPOD2008PINK',
      quantity: 1,
      price: usd(19900),
      discount: usd(0),
    };
    expect(order).toStrictEqual({
      id: '820982911946154508',
      name: '#9999',
      customer: {
        id: '115310627314723954',
        email: 'jon@example-mail.com',
        firstName: 'John',
        lastName: 'Smith',
        acceptsMarketing: true,
      },
      currency: 'USD',
      total: usd(38800),
      discountTotal: usd(2000),
      taxTotal: usd(0),
      shippingTotal: usd(1000),
      lines: [
        {id: '866550311766439020', ...ipod},
        {id: '141249953214522974', ...ipod},
      ],
      refunds: [],
      discountCodes: [],
      financialStatus: 'voided',
      fulfillmentStatus: 'unfulfilled',
      cancelledAt: '2022-01-01T00:00:00.000Z',
      processedAt: '2022-01-01T00:00:00.000Z',
      updatedAt: '2022-01-01T00:00:00.000Z',
      isTest: true,
      attributes: {},
      orderUrl: 'https://jsmith.myshopify.com/548380009/orders/123456abcd/authenticate?key=abcdefg',
      shippingAddress: steveShipper,
      billingAddress: steveShipper,
    });
  });

  it('orders/paid: a guest order in JPY (customer null, no minor digits, custom line)', () => {
    const order = orderOf(mapShopifyWebhook('orders/paid', readFixture('orders-paid-guest'), meta));
    const jpy = (minor: number): Money => ({minor, currency: 'JPY'});
    expect(order).toStrictEqual({
      id: '6033991870118912345',
      cartId: '6a7f9943815c1867d7f3532590e5597e',
      name: '#1019',
      // No customer id: the buyer is known by the order email only; names from the billing address.
      customer: {email: 'guest.buyer@example.jp', firstName: 'Hanako', lastName: 'Yamada', acceptsMarketing: false},
      currency: 'JPY',
      total: jpy(3850),
      discountTotal: jpy(0),
      taxTotal: jpy(350),
      shippingTotal: jpy(0),
      lines: [
        {
          id: '14851429007434',
          productId: null,
          variantId: null,
          title: 'Gift wrapping',
          quantity: 2,
          price: jpy(250),
          discount: jpy(0),
        },
        {
          id: '14851429040202',
          productId: '7870931927114',
          variantId: '41864347942986',
          title: 'Matcha set',
          variantTitle: 'Large',
          sku: 'MATCHA-L',
          quantity: 1,
          price: jpy(3000),
          discount: jpy(0),
        },
      ],
      refunds: [],
      discountCodes: [],
      financialStatus: 'paid',
      fulfillmentStatus: 'unfulfilled',
      processedAt: '2025-02-04T10:09:47.000Z',
      updatedAt: '2025-02-04T10:09:49.000Z',
      isTest: false,
      landingSite: '/',
      attributes: {delivery_date: '2025-02-10'}, // the blank-named attribute is dropped
      orderUrl:
        'https://example-store.myshopify.com/61738811466/orders/3f2846cd4a6dd8f78b71000bceee92cf/authenticate?key=0f57998a440b2269141ad3929b778918',
      billingAddress: {
        name: 'Hanako Yamada',
        address1: '1-2-3 Shibuya',
        city: 'Shibuya-ku',
        province: 'Tokyo',
        provinceCode: 'JP-13',
        postalCode: '150-0002',
        country: 'Japan',
        countryCode: 'JP',
        phone: '+81-3-1234-5678',
      },
    });
  });

  it('orders/fulfilled: empty order email falls back to the customer, tracking from tracking_numbers[]', () => {
    const order = orderOf(mapShopifyWebhook('orders/fulfilled', readFixture('orders-fulfilled'), meta));
    const eur = (minor: number): Money => ({minor, currency: 'EUR'});
    expect(order).toStrictEqual({
      id: '5940139491234567890',
      name: '#2042',
      customer: {
        id: '8832137625682004571',
        email: 'Jan.Bida@Example-mail.com',
        firstName: 'Jan',
        lastName: 'Bida',
        acceptsMarketing: true,
      },
      currency: 'EUR',
      total: eur(8500),
      discountTotal: eur(1990),
      taxTotal: eur(1357),
      shippingTotal: eur(490),
      lines: [
        {
          id: '13688971493691',
          productId: '8061536829755',
          variantId: '44023451828539',
          title: 'Vitamin C Serum',
          sku: 'VITC-30',
          quantity: 2,
          price: eur(5000),
          discount: eur(1500), // old line shape: no discount_allocations, total_discount used
        },
      ],
      refunds: [],
      discountCodes: [
        {code: 'FREESHIP', amount: eur(490), type: 'shipping'},
        {code: 'VIP15', amount: eur(1500), type: 'percentage'},
      ],
      financialStatus: 'paid',
      fulfillmentStatus: 'fulfilled',
      processedAt: '2024-11-10T09:30:00.000Z',
      updatedAt: '2024-11-12T07:00:00.000Z',
      isTest: false,
      attributes: {utm_source: 'newsletter'},
      shippingAddress: {
        name: 'Jan Bida',
        address1: 'Torstraße 1',
        city: 'Berlin',
        postalCode: '10119',
        country: 'Germany',
        countryCode: 'DE',
      },
      tracking: {
        number: 'JD014600006281230704',
        carrier: 'DHL Express',
        url: 'https://www.dhl.com/de-en/home/tracking.html?tracking-id=JD014600006281230704',
      },
    });
  });

  it('never reads the nested customer consent of an order as a consent event', () => {
    const result = mapShopifyWebhook('orders/fulfilled', readFixture('orders-fulfilled'), meta);
    expect(result.ok && result.events.map((e) => e.kind)).toEqual(['order.upsert']);
  });

  it('maps unknown or missing statuses without failing', () => {
    const raw = readFixture('orders-create')
      .replace('"financial_status": "paid"', '"financial_status": "expired"')
      .replace('"fulfillment_status": null', '"fulfillment_status": "on_hold"');
    const order = orderOf(mapShopifyWebhook('orders/create', raw, meta));
    expect(order.financialStatus).toBe('voided');
    expect(order.fulfillmentStatus).toBe('unknown');
    const noStatus = readFixture('orders-create').replace('"financial_status": "paid",', '');
    expect(orderOf(mapShopifyWebhook('orders/create', noStatus, meta)).financialStatus).toBe('unknown');
  });

  it('is not fooled by values that name Object.prototype members', () => {
    const raw = editFixture('orders-create', (payload) => {
      payload.financial_status = 'constructor';
      payload.fulfillment_status = 'toString';
      payload.discount_codes = [{code: 'X', amount: '1.00', type: 'hasOwnProperty'}];
      payload.note_attributes = [
        {name: '__proto__', value: 'kept'},
        {name: 'constructor', value: 'too'},
      ];
    });
    const order = orderOf(mapShopifyWebhook('orders/create', raw, meta));
    expect(order.financialStatus).toBe('unknown');
    expect(order.fulfillmentStatus).toBe('unknown');
    expect(order.discountCodes).toEqual([{code: 'X', amount: usd(100), type: 'fixed'}]);
    expect(Object.getPrototypeOf(order.attributes)).toBe(Object.prototype);
    expect(Object.entries(order.attributes)).toEqual([
      ['__proto__', 'kept'],
      ['constructor', 'too'],
    ]);
  });

  it('uses triggeredAt when the payload has no updated_at, and fails without either', () => {
    const raw = readFixture('orders-create').replace('"updated_at": "2021-12-31T19:00:05-05:00",', '');
    expect(orderOf(mapShopifyWebhook('orders/create', raw, meta)).updatedAt).toBe('2025-07-10T16:15:47.000Z');
    expect(mapShopifyWebhook('orders/create', raw, {shopDomain: meta.shopDomain})).toEqual({
      ok: false,
      error: {
        field: 'updated_at',
        message: 'no updated_at in the payload and no triggeredAt in meta: the version cannot be ordered',
      },
    });
  });

  it('reports a malformed line with its path', () => {
    const raw = readFixture('orders-create').replace('"price": "19.99"', '"price": "nineteen"');
    expect(mapShopifyWebhook('orders/create', raw, meta)).toEqual({
      ok: false,
      error: {field: 'line_items[1].price', message: 'not a decimal amount: "nineteen"'},
    });
  });
});

describe('order mapping properties', () => {
  const id64 = fc.bigInt({min: 1n, max: 2n ** 64n - 1n}).map(String);
  const cents = fc.bigInt({min: 0n, max: 10n ** 9n});
  const decimal = (c: bigint): string => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
  const line = fc.record({
    id: id64,
    productId: fc.option(id64, {nil: null}),
    variantId: fc.option(id64, {nil: null}),
    cents,
    quantity: fc.integer({min: 1, max: 1000}),
  });

  it('never throws, keeps every id exactly and sums line money like exact decimal arithmetic', () => {
    fc.assert(
      fc.property(
        id64,
        fc.option(id64, {nil: null}),
        fc.array(line, {minLength: 1, maxLength: 12}),
        cents,
        (orderId, customerId, lines, totalCents) => {
          const raw = `{
          "id": ${orderId},
          "financial_status": "paid",
          "email": "buyer@example-mail.com",
          "currency": "USD",
          "total_price": "${decimal(totalCents)}",
          "updated_at": "2024-01-02T03:04:05Z",
          "created_at": "2024-01-02T03:04:00Z",
          "customer": ${customerId === null ? 'null' : `{"id": ${customerId}}`},
          "line_items": [${lines
            .map(
              (l) =>
                `{"id": ${l.id}, "product_id": ${l.productId ?? 'null'}, "variant_id": ${l.variantId ?? 'null'}, "title": "t", "price": "${decimal(l.cents)}", "quantity": ${l.quantity}}`,
            )
            .join(',')}]
        }`;
          const order = orderOf(mapShopifyWebhook('orders/create', raw, meta));
          expect(order.id).toBe(orderId);
          expect(order.customer.id).toBe(customerId ?? undefined);
          expect(order.total.minor).toBe(Number(totalCents));
          order.lines.forEach((mapped, index) => {
            const source = lines[index];
            if (!source) throw new Error('line count differs');
            expect(mapped.id).toBe(source.id);
            expect(mapped.productId).toBe(source.productId);
            expect(mapped.variantId).toBe(source.variantId);
          });
          const mappedSum = order.lines.reduce((acc, l) => acc + BigInt(l.price.minor) * BigInt(l.quantity), 0n);
          const exactSum = lines.reduce((acc, l) => acc + l.cents * BigInt(l.quantity), 0n);
          expect(mappedSum).toBe(exactSum);
        },
      ),
      {numRuns: 300},
    );
  });

  it('never throws on arbitrary JSON bodies for any order topic', () => {
    const topic = fc.constantFrom(
      'orders/create',
      'orders/updated',
      'orders/paid',
      'orders/fulfilled',
      'orders/cancelled',
    );
    fc.assert(
      fc.property(topic, fc.jsonValue(), (t, value) => {
        const result = mapShopifyWebhook(t, JSON.stringify(value) ?? 'null', meta);
        return result.ok || !result.error.message.startsWith('mapper failed');
      }),
      {numRuns: 300},
    );
  });
});
