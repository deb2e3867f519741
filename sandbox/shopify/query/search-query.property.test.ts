import fc from 'fast-check';
import {generateStore} from '../data/generate-store.js';
import type {OrderRecord} from '../data/records.js';
import {decodeCursor, encodeCursor, InvalidCursorError} from './cursor.js';
import {keysetPage, type Page} from './keyset-page.js';
import {compileSearch} from './search-filter.js';
import {ORDER_SEARCH} from './search-schemas.js';
import {parseSearchQuery, printSearchQuery, type Comparator, type SearchNode, type TermNode} from './search-query.js';

const FIELDS = ['title', 'email', 'created_at', 'status', 'tag', 'financial_status'];
const COMPARATORS: Comparator[] = [':', '<', '<=', '>', '>='];
const BARE = /^[^\s()"'\\:*]+$/;
const bareSafe = (v: string) => v !== '' && BARE.test(v) && !/^[-<>=]/.test(v) && !['AND', 'OR', 'NOT'].includes(v);

const anyValue = fc.string({
  unit: fc.constantFrom('a', 'B', '1', ' ', '"', "'", '\\', ':', '*', '(', ')', '-', '<', '=', 'é', '@', '.'),
  maxLength: 8,
});
const bareValue = fc
  .string({unit: fc.constantFrom('a', 'z', '1', '.', '@', 'é', '_'), minLength: 1, maxLength: 6})
  .filter(bareSafe);

const term: fc.Arbitrary<TermNode> = fc.oneof(
  fc.record({
    type: fc.constant('term' as const),
    field: fc.constantFrom(...FIELDS),
    comparator: fc.constantFrom(...COMPARATORS),
    value: anyValue,
  }),
  fc.record({type: fc.constant('term' as const), comparator: fc.constant(':' as const), value: anyValue}),
  fc.record({
    type: fc.constant('term' as const),
    field: fc.constantFrom(...FIELDS),
    comparator: fc.constant(':' as const),
    value: bareValue,
    prefix: fc.constant(true),
  }),
  fc.record({
    type: fc.constant('term' as const),
    field: fc.constantFrom(...FIELDS),
    comparator: fc.constant(':' as const),
    value: fc.constant(''),
    exists: fc.constant(true),
  }),
);

/** Trees in the normal form the parser produces: no AND directly under AND, no OR directly under OR. */
const tree: fc.Arbitrary<SearchNode> = fc.letrec<{node: SearchNode}>((tie) => ({
  node: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    term,
    fc.record({type: fc.constant('not' as const), child: tie('node')}),
    fc.record({
      type: fc.constant('and' as const),
      children: fc.array(
        tie('node').filter((n) => n.type !== 'and'),
        {minLength: 2, maxLength: 3},
      ),
    }),
    fc.record({
      type: fc.constant('or' as const),
      children: fc.array(
        tie('node').filter((n) => n.type !== 'or'),
        {minLength: 2, maxLength: 3},
      ),
    }),
  ),
})).node;

describe('search syntax', () => {
  it('parses what it prints: parse(print(tree)) is the tree', () => {
    fc.assert(
      fc.property(tree, (node) => {
        // fast-check builds some records without a prototype; compare plain copies.
        expect(parseSearchQuery(printSearchQuery(node))).toStrictEqual(JSON.parse(JSON.stringify(node)));
      }),
      {numRuns: 500},
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 40}), (text) => {
        const parsed = parseSearchQuery(text);
        if (parsed !== undefined) expect(() => printSearchQuery(parsed)).not.toThrow();
      }),
      {numRuns: 1000},
    );
  });

  it('reads Shopify examples the way the docs describe them', () => {
    expect(parseSearchQuery('created_at:>=2024-01-01 -test:true (status:open OR status:closed)')).toStrictEqual({
      type: 'and',
      children: [
        {type: 'term', field: 'created_at', comparator: '>=', value: '2024-01-01'},
        {type: 'not', child: {type: 'term', field: 'test', comparator: ':', value: 'true'}},
        {
          type: 'or',
          children: [
            {type: 'term', field: 'status', comparator: ':', value: 'open'},
            {type: 'term', field: 'status', comparator: ':', value: 'closed'},
          ],
        },
      ],
    });
    expect(parseSearchQuery("title:'Blue shirt' sku:* vend*")).toStrictEqual({
      type: 'and',
      children: [
        {type: 'term', field: 'title', comparator: ':', value: 'Blue shirt'},
        {type: 'term', field: 'sku', comparator: ':', value: '', exists: true},
        {type: 'term', comparator: ':', value: 'vend', prefix: true},
      ],
    });
    expect(parseSearchQuery('   ')).toBeUndefined();
  });
});

describe('cursors', () => {
  it('decode what they encode, and anything else is InvalidCursorError', () => {
    fc.assert(
      fc.property(fc.nat({max: Number.MAX_SAFE_INTEGER}), fc.oneof(fc.integer(), fc.string()), (id, value) => {
        const type = typeof value === 'number' ? 'number' : 'string';
        expect(decodeCursor(encodeCursor({id, value}), type)).toStrictEqual({id, value});
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          decodeCursor(text, 'number');
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCursorError);
        }
      }),
    );
  });
});

describe('keyset pages over an index', () => {
  const store = generateStore({seed: 2, products: 20, customers: 40, orders: 400});
  const orders = store.orders.all();
  const times = orders.map((o) => o.createdAt);
  const minTime = Math.min(...times);
  const maxTime = Math.max(...times);
  const iso = (ms: number) => new Date(ms).toISOString();

  it('paging a created_at range through the CREATED_AT index visits exactly what a linear filter finds, in order, once', () => {
    fc.assert(
      fc.property(
        fc.integer({min: minTime - 1000, max: maxTime + 1000}),
        fc.integer({min: minTime - 1000, max: maxTime + 1000}),
        fc.constantFrom('>', '>='),
        fc.constantFrom('<', '<='),
        fc.option(fc.constantFrom('financial_status:paid', '-test:true', 'status:open OR status:cancelled'), {
          nil: undefined,
        }),
        fc.integer({min: 1, max: 60}),
        fc.boolean(),
        (a, b, lower, upper, extra, pageSize, reverse) => {
          const query = `created_at:${lower}${iso(Math.min(a, b))} created_at:${upper}${iso(Math.max(a, b))}${extra ? ` (${extra})` : ''}`;
          const search = compileSearch(query, ORDER_SEARCH);
          const expected = [...store.orders.sorted('CREATED_AT')].filter(search.matches);
          if (reverse) expected.reverse();
          const window = store.orders.window('CREATED_AT', search.ranges.get('created_at'));
          const key = store.orders.sortKeys.CREATED_AT!.value;
          const seen: OrderRecord[] = [];
          let after: string | null = null;
          for (let guard = 0; guard < 1000; guard += 1) {
            const page: Page<OrderRecord> = keysetPage(
              store.orders.sorted('CREATED_AT'),
              key,
              'number',
              search.matches,
              {first: pageSize, after, reverse},
              window,
            );
            seen.push(...page.items);
            if (!page.hasNextPage) break;
            after = page.cursorAt(page.items.length - 1);
          }
          expect(seen.map((o) => o.id)).toStrictEqual(expected.map((o) => o.id));
        },
      ),
      {numRuns: 150},
    );
  });
});
