import fc from 'fast-check';
import {startTestSandbox, type TestSandbox} from '../../../test/support/sandbox.js';
import {createListRecord} from '../core/lists.js';
import {createMember} from '../core/members.js';
import {MailchimpProblem} from '../core/problem.js';
import {SandboxState, type SegmentCondition} from '../core/state.js';
import {addToStatic, findOrCreateTag} from './lists/segment-store.js';
import {createList, hashOf, putMember} from './lists/testing/list-fixtures.js';
import {seedOrder, seedStore} from './lists/testing/store-fixtures.js';
import {membersMatching} from './segment-conditions.js';

const NOW = new Date('2024-03-20T12:00:00Z');

describe('segment conditions over HTTP (saved segments)', () => {
  let ts: TestSandbox;
  let listId: string;
  let tagId: number;

  beforeAll(async () => {
    ts = await startTestSandbox({now: () => NOW});
    listId = await createList(ts);
    await ts
      .http()
      .post(`/3.0/lists/${listId}/merge-fields`)
      .set('Authorization', ts.auth)
      .send({name: 'Age', type: 'number', tag: 'AGE'});
    const people: Array<[string, string, number | '']> = [
      ['alice@a.test', 'Alice', 30],
      ['bob@b.test', 'Bob', 9],
      ['carol@c.test', 'Carol', ''],
      ['dave@d.test', '', ''],
      ['erin@e.test', 'Erin', 41],
    ];
    for (const [email, name, age] of people)
      await putMember(ts, listId, email, {merge_fields: {FNAME: name, AGE: age}});
    await ts
      .http()
      .post(`/3.0/lists/${listId}/members/${hashOf('erin@e.test')}/tags`)
      .set('Authorization', ts.auth)
      .send({tags: [{name: 'Staff', status: 'active'}]});
    tagId = (await ts.http().get(`/3.0/lists/${listId}/tag-search?name=Staff`).set('Authorization', ts.auth)).body
      .tags[0].id;

    const state = ts.sandbox.state;
    const one = seedStore(state, 'store1', listId, [
      {id: 'shoe', title: 'Running shoe', type: 'Footwear'},
      {id: 'jacket', title: 'Rain jacket', type: 'Outerwear'},
    ]);
    const two = seedStore(state, 'store2', listId, [{id: 'bag', title: 'Leather bag', type: 'Bags'}]);
    const elsewhere = seedStore(state, 'other-list-store', 'another-list', [
      {id: 'bag', title: 'Leather bag', type: 'Bags'},
    ]);
    seedOrder(one, {
      id: 'o1',
      email: 'Alice@a.test',
      total: 30,
      processed_at: '2024-01-20T10:00:00+00:00',
      lines: [{product_id: 'shoe', quantity: 2}],
    });
    seedOrder(one, {
      id: 'o2',
      email: 'alice@a.test',
      total: 70,
      financial_status: 'paid',
      processed_at: '2024-03-10T10:00:00+00:00',
      lines: [{product_id: 'jacket'}],
    });
    seedOrder(two, {
      id: 'o3',
      email: 'bob@b.test',
      total: 200,
      processed_at: '2024-01-05T08:00:00+00:00',
      lines: [{product_id: 'bag'}],
    });
    seedOrder(one, {
      id: 'o4',
      email: 'carol@c.test',
      total: 500,
      financial_status: 'refunded',
      processed_at: '2024-03-01T00:00:00+00:00',
      lines: [{product_id: 'shoe'}],
    });
    seedOrder(one, {
      id: 'o5',
      email: 'erin@e.test',
      total: 80,
      financial_status: 'cancelled',
      lines: [{product_id: 'jacket'}],
    });
    seedOrder(elsewhere, {id: 'o6', email: 'dave@d.test', total: 999, lines: [{product_id: 'bag'}]});
  });
  afterAll(() => ts.close());

  async function matching(conditions: SegmentCondition[], match: 'any' | 'all' = 'all'): Promise<string[]> {
    const created = await ts
      .http()
      .post(`/3.0/lists/${listId}/segments`)
      .set('Authorization', ts.auth)
      .send({name: 'q', options: {match, conditions}});
    if (created.status !== 200) throw new Error(`${created.status} ${created.text}`);
    const members = await ts
      .http()
      .get(`/3.0/lists/${listId}/segments/${created.body.id}/members?count=1000`)
      .set('Authorization', ts.auth);
    expect(created.body.member_count).toBe(members.body.total_items);
    return (members.body.members as Array<{email_address: string}>).map((m) => m.email_address.split('@')[0]!).sort();
  }

  it('EcommPurchased: at least one order that was neither refunded nor cancelled, in a store of this list', async () => {
    expect(await matching([{condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'member'}])).toEqual([
      'alice',
      'bob',
    ]);
    expect(await matching([{condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'notmember'}])).toEqual([
      'carol',
      'dave',
      'erin',
    ]);
  });

  it('EcommSpent: lifetime total (0 without orders) and single orders', async () => {
    expect(
      await matching([{condition_type: 'EcommSpent', field: 'ecomm_spent_all', op: 'greater', value: 90}]),
    ).toEqual(['alice', 'bob']);
    expect(await matching([{condition_type: 'EcommSpent', field: 'ecomm_spent_all', op: 'less', value: 50}])).toEqual([
      'carol',
      'dave',
      'erin',
    ]);
    expect(
      await matching([{condition_type: 'EcommSpent', field: 'ecomm_spent_one', op: 'greater', value: 60}]),
    ).toEqual(['alice', 'bob']);
    expect(await matching([{condition_type: 'EcommSpent', field: 'ecomm_spent_one', op: 'less', value: 50}])).toEqual([
      'alice',
    ]);
  });

  it('EcommNumber: orders, average spent, products purchased, products per order', async () => {
    expect(await matching([{condition_type: 'EcommNumber', field: 'ecomm_orders', op: 'is', value: 2}])).toEqual([
      'alice',
    ]);
    expect(await matching([{condition_type: 'EcommNumber', field: 'ecomm_orders', op: 'not', value: 2}])).toEqual([
      'bob',
      'carol',
      'dave',
      'erin',
    ]);
    expect(await matching([{condition_type: 'EcommNumber', field: 'ecomm_spent_avg', op: 'is', value: 50}])).toEqual([
      'alice',
    ]);
    expect(
      await matching([{condition_type: 'EcommNumber', field: 'ecomm_spent_avg', op: 'greater', value: 60}]),
    ).toEqual(['bob']);
    expect(await matching([{condition_type: 'EcommNumber', field: 'ecomm_prod_all', op: 'greater', value: 1}])).toEqual(
      ['alice'],
    );
    expect(await matching([{condition_type: 'EcommNumber', field: 'ecomm_avg_ord', op: 'is', value: 1.5}])).toEqual([
      'alice',
    ]);
  });

  it('EcommCategory: product type (ecomm_cat) and title (ecomm_prod), ignoring case', async () => {
    expect(
      await matching([{condition_type: 'EcommCategory', field: 'ecomm_cat', op: 'is', value: 'footwear'}]),
    ).toEqual(['alice']);
    expect(
      await matching([{condition_type: 'EcommCategory', field: 'ecomm_cat', op: 'not', value: 'Footwear'}]),
    ).toEqual(['bob', 'carol', 'dave', 'erin']);
    expect(
      await matching([{condition_type: 'EcommCategory', field: 'ecomm_prod', op: 'contains', value: 'JACK'}]),
    ).toEqual(['alice']);
    expect(
      await matching([{condition_type: 'EcommCategory', field: 'ecomm_prod', op: 'starts', value: 'Lea'}]),
    ).toEqual(['bob']);
    expect(await matching([{condition_type: 'EcommCategory', field: 'ecomm_prod', op: 'ends', value: 'shoe'}])).toEqual(
      ['alice'],
    );
    expect(
      await matching([{condition_type: 'EcommCategory', field: 'ecomm_prod', op: 'notcontain', value: 'bag'}]),
    ).toEqual(['alice', 'carol', 'dave', 'erin']);
  });

  it('EcommStore: bought in that store', async () => {
    expect(await matching([{condition_type: 'EcommStore', field: 'ecomm_store', op: 'is', value: 'store2'}])).toEqual([
      'bob',
    ]);
    expect(await matching([{condition_type: 'EcommStore', field: 'ecomm_store', op: 'not', value: 'store2'}])).toEqual([
      'alice',
      'carol',
      'dave',
      'erin',
    ]);
  });

  it('Date ecomm_date: the last purchase against a date, blank, and within N days', async () => {
    const date = (op: string, extra?: string): SegmentCondition => ({
      condition_type: 'Date',
      field: 'ecomm_date',
      op,
      value: 'date',
      extra,
    });
    expect(await matching([date('greater', '2024-02-01')])).toEqual(['alice']);
    expect(await matching([date('less', '2024-02-01')])).toEqual(['bob']);
    expect(await matching([date('is', '2024-01-05')])).toEqual(['bob']);
    expect(await matching([date('not', '2024-01-05')])).toEqual(['alice']);
    expect(await matching([date('blank')])).toEqual(['carol', 'dave', 'erin']);
    expect(await matching([date('blank_not')])).toEqual(['alice', 'bob']);
    expect(await matching([date('within', '30')])).toEqual(['alice']);
    expect(await matching([date('notwithin', '30')])).toEqual(['bob', 'carol', 'dave', 'erin']);
  });

  it('TextMerge: text ops ignoring case, numbers compared as numbers, blanks', async () => {
    expect(await matching([{condition_type: 'TextMerge', field: 'FNAME', op: 'is', value: 'alice'}])).toEqual([
      'alice',
    ]);
    expect(await matching([{condition_type: 'TextMerge', field: 'FNAME', op: 'contains', value: 'R'}])).toEqual([
      'carol',
      'erin',
    ]);
    expect(await matching([{condition_type: 'TextMerge', field: 'FNAME', op: 'blank'}])).toEqual(['dave']);
    expect(await matching([{condition_type: 'TextMerge', field: 'AGE', op: 'greater', value: '10'}])).toEqual([
      'alice',
      'erin',
    ]);
    expect(await matching([{condition_type: 'TextMerge', field: 'AGE', op: 'less', value: '10'}])).toEqual(['bob']);
  });

  it('EmailAddress, StaticSegment, and any/all', async () => {
    expect(await matching([{condition_type: 'EmailAddress', field: 'merge0', op: 'ends', value: '@b.test'}])).toEqual([
      'bob',
    ]);
    expect(await matching([{condition_type: 'EmailAddress', field: 'EMAIL', op: 'starts', value: 'CA'}])).toEqual([
      'carol',
    ]);
    expect(
      await matching([{condition_type: 'StaticSegment', field: 'static_segment', op: 'static_is', value: tagId}]),
    ).toEqual(['erin']);
    expect(
      await matching([{condition_type: 'StaticSegment', field: 'static_segment', op: 'static_not', value: tagId}]),
    ).toEqual(['alice', 'bob', 'carol', 'dave']);
    const purchasedOrStaff: SegmentCondition[] = [
      {condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'member'},
      {condition_type: 'StaticSegment', field: 'static_segment', op: 'static_is', value: tagId},
    ];
    expect(await matching(purchasedOrStaff, 'any')).toEqual(['alice', 'bob', 'erin']);
    expect(await matching(purchasedOrStaff, 'all')).toEqual([]);
    expect(
      await matching(
        [
          {condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'member'},
          {condition_type: 'EcommSpent', field: 'ecomm_spent_all', op: 'greater', value: 150},
        ],
        'all',
      ),
    ).toEqual(['bob']);
  });

  it('answers 400 Invalid Resource for condition types it does not evaluate', async () => {
    const res = await ts
      .http()
      .post(`/3.0/lists/${listId}/segments`)
      .set('Authorization', ts.auth)
      .send({
        name: 'q',
        options: {
          match: 'all',
          conditions: [{condition_type: 'MemberRating', field: 'rating', op: 'greater', value: 3}],
        },
      });
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Invalid Resource');
    expect(() =>
      membersMatching(ts.sandbox.state, ts.sandbox.state.lists.get(listId)!, 'all', [
        {condition_type: 'Nope', field: 'x', op: 'is'},
      ]),
    ).toThrow(MailchimpProblem);
  });
});

