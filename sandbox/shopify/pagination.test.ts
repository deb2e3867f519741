import {startShopifySandbox, type ShopifySandbox} from './index.js';
import {adminRequest, pageThrough} from './testing/admin-request.js';

describe('Shopify stand-in: connections', () => {
  let sandbox: ShopifySandbox;

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 42,
      products: 120,
      customers: 300,
      orders: 700,
      carts: 25,
      discountCodes: 12,
      throttle: false,
    });
  });
  afterAll(() => sandbox.close());

  const ids = (nodes: Array<Record<string, unknown>>) => nodes.map((node) => node.id as string);

  it.each([
    ['products', 'productsCount(limit: null)', 120],
    ['customers', 'customersCount(limit: null)', 300],
    ['orders', 'ordersCount(limit: null)', 700],
    ['abandonedCheckouts', 'abandonedCheckoutsCount(limit: null)', 25],
    ['codeDiscountNodes', 'discountCodesCount', undefined],
  ])(
    '%s: paging visits every record exactly once, in id order, and the count agrees',
    async (field, countField, expected) => {
      const nodes = await pageThrough(sandbox, field, 'id', '', 37);
      const seen = ids(nodes);
      expect(new Set(seen).size).toBe(seen.length);
      const numeric = seen.map((id) => Number(id.split('/').pop()));
      expect(numeric).toStrictEqual([...numeric].sort((a, b) => a - b));
      if (expected !== undefined) expect(seen).toHaveLength(expected);
      const count = await adminRequest(sandbox, `{ ${countField} { count precision } }`);
      const countName = countField.split('(')[0]!;
      if (field === 'codeDiscountNodes') {
        // discountCodesCount counts redeem codes, which may be more than the discounts.
        const codes = sandbox.state.discounts.all().reduce((sum, d) => sum + d.codes.length, 0);
        expect(count.body.data[countName]).toStrictEqual({count: codes, precision: 'EXACT'});
        expect(seen).toHaveLength(sandbox.state.discounts.size);
      } else {
        expect(count.body.data[countName]).toStrictEqual({count: seen.length, precision: 'EXACT'});
      }
    },
  );

  it('reverse and sortKey orders are honoured, and edges carry the same cursors pageInfo reports', async () => {
    const byCreated = await pageThrough(sandbox, 'orders', 'id createdAt', 'sortKey: CREATED_AT, reverse: true', 100);
    const times = byCreated.map((node) => Date.parse(node.createdAt as string));
    expect(times).toStrictEqual([...times].sort((a, b) => b - a));
    expect(byCreated).toHaveLength(700);

    const page = await adminRequest(
      sandbox,
      '{ products(first: 3, sortKey: TITLE) { edges { cursor node { title } } pageInfo { endCursor } } }',
    );
    const edges = page.body.data.products.edges;
    expect(edges.map((e: {node: {title: string}}) => e.node.title.toLowerCase())).toStrictEqual(
      edges.map((e: {node: {title: string}}) => e.node.title.toLowerCase()).sort(),
    );
    expect(page.body.data.products.pageInfo.endCursor).toBe(edges[2].cursor);
  });

  it('a created_at range query returns exactly the orders in the range, and ordersCount agrees', async () => {
    const orders = [...sandbox.state.orders.all()];
    const from = orders[200]!.createdAt;
    const to = orders[450]!.createdAt;
    const query = `created_at:>=${new Date(from).toISOString()} created_at:<${new Date(to).toISOString()}`;
    const nodes = await pageThrough(
      sandbox,
      'orders',
      'id',
      `query: ${JSON.stringify(query)}, sortKey: CREATED_AT`,
      40,
    );
    const expected = orders
      .filter((o) => o.createdAt >= from && o.createdAt < to)
      .map((o) => `gid://shopify/Order/${o.id}`);
    expect(ids(nodes)).toStrictEqual(expected);
    const count = await adminRequest(sandbox, `{ ordersCount(query: ${JSON.stringify(query)}) { count precision } }`);
    expect(count.body.data.ordersCount).toStrictEqual({count: expected.length, precision: 'EXACT'});
  });

  it('search terms filter (financial status, test flag) and unknown fields come back as search warnings', async () => {
    const refunded = await pageThrough(
      sandbox,
      'orders',
      'displayFinancialStatus test',
      'query: "financial_status:refunded -test:true"',
      100,
    );
    expect(refunded.length).toBeGreaterThan(0);
    expect(refunded.every((o) => o.displayFinancialStatus === 'REFUNDED' && o.test === false)).toBe(true);
    const expected = sandbox.state.orders.all().filter((o) => o.financialStatus === 'REFUNDED' && !o.test).length;
    expect(refunded).toHaveLength(expected);

    const warned = await adminRequest(sandbox, '{ products(first: 1, query: "colour:red") { nodes { id } } }');
    expect(warned.body.extensions.search).toStrictEqual([
      {
        path: ['products'],
        query: 'colour:red',
        warnings: [{field: 'colour', message: 'Invalid search field for this query.', code: 'invalid_field'}],
      },
    ]);
  });

  it('a record added between two pages shows up on a later page without repeating earlier ones (keyset cursors)', async () => {
    const first = await adminRequest(sandbox, '{ customers(first: 250) { nodes { id } pageInfo { endCursor } } }');
    const created = await fetch(`${sandbox.origin}/__sandbox/customers`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({email: 'late@example-mail.com'}),
    });
    const newcomer = (await created.json()) as {gid: string};
    const rest = await adminRequest(
      sandbox,
      'query($after: String) { customers(first: 250, after: $after) { nodes { id } } }',
      {after: first.body.data.customers.pageInfo.endCursor},
    );
    const all = [...ids(first.body.data.customers.nodes), ...ids(rest.body.data.customers.nodes)];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(301);
    expect(all[all.length - 1]).toBe(newcomer.gid);
  });

  it('counts stop at limit (default 10,000) with precision AT_LEAST, as Shopify counts', async () => {
    const capped = await adminRequest(
      sandbox,
      '{ ordersCount(limit: 100) { count precision } customersCount { count precision } }',
    );
    expect(capped.body.data.ordersCount).toStrictEqual({count: 100, precision: 'AT_LEAST'});
    expect(capped.body.data.customersCount.precision).toBe('EXACT');
  });

  it('last/before pages backwards and a malformed cursor is a BAD_REQUEST error', async () => {
    const forward = await pageThrough(sandbox, 'products', 'id', '', 250);
    const tail = await adminRequest(
      sandbox,
      '{ products(last: 5) { nodes { id } pageInfo { hasPreviousPage startCursor } } }',
    );
    expect(ids(tail.body.data.products.nodes)).toStrictEqual(ids(forward).slice(-5));
    expect(tail.body.data.products.pageInfo.hasPreviousPage).toBe(true);
    const before = await adminRequest(
      sandbox,
      'query($before: String) { products(last: 5, before: $before) { nodes { id } } }',
      {before: tail.body.data.products.pageInfo.startCursor},
    );
    expect(ids(before.body.data.products.nodes)).toStrictEqual(ids(forward).slice(-10, -5));

    const bad = await adminRequest(sandbox, '{ products(first: 5, after: "not-a-cursor") { nodes { id } } }');
    expect(bad.body.errors[0]).toMatchObject({
      message: 'Invalid cursor for current pagination sort.',
      extensions: {code: 'BAD_REQUEST'},
      path: ['products'],
    });
  });

  it('node and nodes resolve gids of every modelled type; unknown ids are null', async () => {
    const order = sandbox.state.orders.all()[3]!;
    const product = sandbox.state.products.all()[3]!;
    const customer = sandbox.state.customers.all()[3]!;
    const reply = await adminRequest(
      sandbox,
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Order { name } ... on Product { title } ... on Customer { legacyResourceId } } }`,
      {
        ids: [
          `gid://shopify/Order/${order.id}`,
          `gid://shopify/Product/${product.id}`,
          `gid://shopify/Customer/${customer.id}`,
          'gid://shopify/Order/1',
        ],
      },
    );
    expect(reply.body.data.nodes).toStrictEqual([
      {__typename: 'Order', id: `gid://shopify/Order/${order.id}`, name: `#${order.number}`},
      {__typename: 'Product', id: `gid://shopify/Product/${product.id}`, title: product.title},
      {__typename: 'Customer', id: `gid://shopify/Customer/${customer.id}`, legacyResourceId: String(customer.id)},
      null,
    ]);
  });
});

describe('Shopify stand-in: large stores', () => {
  it('pages a created_at range of a 50,000-order store without scanning the whole store per page', async () => {
    const sandbox = await startShopifySandbox({
      seed: 9,
      products: 500,
      customers: 2_000,
      orders: 50_000,
      throttle: false,
    });
    try {
      const orders = sandbox.state.orders.all();
      const from = new Date(orders[49_000]!.createdAt).toISOString();
      const started = performance.now();
      const nodes = await pageThrough(
        sandbox,
        'orders',
        'id',
        `query: "created_at:>=${from}", sortKey: CREATED_AT`,
        250,
      );
      const elapsed = performance.now() - started;
      expect(nodes).toHaveLength(1_000);
      // Generous bound: four pages over loopback; a full scan per page would still pass, so also check the index window.
      expect(elapsed).toBeLessThan(5_000);
      const window = sandbox.state.orders.window('CREATED_AT', {lo: {value: Date.parse(from), inclusive: true}});
      expect(window.hi - window.lo).toBe(1_000);
    } finally {
      await sandbox.close();
    }
  });
});
