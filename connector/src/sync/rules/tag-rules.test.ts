import fc from 'fast-check';
import type {Order} from '../../model/entities.js';
import type {ProductId} from '../../model/ids.js';
import {giftCard, tee} from '../mappers/fixtures/catalog.js';
import {checkoutOptIn, formOptIn, shopifySubscribed, shopifyUnsubscribed} from '../mappers/fixtures/consents.js';
import {orderArb} from '../mappers/fixtures/arbitraries.js';
import {
  cancelledOrder,
  customLine,
  paidOrder,
  partiallyRefundedOrder,
  pendingOrder,
  teeLine,
  testOrder,
} from '../mappers/fixtures/orders.js';
import {
  desiredTags,
  isManagedTag,
  type ProductFacts,
  type TagChange,
  tagDiff,
  type TagHistory,
  type TagRulesConfig,
} from './tag-rules.js';

const catalog = new Map<string, ProductFacts>([
  [tee.id, {handle: tee.handle, collections: tee.collections}],
  [giftCard.id, {handle: giftCard.handle, collections: []}],
]);
const products = (id: ProductId) => catalog.get(id);

const config: TagRulesConfig = {vipSpendThreshold: {minor: 10_000, currency: 'USD'}, lapsedAfterDays: 90};
const NOW = '2024-06-01T00:00:00Z';

function history(orders: Order[], extra: Partial<TagHistory> = {}): TagHistory {
  return {isCustomer: true, orders, products, now: NOW, ...extra};
}

describe('desiredTags', () => {
  it('tags a first-time buyer with the products and collections bought', () => {
    expect(desiredTags(history([paidOrder], {consent: checkoutOptIn}), config)).toEqual([
      'bought:organic-cotton-tee',
      'checkout-opt-in',
      'collection:basics',
      'collection:summer',
      'customer',
      'first-time-buyer',
    ]);
  });

  it('counts only purchases: tests, unpaid, cancelled and fully refunded orders are ignored', () => {
    expect(desiredTags(history([testOrder, pendingOrder, cancelledOrder]), config)).toEqual(['customer']);
    expect(desiredTags(history([testOrder], {isCustomer: false}), config)).toEqual([]);
  });

  it('tags repeat buyers and VIPs by spend after refunds, with the prefix', () => {
    const second: Order = {...paidOrder, id: 'o2' as Order['id'], processedAt: '2024-05-20T00:00:00Z'};
    const tags = desiredTags(history([paidOrder, second]), {...config, prefix: 'shop:'});
    expect(tags).toContain('shop:repeat-buyer');
    expect(tags).not.toContain('shop:first-time-buyer');
    // 83.51 + 83.51 = 167.02 ≥ 100.00
    expect(tags).toContain('shop:vip');
    // 83.51 − 22.50 + 83.51 = 144.52 ≥ 145.00? no
    expect(
      desiredTags(history([partiallyRefundedOrder, second]), {
        ...config,
        vipSpendThreshold: {minor: 14_500, currency: 'USD'},
      }),
    ).not.toContain('vip');
    expect(
      desiredTags(history([partiallyRefundedOrder, second]), {
        ...config,
        vipSpendThreshold: {minor: 14_452, currency: 'USD'},
      }),
    ).toContain('vip');
  });

  it('ignores spend in other currencies for VIP', () => {
    expect(desiredTags(history([paidOrder]), {vipSpendThreshold: {minor: 1, currency: 'EUR'}})).not.toContain('vip');
  });

  it('drops bought tags for fully refunded lines', () => {
    const allTeesBack: Order = {
      ...paidOrder,
      financialStatus: 'partially_refunded',
      refunds: [
        {
          id: 'r',
          createdAt: NOW,
          amount: {minor: 6750, currency: 'USD'},
          lines: [{lineId: teeLine.id, quantity: 3, subtotal: {minor: 6750, currency: 'USD'}}],
        },
      ],
      lines: [teeLine, customLine],
    };
    expect(desiredTags(history([allTeesBack]), config).filter((t) => t.startsWith('bought:'))).toEqual([]);
  });

  it('tags lapsed buyers strictly after N days', () => {
    const at = (days: number) => new Date(Date.parse(paidOrder.processedAt) + days * 86_400_000).toISOString();
    expect(desiredTags(history([paidOrder], {now: at(90)}), config)).not.toContain('lapsed');
    expect(desiredTags(history([paidOrder], {now: at(90.001)}), config)).toContain('lapsed');
  });

  it('tags newsletter and checkout opt-ins from the current consent only', () => {
    expect(desiredTags(history([], {consent: formOptIn}), config)).toEqual(['customer', 'newsletter']);
    expect(desiredTags(history([], {consent: shopifySubscribed}), config)).toEqual(['customer']);
    expect(desiredTags(history([], {consent: {...formOptIn, ...shopifyUnsubscribed}}), config)).toEqual(['customer']);
  });

  it('honours disabled rules', () => {
    const tags = desiredTags(history([paidOrder], {consent: checkoutOptIn}), {
      ...config,
      enabled: {bought: false, collection: false, 'checkout-opt-in': false},
    });
    expect(tags).toEqual(['customer', 'first-time-buyer']);
  });

  it('normalises handles and caps tag length at 100', () => {
    const long = 'x'.repeat(200);
    const tags = desiredTags(
      history([paidOrder], {products: () => ({handle: ` ${long.toUpperCase()} `, collections: ['', 'Sale']})}),
      {},
    );
    expect(tags).toContain(`bought:${long}`.slice(0, 100));
    expect(tags).toContain('collection:sale');
    expect(tags.every((t) => t.length <= 100)).toBe(true);
  });
});

