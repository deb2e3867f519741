import {INVALID_TOKEN_BODY} from './http/graphql-endpoint.js';
import {startShopifySandbox, type ShopifySandbox} from './index.js';
import {adminRequest} from './testing/admin-request.js';

describe('Shopify stand-in: access and cost limits', () => {
  let sandbox: ShopifySandbox;

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 3,
      products: 300,
      customers: 20,
      orders: 20,
      throttle: {maximumAvailable: 300, restoreRate: 500},
    });
  });
  afterAll(() => sandbox.close());

  it.each([
    ['a wrong token', 'shpat_wrong'],
    ['no token', ''],
  ])('answers %s with 401 and Shopify’s body', async (_case, token) => {
    const response = await fetch(sandbox.graphqlUrl(), {
      method: 'POST',
      headers: {'Content-Type': 'application/json', ...(token ? {'X-Shopify-Access-Token': token} : {})},
      body: JSON.stringify({query: '{ shop { name } }'}),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toStrictEqual(INVALID_TOKEN_BODY);
  });

  it('reports the calculated cost of every answer: connections 2 + first × node, objects 1, scalars 0', async () => {
    await fetch(`${sandbox.origin}/__sandbox/throttle/reset`, {method: 'POST'});
    const reply = await adminRequest(sandbox, '{ products(first: 10) { nodes { id title featuredImage { url } } } }');
    expect(reply.body.extensions.cost.requestedQueryCost).toBe(2 + 10 * (1 + 1));
    // Actual cost counts what came back: a product without an image costs 1, not 2.
    const nodes = reply.body.data.products.nodes as Array<{featuredImage: unknown}>;
    expect(nodes.some((node) => node.featuredImage === null)).toBe(true);
    expect(reply.body.extensions.cost.actualQueryCost).toBe(
      2 + nodes.reduce((sum, node) => sum + (node.featuredImage === null ? 1 : 2), 0),
    );
    expect(reply.body.extensions.cost.throttleStatus).toMatchObject({maximumAvailable: 300, restoreRate: 500});
    expect(reply.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(300);
  });

  it('answers THROTTLED (HTTP 200) when the requested cost exceeds what is available, and recovers at the restore rate', async () => {
    await fetch(`${sandbox.origin}/__sandbox/throttle/reset`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({maximumAvailable: 300, restoreRate: 100}),
    });
    const query = '{ products(first: 140) { nodes { id } } }'; // 2 + 140 × 1 = 142
    const first = await adminRequest(sandbox, query);
    expect(first.body.data.products.nodes).toHaveLength(140);
    const second = await adminRequest(sandbox, query);
    expect(second.body.errors).toBeUndefined();
    const third = await adminRequest(sandbox, query);
    expect(third.status).toBe(200);
    expect(third.body.data).toBeUndefined();
    expect(third.body.errors).toStrictEqual([
      {
        message: 'Throttled',
        extensions: {code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits'},
      },
    ]);
    const {requestedQueryCost, actualQueryCost, throttleStatus} = third.body.extensions.cost;
    expect(requestedQueryCost).toBe(142);
    expect(actualQueryCost).toBeNull();
    expect(throttleStatus.currentlyAvailable).toBeLessThan(142);

    // (requested − available) / restoreRate seconds later the query fits again.
    const wait = ((requestedQueryCost - throttleStatus.currentlyAvailable) / throttleStatus.restoreRate) * 1000;
    await new Promise((resolve) => setTimeout(resolve, wait + 20));
    const after = await adminRequest(sandbox, query);
    expect(after.body.errors).toBeUndefined();
    const stats = await (await fetch(`${sandbox.origin}/__sandbox/requests`)).json();
    expect(stats.throttled).toBeGreaterThanOrEqual(1);
  });

  it('refunds the difference between requested and actual cost', async () => {
    await fetch(`${sandbox.origin}/__sandbox/throttle/reset`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({maximumAvailable: 300, restoreRate: 0.001}),
    });
    const reply = await adminRequest(
      sandbox,
      '{ orders(first: 250, query: "email:nobody@example.invalid") { nodes { id } } }',
    );
    expect(reply.body.extensions.cost).toMatchObject({requestedQueryCost: 252, actualQueryCost: 2});
    expect(reply.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(298);
  });

  it('refuses a single query above 1000 points with MAX_COST_EXCEEDED and charges nothing', async () => {
    await fetch(`${sandbox.origin}/__sandbox/throttle/reset`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({maximumAvailable: 2000, restoreRate: 0.001}),
    });
    const reply = await adminRequest(
      sandbox,
      '{ products(first: 50) { nodes { id variants(first: 50) { nodes { id } } } } }',
    );
    const cost = 2 + 50 * (1 + 2 + 50);
    expect(reply.body.errors[0].extensions).toStrictEqual({
      code: 'MAX_COST_EXCEEDED',
      cost,
      maxCost: 1000,
      documentation: 'https://shopify.dev/api/usage/rate-limits',
    });
    expect(reply.body.errors[0].message).toMatch(
      new RegExp(`^Query cost is ${cost}, which exceeds the single query max cost limit \\(1000\\)\\.`),
    );
    expect(reply.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });

  it('requires first or last on connections and caps them at 250', async () => {
    const missing = await adminRequest(sandbox, '{ customers { nodes { id } } }');
    expect(missing.body.errors[0]).toMatchObject({
      message: 'you must provide one of first or last',
      path: ['customers'],
    });
    const tooMany = await adminRequest(sandbox, '{ customers(first: 251) { nodes { id } } }');
    expect(tooMany.body.errors[0].message).toMatch(/Expected a page size from 0 to 250/);
    expect(tooMany.body.data).toBeUndefined();
  });

  it('rejects unknown fields and arguments with graphql-ruby wording, before any cost is charged', async () => {
    const reply = await adminRequest(sandbox, '{ products(first: 1, colour: "red") { nodes { id sizes } } }');
    expect(reply.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: "Field 'products' doesn't accept argument 'colour'",
          extensions: expect.objectContaining({code: 'argumentNotAccepted'}),
        }),
        expect.objectContaining({
          message: "Field 'sizes' doesn't exist on type 'Product'",
          extensions: expect.objectContaining({code: 'undefinedField'}),
        }),
      ]),
    );
    expect(reply.body.extensions).toBeUndefined();
  });

  it('adds the configured latency to every request', async () => {
    const slow = await startShopifySandbox({seed: 1, products: 1, customers: 1, orders: 1, latencyMs: 120});
    try {
      const started = performance.now();
      await adminRequest(slow, '{ shop { name } }');
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.close();
    }
  });
});
