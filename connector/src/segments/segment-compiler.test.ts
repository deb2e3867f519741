import fc from 'fast-check';
import {MAX_TAG_LENGTH} from '../sync/rules/tag-rules.js';
import {EXPECTED_SEGMENTS} from './fixtures/audience.js';
import {fixtureAudience} from './fixtures/audience-facts-from-events.js';
import {
  LOCAL_TAG_FAMILY,
  localTagName,
  planSegment,
  tagsOf,
  toMailchimpOptions,
  UnresolvedTagError,
  type CatalogFacts,
} from './segment-compiler.js';
import {parseSegmentDefinition, segmentConditionSchema, type SegmentCondition} from './segment-definition.js';

const {catalog} = fixtureAudience({vipSpendThreshold: {minor: 20_000, currency: 'USD'}});

describe('planSegment with the fixture store', () => {
  it('compiles what Mailchimp can express natively and the rest to local tags', () => {
    for (const expected of EXPECTED_SEGMENTS) {
      const plan = planSegment(expected.definition, {catalog});
      const local = plan.conditions.filter((c) => c.source === 'local').map((c) => c.index);
      expect({name: expected.definition.name, local}).toEqual({
        name: expected.definition.name,
        local: expected.localConditions,
      });
      expect(plan.match).toBe(expected.definition.match);
    }
  });

  it('turns each kind of condition into the exact Mailchimp condition', () => {
    const plan = planSegment(
      {
        match: 'any',
        conditions: [
          {type: 'bought_product', product_id: 'p-tee', op: 'not'},
          {type: 'total_spent', op: 'greater', amount: 99.5},
          {type: 'order_count', op: 'is', value: 3},
          {type: 'last_purchase', op: 'before', date: '2026-01-01'},
          {type: 'last_purchase', op: 'after', date: '2026-02-21'},
          {type: 'tag', tag: 'wholesale', op: 'not'},
          {type: 'bought_variant', variant_id: 'v-tee-s', op: 'not', within_days: 30},
        ],
      },
      {catalog, tagPrefix: 'shop:'},
    );
    const ids = new Map([
      ['wholesale', 11],
      ['shop:segment:bought-variant-v-tee-s-30d', 12],
    ]);
    expect(toMailchimpOptions(plan, (t) => ids.get(t))).toEqual({
      match: 'any',
      conditions: [
        {condition_type: 'EcommCategory', field: 'ecomm_prod', op: 'not', value: 'Organic Tee'},
        {condition_type: 'EcommSpent', field: 'ecomm_spent_all', op: 'greater', value: 99.5},
        {condition_type: 'EcommNumber', field: 'ecomm_orders', op: 'is', value: 3},
        {condition_type: 'Date', field: 'ecomm_date', op: 'less', value: 'date', extra: '2026-01-01'},
        {condition_type: 'Date', field: 'ecomm_date', op: 'greater', value: 'date', extra: '2026-02-21'},
        {condition_type: 'StaticSegment', field: 'static_segment', op: 'static_not', value: 11},
        {condition_type: 'StaticSegment', field: 'static_segment', op: 'static_not', value: 12},
      ],
    });
    // The negated local condition's tag holds the positive set.
    const local = plan.conditions[6];
    expect(local).toMatchObject({
      source: 'local',
      op: 'static_not',
      holds: {type: 'bought_variant', variant_id: 'v-tee-s', op: 'is', within_days: 30},
    });
  });

  it('falls back to a local tag when a product title is shared or unknown', () => {
    const plan = planSegment(
      {
        match: 'all',
        conditions: [
          {type: 'bought_product', product_id: 'p-gift-a', op: 'is'},
          {type: 'bought_product', product_id: 'nope', op: 'is'},
        ],
      },
      {catalog},
    );
    expect(plan.conditions.map((c) => c.source)).toEqual(['local', 'local']);
    expect(plan.conditions[0]).toMatchObject({reason: expect.stringContaining('also titled "Gift Card"')});
  });

  it('refuses to build options while a tag has no id', () => {
    const plan = planSegment({match: 'all', conditions: [{type: 'tag', tag: 'vip', op: 'is'}]}, {catalog});
    expect(() => toMailchimpOptions(plan, () => undefined)).toThrow(UnresolvedTagError);
  });
});