describe('segment condition invariants (property)', () => {
  const POOL = ['ann@x.test', 'ben@x.test', 'cat@y.test', 'dan@y.test', 'eve@z.test', 'fay@z.test'];
  const NAMES = ['Ann', 'ann', 'Benedict', '', 'Cat', 'Zed'];
  const PRODUCTS = [
    {id: 'p1', title: 'Blue shoe', type: 'Shoes'},
    {id: 'p2', title: 'Red hat', type: 'Hats'},
    {id: 'p3', title: 'Shoe polish', type: ''},
  ];

  const world = fc.record({
    members: fc.uniqueArray(
      fc.record({
        email: fc.constantFrom(...POOL),
        name: fc.constantFrom(...NAMES),
        vip: fc.boolean(),
        tagged: fc.boolean(),
      }),
      {
        selector: (m) => m.email,
        maxLength: POOL.length,
      },
    ),
    orders: fc.array(
      fc.record({
        email: fc.constantFrom(...POOL, 'stranger@x.test'),
        store: fc.constantFrom('s1', 's2'),
        total: fc.integer({min: 0, max: 300}),
        status: fc.constantFrom(undefined, 'paid', 'refunded', 'cancelled'),
        day: fc.option(fc.integer({min: 1, max: 28}), {nil: undefined}),
        product: fc.constantFrom('p1', 'p2', 'p3'),
        quantity: fc.integer({min: 1, max: 3}),
      }),
      {maxLength: 12},
    ),
  });

  const text = fc.constantFrom('ann', 'shoe', 'S', 'hat', '@y.test', 'x');
  /** Conditions with their complementary op. */
  const paired = fc.oneof(
    fc.constant<[SegmentCondition, string]>([
      {condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'member'},
      'notmember',
    ]),
    fc.constant<[SegmentCondition, string]>([{condition_type: 'VIP', field: 'gmonkey', op: 'member'}, 'notmember']),
    fc
      .constantFrom('s1', 's2')
      .map((v): [SegmentCondition, string] => [
        {condition_type: 'EcommStore', field: 'ecomm_store', op: 'is', value: v},
        'not',
      ]),
    fc
      .tuple(
        fc.constantFrom('ecomm_cat', 'ecomm_prod'),
        fc.constantFrom(['is', 'not'], ['contains', 'notcontain']),
        text,
      )
      .map(([field, [op, neg], value]): [SegmentCondition, string] => [
        {condition_type: 'EcommCategory', field, op: op!, value},
        neg!,
      ]),
    fc
      .tuple(fc.constantFrom(['is', 'not'], ['contains', 'notcontain'], ['blank', 'blank_not']), text)
      .map(([[op, neg], value]): [SegmentCondition, string] => [
        {condition_type: 'TextMerge', field: 'FNAME', op: op!, value},
        neg!,
      ]),
    fc
      .tuple(fc.constantFrom(['is', 'not'], ['contains', 'notcontain']), text)
      .map(([[op, neg], value]): [SegmentCondition, string] => [
        {condition_type: 'EmailAddress', field: 'EMAIL', op: op!, value},
        neg!,
      ]),
    fc
      .integer({min: 0, max: 40})
      .map((d): [SegmentCondition, string] => [
        {condition_type: 'Date', field: 'ecomm_date', op: 'within', value: 'date', extra: String(d)},
        'notwithin',
      ]),
    fc.constant<[SegmentCondition, string]>([
      {condition_type: 'Date', field: 'ecomm_date', op: 'blank', value: 'date'},
      'blank_not',
    ]),
    fc
      .integer({min: 0, max: 3})
      .map((n): [SegmentCondition, string] => [
        {condition_type: 'EcommNumber', field: 'ecomm_orders', op: 'is', value: n},
        'not',
      ]),
    fc.constant<[SegmentCondition, string]>([
      {condition_type: 'StaticSegment', field: 'static_segment', op: 'static_is', value: 'TAG'},
      'static_not',
    ]),
  );
  const anyCondition = fc.oneof(
    paired.map(([c]) => c),
    paired.map(([c, neg]) => ({...c, op: neg})),
    fc
      .tuple(
        fc.constantFrom('ecomm_spent_one', 'ecomm_spent_all'),
        fc.constantFrom('greater', 'less'),
        fc.integer({min: 0, max: 400}),
      )
      .map(([field, op, value]): SegmentCondition => ({condition_type: 'EcommSpent', field, op, value})),
    fc
      .tuple(
        fc.constantFrom('ecomm_spent_avg', 'ecomm_prod_all', 'ecomm_avg_ord'),
        fc.constantFrom('is', 'not', 'greater', 'less'),
        fc.integer({min: 0, max: 300}),
      )
      .map(([field, op, value]): SegmentCondition => ({condition_type: 'EcommNumber', field, op, value})),
  );

  type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

  function build(w: World) {
    const state = new SandboxState({now: () => new Date('2024-02-20T00:00:00Z')});
    const list = createListRecord(state, {name: 'Property'});
    const tag = findOrCreateTag(state, list, 'Tag');
    for (const m of w.members) {
      const member = createMember(state, list, {
        email_address: m.email,
        status: 'subscribed',
        merge_fields: {FNAME: m.name},
        vip: m.vip,
      });
      if (m.tagged) addToStatic(state, tag, member);
    }
    const stores = {s1: seedStore(state, 's1', list.id, PRODUCTS), s2: seedStore(state, 's2', list.id, PRODUCTS)};
    w.orders.forEach((o, i) =>
      seedOrder(stores[o.store as 's1' | 's2'], {
        id: `o${i}`,
        email: o.email,
        total: o.total,
        financial_status: o.status,
        processed_at: o.day === undefined ? undefined : `2024-02-${String(o.day).padStart(2, '0')}T00:00:00+00:00`,
        lines: [{product_id: o.product, quantity: o.quantity}],
      }),
    );
    const resolve = (c: SegmentCondition): SegmentCondition => (c.value === 'TAG' ? {...c, value: tag.id} : c);
    const ids = (match: 'any' | 'all', conditions: SegmentCondition[]) =>
      new Set(membersMatching(state, list, match, conditions.map(resolve)).map((m) => m.id));
    return {all: new Set([...list.members.keys()]), ids};
  }

  it('match "all" is within match "any"; "any"/"all" are the union/intersection of single conditions', () => {
    fc.assert(
      fc.property(world, fc.array(anyCondition, {minLength: 1, maxLength: 4}), (w, conditions) => {
        const {ids} = build(w);
        const any = ids('any', conditions);
        const all = ids('all', conditions);
        for (const id of all) expect(any.has(id)).toBe(true);
        const singles = conditions.map((c) => ids('all', [c]));
        expect([...any].sort()).toEqual([...new Set(singles.flatMap((s) => [...s]))].sort());
        expect([...all].sort()).toEqual([...singles[0]!].filter((id) => singles.every((s) => s.has(id))).sort());
      }),
      {numRuns: 150},
    );
  });

  it('a negative op is the exact complement of its positive op (notmember of member, static_not of static_is, ...)', () => {
    fc.assert(
      fc.property(world, paired, (w, [condition, negativeOp]) => {
        const {all, ids} = build(w);
        const yes = ids('all', [condition]);
        const no = ids('all', [{...condition, op: negativeOp}]);
        for (const id of yes) expect(no.has(id)).toBe(false);
        expect(new Set([...yes, ...no])).toEqual(all);
      }),
      {numRuns: 200},
    );
  });
});
