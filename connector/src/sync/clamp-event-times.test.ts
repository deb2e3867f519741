import fc from 'fast-check';
import type {Consent} from '../model/consent.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CartId, type CustomerId, type OrderId, type ProductId, type PromoRuleId} from '../model/ids.js';
import {orderArb, refundArb} from './mappers/fixtures/arbitraries.js';
import {clampEventTimes, MAX_CLOCK_SKEW_MS} from './clamp-event-times.js';

/** Times from 2020 to 2100: around any receive time the test picks, before and (far) after it. */
const time = fc
  .integer({min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z')})
  .map((ms) => new Date(ms).toISOString());
const consentArb: fc.Arbitrary<Consent> = fc.record({
  state: fc.constantFrom('subscribed' as const, 'unsubscribed' as const, 'pending' as const),
  source: fc.constantFrom('shopify' as const, 'mailchimp' as const, 'ingest_api' as const),
  updatedAt: time,
});
const money = {minor: 100, currency: 'USD'};

const eventArb: fc.Arbitrary<StoreEvent> = fc.oneof(
  fc
    .record({
      id: fc.constant(asId<CustomerId>('c1')),
      email: fc.constant('a@shop.test'),
      tags: fc.constant<string[]>([]),
      updatedAt: time,
      consent: fc.option(consentArb, {nil: undefined}),
    })
    .map((customer): StoreEvent => ({kind: 'customer.upsert', customer})),
  consentArb.map((consent): StoreEvent => ({kind: 'consent.update', email: 'a@shop.test', consent})),
  consentArb.map((consent): StoreEvent => ({
    kind: 'mailchimp.consent',
    email: 'a@shop.test',
    consent: {...consent, source: 'mailchimp'},
    reason: 'unsubscribe',
  })),
  time.map((updatedAt): StoreEvent => ({
    kind: 'product.upsert',
    product: {id: asId<ProductId>('p1'), title: 'Tee', images: [], variants: [], collections: [], updatedAt},
  })),
  fc.tuple(orderArb, fc.array(time, {maxLength: 4}), time).map(([order, refundTimes, updatedAt]): StoreEvent => ({
    kind: 'order.upsert',
    order: {
      ...order,
      updatedAt,
      refunds: order.refunds.map((r, i) => ({...r, createdAt: refundTimes[i] ?? r.createdAt})),
    },
  })),
  fc.tuple(refundArb('USD'), time).map(([refund, createdAt]): StoreEvent => ({
    kind: 'refund.create',
    orderId: asId<OrderId>('o1'),
    refund: {...refund, createdAt},
  })),
  time.map((updatedAt): StoreEvent => ({
    kind: 'cart.upsert',
    cart: {id: asId<CartId>('k1'), customer: {}, currency: 'USD', total: money, lines: [], attributes: {}, updatedAt},
  })),
  time.map((updatedAt): StoreEvent => ({
    kind: 'promo.upsert',
    promo: {
      id: asId<PromoRuleId>('r1'),
      description: 'd',
      amount: {type: 'fixed', money},
      target: 'total',
      enabled: true,
      codes: [],
      updatedAt,
    },
  })),
  time.map((at): StoreEvent => ({kind: 'mailchimp.profile', email: 'a@shop.test', firstName: 'A', at})),
  time.map((at): StoreEvent => ({
    kind: 'mailchimp.email_change',
    oldEmail: 'a@shop.test',
    newEmail: 'b@shop.test',
    at,
  })),
  fc.constant<StoreEvent>({kind: 'customer.delete', customerId: asId<CustomerId>('c1')}),
  fc.constant<StoreEvent>({kind: 'ignored', reason: 'test'}),
);

/** Every time field the newer-wins rules read, listed independently of the implementation. */
function timesOf(event: StoreEvent): string[] {
  switch (event.kind) {
    case 'customer.upsert':
      return [event.customer.updatedAt, ...(event.customer.consent ? [event.customer.consent.updatedAt] : [])];
    case 'consent.update':
    case 'mailchimp.consent':
      return [event.consent.updatedAt];
    case 'product.upsert':
      return [event.product.updatedAt];
    case 'order.upsert':
      return [event.order.updatedAt, ...event.order.refunds.map((r) => r.createdAt)];
    case 'refund.create':
      return [event.refund.createdAt];
    case 'cart.upsert':
      return [event.cart.updatedAt];
    case 'promo.upsert':
      return [event.promo.updatedAt];
    case 'mailchimp.profile':
    case 'mailchimp.email_change':
      return [event.at];
    default:
      return [];
  }
}

/** The event with its time fields blanked: what must not change at all. */
function withoutTimes(event: StoreEvent): string {
  return JSON.stringify(event, (key, value: unknown) =>
    ['updatedAt', 'createdAt', 'at'].includes(key) ? '<time>' : value,
  );
}

describe('clampEventTimes', () => {
  it('never lets a time exceed receivedAt + skew, and leaves earlier times and every other field untouched', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, {maxLength: 5}),
        time,
        fc.integer({min: 0, max: 60 * 60_000}),
        (events, receivedAt, skew) => {
          const limit = Date.parse(receivedAt) + skew;
          const {events: out, clamped} = clampEventTimes(events, receivedAt, skew);
          expect(out).toHaveLength(events.length);
          let expectedClamps = 0;
          events.forEach((event, i) => {
            const before = timesOf(event);
            const after = timesOf(out[i]!);
            expect(after).toHaveLength(before.length);
            before.forEach((given, j) => {
              expect(Date.parse(after[j]!)).toBeLessThanOrEqual(limit);
              if (Date.parse(given) <= limit) {
                expect(after[j]).toBe(given);
              } else {
                expectedClamps += 1;
                expect(Date.parse(after[j]!)).toBe(limit);
              }
            });
            expect(withoutTimes(out[i]!)).toBe(withoutTimes(event));
          });
          expect(clamped).toHaveLength(expectedClamps);
        },
      ),
      {numRuns: 300},
    );
  });

  it('does not change its input, and says what it clamped', () => {
    const event: StoreEvent = {
      kind: 'consent.update',
      email: 'a@shop.test',
      consent: {state: 'subscribed', source: 'shopify', updatedAt: '2099-01-01T00:00:00Z'},
    };
    const copy = structuredClone(event);
    const result = clampEventTimes([event], '2026-03-01T12:00:00.000Z');
    expect(event).toEqual(copy);
    expect(result.events).toEqual([{...event, consent: {...event.consent, updatedAt: '2026-03-01T12:05:00.000Z'}}]);
    expect(result.clamped).toEqual([
      {field: 'consent.updatedAt', given: '2099-01-01T00:00:00Z', clampedTo: '2026-03-01T12:05:00.000Z'},
    ]);
    expect(MAX_CLOCK_SKEW_MS).toBe(5 * 60_000);
  });

  it('keeps a time within the skew, and clamps nothing when the receive time is unreadable', () => {
    const event: StoreEvent = {kind: 'mailchimp.profile', email: 'a@shop.test', at: '2026-03-01T12:04:59.000Z'};
    expect(clampEventTimes([event], '2026-03-01T12:00:00.000Z')).toEqual({events: [event], clamped: []});
    const future: StoreEvent = {...event, at: '2099-01-01T00:00:00.000Z'};
    expect(clampEventTimes([future], 'not a time')).toEqual({events: [future], clamped: []});
  });
});
