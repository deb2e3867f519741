import fc from 'fast-check';
import type {Order} from '../model/entities.js';
import {asId, type CartId} from '../model/ids.js';
import {orderArb} from '../sync/mappers/fixtures/arbitraries.js';
import {EXPECTED_SEGMENTS, FIXTURE_NOW} from './fixtures/audience.js';
import {fixtureAudience} from './fixtures/audience-facts-from-events.js';
import {
  conditionHolds,
  countedOrders,
  expectedSubscribed,
  inexactConditions,
  segmentHolds,
  type EvaluationContext,
  type PersonFacts,
} from './local-audience.js';
import type {SegmentCondition} from './segment-definition.js';

const tagRules = {vipSpendThreshold: {minor: 20_000, currency: 'USD'}, lapsedAfterDays: 180};
const {people, ctx} = fixtureAudience(tagRules);
const nameOf = (p: PersonFacts) => p.email.split('@')[0]!;

describe('local evaluation of the fixture segments', () => {
  it.each(EXPECTED_SEGMENTS.map((s) => [s.definition.name, s] as const))('%s', (_name, expected) => {
    const members = people.filter((p) => segmentHolds(expected.definition, p, ctx));
    expect(members.map(nameOf).sort()).toEqual([...expected.members].sort());
    expect(members.filter(expectedSubscribed).map(nameOf).sort()).toEqual([...expected.subscribed].sort());
  });

  it('counts only the orders Mailchimp counts (paid, not cancelled, not refunded, not tests)', () => {
    const eve = people.find((p) => p.email === 'eve@shop.test')!;
    expect(eve.orders).toHaveLength(2);
    expect(countedOrders(eve.orders).map((o) => o.id)).toEqual(['o5']);
  });

  it("says when a tag is not the connector's own", () => {
    expect(inexactConditions({conditions: [{type: 'tag', tag: 'vip', op: 'is'}]}, ctx)).toEqual([]);
    expect(inexactConditions({conditions: [{type: 'tag', tag: 'wholesale', op: 'is'}]}, ctx)).toHaveLength(1);
  });
});

/** A person with arbitrary orders (any status, refunds, currencies), consent and carts. */
const personArb: fc.Arbitrary<PersonFacts> = fc.record({
  email: fc.emailAddress().map((e) => e.toLowerCase()),
  consent: fc.option(
    fc.record({
      state: fc.constantFrom('subscribed' as const, 'unsubscribed' as const, 'not_subscribed' as const),
      source: fc.constant('shopify' as const),
      updatedAt: fc.constant('2025-01-01T00:00:00Z'),
    }),
    {nil: undefined},
  ),
  orders: fc.array(
    orderArb.map((o): Order => ({
      ...o,
      currency: 'USD',
      total: {minor: o.total.minor % 1_000_000, currency: 'USD'},
      refunds: o.refunds.map((r) => ({
        ...r,
        amount: {minor: r.amount.minor % 1_000_000, currency: 'USD'},
        lines: r.lines.map((l) => ({...l, subtotal: {minor: 0, currency: 'USD'}})),
      })),
    })),
    {maxLength: 4},
  ),
  openCarts: fc.array(
    fc.record({
      id: fc.uuid().map((id) => asId<CartId>(id)),
      updatedAt: fc
        .date({min: new Date('2025-01-01'), max: new Date('2026-03-01'), noInvalidDate: true})
        .map((d) => d.toISOString()),
    }),
    {maxLength: 2},
  ),
  tags: fc.uniqueArray(fc.constantFrom('vip', 'customer', 'wholesale'), {maxLength: 3}).map((t) => new Set(t)),
});

const propCtx: EvaluationContext = {
  now: FIXTURE_NOW,
  currency: 'USD',
  collectionsOf: (id) => (id === 'p1' ? ['summer'] : []),
  isKnownTag: () => true,
};

type Negatable = Extract<SegmentCondition, {type: 'tag' | 'bought_product' | 'bought_variant' | 'bought_collection'}>;
const negatable: fc.Arbitrary<Negatable> = fc.oneof(
  fc.record({
    type: fc.constant('tag' as const),
    tag: fc.constantFrom('vip', 'wholesale'),
    op: fc.constant('is' as const),
  }),
  fc.record({
    type: fc.constant('bought_product' as const),
    product_id: fc.constantFrom('p1', 'p2'),
    op: fc.constant('is' as const),
    within_days: fc.option(fc.integer({min: 1, max: 2000}), {nil: undefined}),
  }),
  fc.record({
    type: fc.constant('bought_variant' as const),
    variant_id: fc.constantFrom('v1', 'v2'),
    op: fc.constant('is' as const),
    within_days: fc.option(fc.integer({min: 1, max: 2000}), {nil: undefined}),
  }),
  fc.record({
    type: fc.constant('bought_collection' as const),
    collection: fc.constantFrom('summer', 'Summer', 'winter'),
    op: fc.constant('is' as const),
    within_days: fc.option(fc.integer({min: 1, max: 2000}), {nil: undefined}),
  }),
);

describe('local evaluation properties', () => {
  it('"not" is the exact complement of "is"', () => {
    fc.assert(
      fc.property(personArb, negatable, (person, condition) => {
        expect(conditionHolds({...condition, op: 'not'}, person, propCtx)).toBe(
          !conditionHolds(condition, person, propCtx),
        );
      }),
    );
  });

  it('an "all" segment holds only where the "any" segment holds', () => {
    fc.assert(
      fc.property(personArb, fc.array(negatable, {minLength: 1, maxLength: 4}), (person, conditions) => {
        if (segmentHolds({match: 'all', conditions}, person, propCtx))
          expect(segmentHolds({match: 'any', conditions}, person, propCtx)).toBe(true);
      }),
    );
  });

  it('spend above and below the same amount never both hold; "within N days" grows with N', () => {
    fc.assert(
      fc.property(
        personArb,
        fc.double({min: 0, max: 20_000, noNaN: true}),
        fc.integer({min: 1, max: 1000}),
        fc.integer({min: 0, max: 1000}),
        (person, amount, days, more) => {
          const above = conditionHolds({type: 'total_spent', op: 'greater', amount}, person, propCtx);
          const below = conditionHolds({type: 'total_spent', op: 'less', amount}, person, propCtx);
          expect(above && below).toBe(false);
          const within = conditionHolds({type: 'last_purchase', op: 'within_days', days}, person, propCtx);
          if (within)
            expect(conditionHolds({type: 'last_purchase', op: 'within_days', days: days + more}, person, propCtx)).toBe(
              true,
            );
          // Lapsed and recent split buyers exactly; people without counted orders are neither.
          const lapsed = conditionHolds({type: 'last_purchase', op: 'not_within_days', days}, person, propCtx);
          expect(within && lapsed).toBe(false);
          expect(within || lapsed).toBe(countedOrders(person.orders).length > 0);
        },
      ),
    );
  });

  it('a person without counted orders has bought nothing, spent nothing and has no last purchase', () => {
    fc.assert(
      fc.property(personArb, (person) => {
        fc.pre(countedOrders(person.orders).length === 0);
        expect(conditionHolds({type: 'order_count', op: 'is', value: 0}, person, propCtx)).toBe(true);
        expect(conditionHolds({type: 'total_spent', op: 'greater', amount: 0}, person, propCtx)).toBe(false);
        expect(conditionHolds({type: 'last_purchase', op: 'before', date: '2100-01-01'}, person, propCtx)).toBe(false);
        expect(conditionHolds({type: 'bought_product', product_id: 'p1', op: 'is'}, person, propCtx)).toBe(false);
      }),
    );
  });
});
