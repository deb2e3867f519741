import {readFileSync} from 'node:fs';
import path from 'node:path';
import {parseEventsBody} from './parse-events-body.js';
import {INGEST_EVENT_TYPES, type IngestEventType, type ParsedIngestEvent} from './schemas.js';
import {normaliseTimestamp, percentToFraction, toStoreEvent} from './to-store-events.js';

const FIXTURES = path.join(__dirname, 'fixtures');
const DOCS = path.join(__dirname, '../../../../docs/ingest-api.md');

function fixture(type: IngestEventType): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${type}.json`), 'utf8'));
}

function parseOne(event: unknown): ParsedIngestEvent {
  const result = parseEventsBody({events: [event]});
  if (!result.ok) throw new Error(`expected a valid event, got ${JSON.stringify(result.errors, null, 2)}`);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

const eur = (minor: number) => ({minor, currency: 'EUR'});
const jpy = (minor: number) => ({minor, currency: 'JPY'});

const london = {
  name: 'Ada Lovelace',
  address1: "12 St James's Square",
  city: 'London',
  postalCode: 'SW1Y 4JH',
  countryCode: 'GB',
};

/**
 * What each documented example must map to, written out by hand. Plain values (ids as plain strings), compared with
 * toStrictEqual: every key must match, and an absent field must be absent, not `undefined`.
 */
const EXPECTED: Record<IngestEventType, unknown> = {
  'customer.upsert': {
    kind: 'customer.upsert',
    customer: {
      id: 'cus_1001',
      email: 'ada@example-mail.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0000',
      // company "" = not known: left out
      address: {
        address1: "12 St James's Square",
        city: 'London',
        postalCode: 'SW1Y 4JH',
        country: 'United Kingdom',
        countryCode: 'GB',
      },
      consent: {
        state: 'subscribed',
        source: 'ingest_api',
        updatedAt: '2025-03-01T12:59:30.000Z',
        evidence: {
          text: 'Yes, send me news and offers by email. I can unsubscribe at any time.',
          textVersion: 'newsletter-2025-01',
          ip: '203.0.113.7',
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
          page: 'https://shop.example.com/checkout',
        },
      },
      tags: ['vip', 'wholesale'],
      createdAt: '2024-11-05T09:30:00.000Z',
      // no updated_at: occurred_at 13:00+01:00, in UTC
      updatedAt: '2025-03-01T12:00:00.000Z',
    },
  },
  'customer.delete': {kind: 'customer.delete', customerId: 'cus_1001'},
  'consent.update': {
    kind: 'consent.update',
    customerId: 'cus_1002',
    email: 'grace@example-mail.com',
    firstName: 'Grace',
    lastName: 'Hopper',
    consent: {state: 'unsubscribed', source: 'ingest_api', updatedAt: '2025-03-01T12:04:59.000Z'},
  },
  'product.upsert': {
    kind: 'product.upsert',
    product: {
      id: 'prd_501',
      title: 'Merino Beanie',
      handle: 'merino-beanie',
      url: 'https://shop.example.com/products/merino-beanie',
      description: 'Soft, warm, made in Portugal.',
      type: 'Hats',
      vendor: 'Northwool',
      imageUrl: 'https://cdn.example.com/img/beanie.jpg',
      images: [{id: 'img_1', url: 'https://cdn.example.com/img/beanie-grey.jpg', variantIds: ['var_501_grey']}],
      variants: [
        {
          id: 'var_501_grey',
          productId: 'prd_501',
          title: 'Grey',
          sku: 'BEAN-GRY',
          price: eur(2490),
          inventoryQuantity: 42,
          imageUrl: 'https://cdn.example.com/img/beanie-grey.jpg',
          url: 'https://shop.example.com/products/merino-beanie?variant=grey',
          visible: true,
          backorders: false,
        },
        {
          id: 'var_501_navy',
          productId: 'prd_501',
          title: 'Navy',
          sku: 'BEAN-NVY',
          price: eur(2490),
          inventoryQuantity: 0,
        },
      ],
      collections: ['winter', 'accessories'],
      publishedAt: '2024-10-01T00:00:00.000Z',
      updatedAt: '2025-03-01T09:59:58.000Z',
    },
  },
  'product.delete': {kind: 'product.delete', productId: 'prd_499'},
  'order.upsert': {
    kind: 'order.upsert',
    order: {
      id: 'ord_9001',
      name: '#9001',
      customer: {
        id: 'cus_1001',
        email: 'ada@example-mail.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        acceptsMarketing: true,
      },
      currency: 'EUR',
      total: eur(5375),
      discountTotal: eur(500),
      taxTotal: eur(858),
      shippingTotal: eur(495),
      lines: [
        {
          id: 'line_1',
          productId: 'prd_501',
          variantId: 'var_501_grey',
          title: 'Merino Beanie',
          variantTitle: 'Grey',
          sku: 'BEAN-GRY',
          quantity: 2,
          price: eur(2490),
          discount: eur(500),
        },
        {
          id: 'line_2',
          productId: null,
          variantId: null,
          title: 'Gift wrapping',
          quantity: 1,
          price: eur(400),
          discount: eur(0),
        },
      ],
      refunds: [
        {
          id: 'ref_1',
          createdAt: '2025-03-01T14:10:00.000Z',
          amount: eur(400),
          lines: [{lineId: 'line_2', quantity: 1, subtotal: eur(400)}],
        },
      ],
      discountCodes: [{code: 'WINTER5', amount: eur(500), type: 'fixed'}],
      financialStatus: 'partially_refunded',
      fulfillmentStatus: 'fulfilled',
      processedAt: '2025-03-01T10:02:13.000Z',
      updatedAt: '2025-03-01T14:20:00.000Z',
      isTest: false,
      landingSite: '/products/merino-beanie?mc_cid=2f1c9d7e8a&mc_eid=abc123',
      referringSite: 'https://news.example.com/',
      attributes: {gift_message: 'Happy birthday!'},
      orderUrl: 'https://shop.example.com/account/orders/9001',
      shippingAddress: london,
      billingAddress: london,
      tracking: {
        number: 'JD014600006281234567',
        carrier: 'Royal Mail',
        url: 'https://track.example.com/JD014600006281234567',
      },
    },
  },
  'refund.create': {
    kind: 'refund.create',
    orderId: 'ord_9001',
    refund: {
      id: 'ref_2',
      createdAt: '2025-03-03T09:00:00.000Z',
      amount: eur(1990),
      lines: [{lineId: 'line_1', quantity: 1, subtotal: eur(1990)}],
    },
  },
  'cart.upsert': {
    kind: 'cart.upsert',
    cart: {
      id: 'cart_77',
      customer: {id: 'cus_1002', email: 'grace@example-mail.com', firstName: 'Grace'},
      currency: 'JPY',
      total: jpy(3300),
      taxTotal: jpy(300),
      lines: [
        {
          id: 'cart_77_line_1',
          productId: 'prd_720',
          variantId: 'var_720',
          title: 'Sencha tea, 100 g',
          quantity: 3,
          price: jpy(1000),
          discount: jpy(0),
        },
      ],
      checkoutUrl: 'https://shop.example.com/checkout/cart_77?recover=1',
      landingSite: '/collections/tea',
      attributes: {},
      updatedAt: '2025-03-01T18:45:00.000Z',
    },
  },
  'cart.delete': {kind: 'cart.delete', cartId: 'cart_77'},
  'promo.upsert': {
    kind: 'promo.upsert',
    promo: {
      id: 'spring25',
      title: 'Spring sale',
      description: '12.5% off everything in spring',
      amount: {type: 'percentage', fraction: 0.125},
      target: 'total',
      startsAt: '2025-03-19T23:00:00.000Z',
      endsAt: '2025-04-20T21:59:59.000Z',
      enabled: true,
      codes: [
        {
          id: 'spring25-code',
          code: 'SPRING25',
          redemptionUrl: 'https://shop.example.com/discount/SPRING25',
          usageCount: 17,
          enabled: true,
        },
      ],
      updatedAt: '2025-03-01T07:00:00.000Z',
    },
  },
  'promo.delete': {kind: 'promo.delete', promoRuleId: 'winter5'},
  'person.redact': {
    kind: 'person.redact',
    customerId: 'cus_1003',
    email: 'former.customer@example-mail.com',
    orderIds: ['ord_8001', 'ord_8002'],
  },
};

describe('documented examples (fixtures)', () => {
  const docBlocks = [...readFileSync(DOCS, 'utf8').matchAll(/```json\n([\s\S]*?)\n```/g)].map(
    (match) => JSON.parse(match[1]!) as unknown,
  );

  it.each(INGEST_EVENT_TYPES)('%s: the fixture is the example printed in docs/ingest-api.md', (type) => {
    expect(docBlocks).toContainEqual(fixture(type));
  });

  it.each(INGEST_EVENT_TYPES)('%s: parses unchanged and maps exactly', (type) => {
    const event = parseOne(fixture(type));
    // Validation does not transform: the parsed event is what was sent.
    expect(event).toEqual(fixture(type));
    expect(toStoreEvent(event)).toStrictEqual(EXPECTED[type]);
  });

  it('every other JSON example of an event in the docs is valid', () => {
    const events = docBlocks.filter(
      (block): block is {type: string} =>
        typeof block === 'object' && block !== null && 'type' in block && 'occurred_at' in block,
    );
    expect(events.length).toBeGreaterThan(INGEST_EVENT_TYPES.length);
    for (const event of events) parseOne(event);
  });

  it('parses all the examples in one request, in order', () => {
    const result = parseEventsBody({events: INGEST_EVENT_TYPES.map(fixture)});
    expect(result.ok && result.events.map((e) => e.type)).toEqual([...INGEST_EVENT_TYPES]);
  });
});

describe('toStoreEvent details', () => {
  const order = fixture('order.upsert') as {data: Record<string, unknown>};

  it('defaults absent totals to zero, absent is_test to false, absent attributes to {}', () => {
    const {discount_total: _d, tax_total: _t, shipping_total: _s, is_test: _i, attributes: _a, ...data} = order.data;
    const mapped = toStoreEvent(parseOne({...order, data}));
    expect(mapped).toMatchObject({
      kind: 'order.upsert',
      order: {discountTotal: eur(0), taxTotal: eur(0), shippingTotal: eur(0), isTest: false, attributes: {}},
    });
  });

  it('uses the entity updated_at over occurred_at when given', () => {
    const mapped = toStoreEvent(parseOne({...order, data: {...order.data, updated_at: '2025-03-01T11:00:00-05:00'}}));
    expect(mapped.kind === 'order.upsert' && mapped.order.updatedAt).toBe('2025-03-01T16:00:00.000Z');
  });

  it('dates a refund without created_at by occurred_at', () => {
    const refund = fixture('refund.create') as {data: Record<string, unknown>};
    const mapped = toStoreEvent(parseOne(refund));
    expect(mapped.kind === 'refund.create' && mapped.refund.createdAt).toBe('2025-03-03T09:00:00.000Z');
  });

  it('maps a fixed promo amount to money in the promo currency', () => {
    const promo = fixture('promo.upsert') as {data: Record<string, unknown>};
    const mapped = toStoreEvent(
      parseOne({...promo, data: {...promo.data, currency: 'KWD', amount: {type: 'fixed', value: '1.5'}}}),
    );
    expect(mapped.kind === 'promo.upsert' && mapped.promo.amount).toEqual({
      type: 'fixed',
      money: {minor: 1500, currency: 'KWD'},
    });
  });

  it('defaults the order ids of a redaction to []', () => {
    const mapped = toStoreEvent(
      parseOne({
        id: 'r',
        type: 'person.redact',
        occurred_at: '2025-01-01T00:00:00Z',
        data: {email: 'x@example-mail.com'},
      }),
    );
    expect(mapped).toStrictEqual({kind: 'person.redact', email: 'x@example-mail.com', orderIds: []});
  });

  it('keeps sub-millisecond times to the millisecond, in UTC', () => {
    expect(normaliseTimestamp('2025-03-01T12:00:00.123456+05:30')).toBe('2025-03-01T06:30:00.123Z');
  });

  it.each([
    ['100', 1],
    ['12.5', 0.125],
    ['0.5', 0.005],
    ['7', 0.07],
    ['14.35', 0.1435],
    ['33.3333', 0.333333],
  ])('percent %s is the fraction %d', (percent, fraction) => {
    expect(percentToFraction(percent)).toBe(fraction);
  });
});