describe('segment definitions', () => {
  it('lists every offending field', () => {
    const result = parseSegmentDefinition({
      name: '',
      match: 'some',
      conditions: [
        {type: 'total_spent', op: 'greater', amount: -1},
        {type: 'last_purchase', op: 'before', date: '2026-02-30'},
        {type: 'tag'},
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field).sort()).toEqual([
      'conditions.0.amount',
      'conditions.1.date',
      'conditions.2.tag',
      'match',
      'name',
    ]);
  });

  it('rejects unknown fields and empty condition lists', () => {
    expect(parseSegmentDefinition({name: 'x', match: 'all', conditions: []}).ok).toBe(false);
    expect(parseSegmentDefinition({name: 'x', match: 'all', conditions: [{type: 'subscribed', extra: 1}]}).ok).toBe(
      false,
    );
    expect(
      parseSegmentDefinition({name: 'x', match: 'all', conditions: [{type: 'subscribed'}], colour: 'red'}).ok,
    ).toBe(false);
  });
});

/** Any valid condition, as the schema accepts it. */
const conditionArb: fc.Arbitrary<SegmentCondition> = fc
  .oneof(
    fc.record({
      type: fc.constant('tag' as const),
      tag: fc.string({minLength: 1, maxLength: 100}).filter((s) => s.trim().length > 0),
      op: fc.constantFrom('is' as const, 'not' as const),
    }),
    fc.record({
      type: fc.constant('bought_product' as const),
      product_id: fc.constantFrom('p-tee', 'p-gift-a', 'p-unknown', 'x'.repeat(200)),
      op: fc.constantFrom('is' as const, 'not' as const),
      within_days: fc.option(fc.integer({min: 1, max: 3650}), {nil: undefined}),
    }),
    fc.record({
      type: fc.constant('bought_variant' as const),
      variant_id: fc.string({minLength: 1, maxLength: 200}).filter((s) => s.trim().length > 0),
      op: fc.constantFrom('is' as const, 'not' as const),
      within_days: fc.option(fc.integer({min: 1, max: 3650}), {nil: undefined}),
    }),
    fc.record({
      type: fc.constant('bought_collection' as const),
      collection: fc.string({minLength: 1, maxLength: 200}).filter((s) => s.trim().length > 0),
      op: fc.constantFrom('is' as const, 'not' as const),
      within_days: fc.option(fc.integer({min: 1, max: 3650}), {nil: undefined}),
    }),
    fc.record({
      type: fc.constant('total_spent' as const),
      op: fc.constantFrom('greater' as const, 'less' as const),
      amount: fc.double({min: 0, max: 1e6, noNaN: true}),
    }),
    fc.record({
      type: fc.constant('order_count' as const),
      op: fc.constantFrom('is' as const, 'not' as const, 'greater' as const, 'less' as const),
      value: fc.nat(1000),
    }),
    fc.record({
      type: fc.constant('last_purchase' as const),
      op: fc.constantFrom('before' as const, 'after' as const),
      date: fc
        .date({min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true})
        .map((d) => d.toISOString().slice(0, 10)),
    }),
    fc.record({
      type: fc.constant('last_purchase' as const),
      op: fc.constantFrom('within_days' as const, 'not_within_days' as const),
      days: fc.integer({min: 1, max: 3650}),
    }),
    fc.record({
      type: fc.constant('abandoned_cart' as const),
      within_days: fc.option(fc.integer({min: 1, max: 3650}), {nil: undefined}),
    }),
    fc.constant({type: 'subscribed' as const}),
  )
  .map((c) => segmentConditionSchema.parse(JSON.parse(JSON.stringify(c))));

const fixtureCatalog: CatalogFacts = catalog;

describe('planSegment properties', () => {
  it('keeps every condition, in order, one Mailchimp condition each, under the same match', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('all' as const, 'any' as const),
        fc.array(conditionArb, {minLength: 1, maxLength: 8}),
        fc.constantFrom('', 'shop:'),
        (match, conditions, prefix) => {
          for (const c of conditions) expect(segmentConditionSchema.safeParse(c).success).toBe(true);
          const plan = planSegment({match, conditions}, {catalog: fixtureCatalog, tagPrefix: prefix});
          expect(plan.conditions.map((c) => c.index)).toEqual(conditions.map((_, i) => i));
          const ids = new Map(tagsOf(plan).map((t, i) => [t.tag, i + 1]));
          const options = toMailchimpOptions(plan, (t) => ids.get(t));
          expect(options.match).toBe(match);
          expect(options.conditions).toHaveLength(conditions.length);
          for (const c of options.conditions)
            expect(['EcommCategory', 'EcommSpent', 'EcommNumber', 'Date', 'StaticSegment']).toContain(c.condition_type);
        },
      ),
    );
  });

  it('names local tags within 100 characters, under the prefix and the segment family, the same for the same condition', () => {
    fc.assert(
      fc.property(conditionArb, fc.constantFrom('', 'shop:', 'a-long-prefix-1234:'), (condition, prefix) => {
        const plan = planSegment({match: 'all', conditions: [condition]}, {catalog: fixtureCatalog, tagPrefix: prefix});
        const planned = plan.conditions[0]!;
        if (planned.source !== 'local') return;
        expect(planned.tag.length).toBeLessThanOrEqual(MAX_TAG_LENGTH);
        expect(planned.tag.startsWith(prefix + LOCAL_TAG_FAMILY)).toBe(true);
        expect(localTagName(planned.holds, prefix)).toBe(planned.tag);
        // The positive form: never a negated condition behind a tag.
        expect('op' in planned.holds && planned.holds.op === 'not').toBe(false);
      }),
    );
  });

  it('gives different positive conditions different tags', () => {
    fc.assert(
      fc.property(conditionArb, conditionArb, (a, b) => {
        const pa = planSegment({match: 'all', conditions: [a]}, {catalog: fixtureCatalog}).conditions[0]!;
        const pb = planSegment({match: 'all', conditions: [b]}, {catalog: fixtureCatalog}).conditions[0]!;
        if (pa.source !== 'local' || pb.source !== 'local') return;
        if (JSON.stringify(pa.holds) !== JSON.stringify(pb.holds)) expect(pa.tag).not.toBe(pb.tag);
        else expect(pa.tag).toBe(pb.tag);
      }),
    );
  });
});