describe('tagDiff', () => {
  it('adds and removes only managed tags', () => {
    const previous = ['customer', 'first-time-buyer', 'bought:old-thing', 'wholesale', 'VIP list'];
    const desired = ['customer', 'repeat-buyer', 'bought:organic-cotton-tee'];
    expect(tagDiff(previous, desired)).toEqual([
      {name: 'bought:old-thing', status: 'inactive'},
      {name: 'first-time-buyer', status: 'inactive'},
      {name: 'bought:organic-cotton-tee', status: 'active'},
      {name: 'repeat-buyer', status: 'active'},
    ]);
  });

  it('with a prefix, leaves same-named unprefixed tags alone', () => {
    expect(tagDiff(['vip', 'shop:vip'], [], {prefix: 'shop:'})).toEqual([{name: 'shop:vip', status: 'inactive'}]);
    expect(isManagedTag('vip', {prefix: 'shop:'})).toBe(false);
    expect(isManagedTag('shop:bought:', {prefix: 'shop:'})).toBe(false);
    expect(isManagedTag('shop:collection:summer', {prefix: 'shop:'})).toBe(true);
  });

  it('is empty when nothing changes', () => {
    expect(tagDiff(['customer', 'x'], ['customer'])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property tests

const managedName = fc.oneof(
  fc.constantFrom('customer', 'first-time-buyer', 'repeat-buyer', 'vip', 'lapsed', 'newsletter', 'checkout-opt-in'),
  fc
    .constantFrom('bought:', 'collection:')
    .chain((p) => fc.string({unit: fc.constantFrom(...'abcxyz019-'), minLength: 1, maxLength: 12}).map((h) => p + h)),
);
const anyName = fc.oneof(managedName, fc.string({maxLength: 16}));
const prefixArb = fc.option(fc.constantFrom('shop:', 'mc-', ''), {nil: undefined});

function apply(previous: readonly string[], diff: TagChange[]): Set<string> {
  const result = new Set(previous);
  for (const change of diff) {
    if (change.status === 'active') result.add(change.name);
    else result.delete(change.name);
  }
  return result;
}

describe('tag properties', () => {
  it('applying the diff to previous yields desired for managed tags and leaves unmanaged tags untouched', () => {
    fc.assert(
      fc.property(prefixArb, fc.array(anyName), fc.array(anyName), (prefix, rawPrev, rawDesired) => {
        const cfg: TagRulesConfig = {prefix};
        const withPrefix = (names: string[]) => names.map((n) => (n.length % 2 === 0 ? (prefix ?? '') + n : n));
        const previous = withPrefix(rawPrev);
        const desired = withPrefix(rawDesired);
        const diff = tagDiff(previous, desired, cfg);
        const result = apply(previous, diff);
        const managed = (s: Iterable<string>) => [...new Set(s)].filter((t) => isManagedTag(t, cfg)).sort();
        const unmanaged = (s: Iterable<string>) => [...new Set(s)].filter((t) => !isManagedTag(t, cfg)).sort();
        expect(managed(result)).toEqual(managed(desired));
        expect(unmanaged(result)).toEqual(unmanaged(previous));
        for (const change of diff) expect(isManagedTag(change.name, cfg)).toBe(true);
        // No redundant changes.
        expect(new Set(diff.map((c) => c.name)).size).toBe(diff.length);
      }),
      {numRuns: 1000},
    );
  });

  it('first-time and repeat buyer are mutually exclusive, and every desired tag is managed', () => {
    fc.assert(
      fc.property(fc.array(orderArb, {maxLength: 5}), prefixArb, fc.boolean(), (orders, prefix, isCustomer) => {
        const cfg: TagRulesConfig = {prefix, vipSpendThreshold: {minor: 5000, currency: 'USD'}, lapsedAfterDays: 30};
        const tags = desiredTags(
          {
            isCustomer,
            orders,
            products: (id) => ({handle: `h-${id}`, collections: [`c-${id}`]}),
            now: '2026-06-01T00:00:00Z',
          },
          cfg,
        );
        const p = prefix ?? '';
        expect(tags.includes(`${p}first-time-buyer`) && tags.includes(`${p}repeat-buyer`)).toBe(false);
        for (const t of tags) expect(isManagedTag(t, cfg)).toBe(true);
        expect([...tags].sort()).toEqual(tags);
        expect(new Set(tags).size).toBe(tags.length);
      }),
      {numRuns: 500},
    );
  });
});
