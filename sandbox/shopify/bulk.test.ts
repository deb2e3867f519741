import {startShopifySandbox, type ShopifySandbox} from './index.js';
import {adminRequest, pageThrough} from './testing/admin-request.js';

const RUN = `mutation Run($query: String!, $group: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $group) { bulkOperation { id status } userErrors { field message code } }
}`;
const POLL = `query Poll($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl query } } }`;

type Json = Record<string, unknown>;

async function runBulk(sandbox: ShopifySandbox, query: string, group = true): Promise<Json> {
  const started = await adminRequest(sandbox, RUN, {query, group});
  expect(started.body.data.bulkOperationRunQuery.userErrors).toStrictEqual([]);
  const id = started.body.data.bulkOperationRunQuery.bulkOperation.id as string;
  for (;;) {
    const polled = await adminRequest(sandbox, POLL, {id});
    const op = polled.body.data.node as Json;
    if (op.status !== 'CREATED' && op.status !== 'RUNNING') return op;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function download(url: string): Promise<Json[]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Json);
}

const typeOf = (id: unknown) => String(id).split('/')[3];

describe('Shopify stand-in: bulk operations', () => {
  let sandbox: ShopifySandbox;

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 5,
      products: 60,
      customers: 80,
      orders: 300,
      throttle: false,
      bulk: {pageSize: 25},
    });
  });
  afterAll(() => sandbox.close());

  it("writes Shopify's JSONL: one line per node, nested connection nodes right after their parent with __parentId", async () => {
    const op = await runBulk(
      sandbox,
      '{ products { edges { node { id title featuredImage { url } variants { edges { node { id sku price } } } } } } }',
    );
    expect(op.status).toBe('COMPLETED');
    const lines = await download(op.url as string);
    const variantCount = sandbox.state.products.all().reduce((sum, p) => sum + p.variants.length, 0);
    expect(lines).toHaveLength(60 + variantCount);
    expect(op.objectCount).toBe(String(lines.length));
    expect(op.rootObjectCount).toBe('60');
    expect(Number(op.fileSize)).toBeGreaterThan(0);

    let currentParent: string | undefined;
    for (const line of lines) {
      if (typeOf(line.id) === 'Product') {
        expect(line).not.toHaveProperty('__parentId');
        // The nested connection is cut out of the parent's line; plain objects stay inline.
        expect(line).not.toHaveProperty('variants');
        expect(line).toHaveProperty('featuredImage');
        currentParent = line.id as string;
      } else {
        expect(typeOf(line.id)).toBe('ProductVariant');
        expect(line.__parentId).toBe(currentParent);
      }
    }
  });

  it('yields the same entities and fields as paging the same selection', async () => {
    const op = await runBulk(
      sandbox,
      '{ orders(query: "financial_status:paid") { edges { node { id name totalPriceSet { shopMoney { amount } } lineItems { edges { node { id quantity } } } } } } }',
    );
    const lines = await download(op.url as string);
    const orders = lines.filter((line) => typeOf(line.id) === 'Order');
    const paged = await pageThrough(
      sandbox,
      'orders',
      'id name totalPriceSet { shopMoney { amount } }',
      'query: "financial_status:paid"',
      100,
    );
    expect(orders.map(({id, name, totalPriceSet}) => ({id, name, totalPriceSet}))).toStrictEqual(paged);
    const lineItems = lines.filter((line) => typeOf(line.id) === 'LineItem');
    const expectedLines = sandbox.state.orders
      .all()
      .filter((o) => o.financialStatus === 'PAID')
      .reduce((sum, o) => sum + o.lines.length, 0);
    expect(lineItems).toHaveLength(expectedLines);
  });

  it('ungrouped output (groupObjects: false) does not keep children next to their parent', async () => {
    const op = await runBulk(
      sandbox,
      '{ products { edges { node { id variants { edges { node { id } } } } } } }',
      false,
    );
    const lines = await download(op.url as string);
    // Within a step, every parent comes before any child: a reader that assumes grouping would misplace children.
    expect(typeOf(lines[1]!.id)).toBe('Product');
    expect(lines.filter((l) => l.__parentId !== undefined)).toHaveLength(
      sandbox.state.products.all().reduce((sum, p) => sum + p.variants.length, 0),
    );
  });

  it('allows one bulk query at a time (API 2025-10), reports progress while RUNNING, and can be cancelled', async () => {
    const slow = await startShopifySandbox({
      seed: 6,
      products: 10,
      customers: 10,
      orders: 400,
      throttle: false,
      bulk: {pageSize: 20, stepDelayMs: 15},
    });
    try {
      const first = await adminRequest(slow, RUN, {query: '{ orders { edges { node { id } } } }', group: true});
      const id = first.body.data.bulkOperationRunQuery.bulkOperation.id as string;
      expect(first.body.data.bulkOperationRunQuery.bulkOperation.status).toBe('CREATED');

      const second = await adminRequest(slow, RUN, {query: '{ customers { edges { node { id } } } }', group: true});
      expect(second.body.data.bulkOperationRunQuery).toStrictEqual({
        bulkOperation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${id}.`,
            code: 'OPERATION_IN_PROGRESS',
          },
        ],
      });

      let running: Json | undefined;
      for (let i = 0; i < 200 && !running; i += 1) {
        const polled = (await adminRequest(slow, POLL, {id})).body.data.node as Json;
        if (polled.status === 'RUNNING' && Number(polled.objectCount) > 0) running = polled;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(running).toBeDefined();
      const current = await adminRequest(slow, '{ currentBulkOperation { id status } }');
      expect(current.body.data.currentBulkOperation.id).toBe(id);

      const cancelled = await adminRequest(
        slow,
        'mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { field message } } }',
        {id},
      );
      expect(cancelled.body.data.bulkOperationCancel).toStrictEqual({
        bulkOperation: {status: 'CANCELING'},
        userErrors: [],
      });
      let final: Json = {};
      for (let i = 0; i < 200; i += 1) {
        final = (await adminRequest(slow, POLL, {id})).body.data.node as Json;
        if (final.status === 'CANCELED') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(final.status).toBe('CANCELED');
      expect(Number(final.objectCount)).toBeLessThan(400);
      expect(final.url).toBeNull();

      // API 2026-01 allows several at once.
      const a = await adminRequest(slow, RUN, {query: '{ orders { edges { node { id } } } }', group: true});
      const versioned = await fetch(slow.graphqlUrl('2026-01'), {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Shopify-Access-Token': slow.accessToken},
        body: JSON.stringify({query: RUN, variables: {query: '{ customers { edges { node { id } } } }', group: true}}),
      });
      expect(a.body.data.bulkOperationRunQuery.userErrors).toStrictEqual([]);
      expect(
        ((await versioned.json()) as Json & {data: {bulkOperationRunQuery: {userErrors: unknown[]}}}).data
          .bulkOperationRunQuery.userErrors,
      ).toStrictEqual([]);
    } finally {
      await slow.close();
    }
  });

  it.each([
    ['{ products { edges { node { id nope } } } }', "Invalid bulk query: Field 'nope' doesn't exist on type 'Product'"],
    ['{ shop { name } }', 'Bulk queries must contain at least one connection.'],
    [
      '{ products { edges { node { title variants { edges { node { id } } } } } } }',
      "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': variants.",
    ],
    [
      '{ orders { edges { node { id refunds { id refundLineItems { edges { node { quantity } } } } } } } }',
      'Queries that contain a connection field within a list field are not currently supported.',
    ],
    ['{ products { edges { node { id', expect.stringMatching(/^Invalid bulk query: Syntax Error/)],
  ])('rejects %s with a userError', async (query, message) => {
    const reply = await adminRequest(sandbox, RUN, {query, group: true});
    expect(reply.body.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(reply.body.data.bulkOperationRunQuery.userErrors).toStrictEqual([
      {field: ['query'], message, code: 'INVALID'},
    ]);
  });

  it('a failed operation reports its error code and the partial data written so far', async () => {
    await fetch(`${sandbox.origin}/__sandbox/bulk/fail-next`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({errorCode: 'TIMEOUT'}),
    });
    const op = await runBulk(sandbox, '{ customers { edges { node { id email } } } }');
    expect(op).toMatchObject({status: 'FAILED', errorCode: 'TIMEOUT', url: null, objectCount: '25'});
    expect(await download(op.partialDataUrl as string)).toHaveLength(25);
  });

  it('an empty result completes with no URL, as on Shopify', async () => {
    const op = await runBulk(sandbox, '{ orders(query: "email:nobody@nowhere.test") { edges { node { id } } } }');
    expect(op).toMatchObject({status: 'COMPLETED', objectCount: '0', url: null});
  });
});
