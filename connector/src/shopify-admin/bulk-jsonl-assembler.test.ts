import {assembleBulkObjects, BulkJsonlError} from './bulk-jsonl-assembler.js';
import type {ProductNode} from './documents/product-documents.js';
import {readAdminFixtureText} from './fixtures/read-admin-fixture.js';
import {mapProductNode} from './product-mapper.js';

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) yield line;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('bulk JSONL reassembly', () => {
  it("puts Shopify's child lines back under their parent, in the shape a paginated query has", async () => {
    const products = await collect(
      assembleBulkObjects(linesOf(readAdminFixtureText('products-bulk.jsonl')), {ProductVariant: 'variants'}),
    );
    expect(products.map((p) => p.id)).toStrictEqual([
      'gid://shopify/Product/1921569226808',
      'gid://shopify/Product/1921569259576',
    ]);
    expect(products[0]!.variants).toStrictEqual({
      nodes: [
        {
          id: 'gid://shopify/ProductVariant/19435458986123',
          legacyResourceId: '19435458986123',
          title: '52',
          sku: null,
          price: '25.00',
          inventoryQuantity: 5,
          position: 1,
          image: null,
        },
        {
          id: 'gid://shopify/ProductVariant/19435458986040',
          legacyResourceId: '19435458986040',
          title: '70',
          sku: null,
          price: '27.00',
          inventoryQuantity: 0,
          position: 2,
          image: null,
        },
      ],
    });
    const mapped = mapProductNode(products[1] as unknown as ProductNode, {
      shopDomain: 'example.myshopify.com',
      shopCurrency: 'USD',
    });
    expect(mapped.ok && mapped.value.variants.map((v) => [v.id, v.price.minor])).toStrictEqual([
      ['19435459018808', 4000],
    ]);
  });

  it('nests under a field path (a connection inside an object) and at any depth', async () => {
    const lines = [
      '{"id":"gid://shopify/DiscountCodeNode/1","codeDiscount":{"title":"A"}}',
      '{"id":"gid://shopify/DiscountRedeemCode/10","code":"X","__parentId":"gid://shopify/DiscountCodeNode/1"}',
      '{"id":"gid://shopify/Order/2"}',
      '{"id":"gid://shopify/LineItem/20","__parentId":"gid://shopify/Order/2"}',
      '{"id":"gid://shopify/Fulfillment/200","__parentId":"gid://shopify/LineItem/20"}',
    ].join('\n');
    const objects = await collect(
      assembleBulkObjects(linesOf(lines), {
        DiscountRedeemCode: 'codeDiscount.codes',
        LineItem: 'lineItems',
        Fulfillment: 'fulfillments',
      }),
    );
    expect(objects).toStrictEqual([
      {
        id: 'gid://shopify/DiscountCodeNode/1',
        codeDiscount: {title: 'A', codes: {nodes: [{id: 'gid://shopify/DiscountRedeemCode/10', code: 'X'}]}},
      },
      {
        id: 'gid://shopify/Order/2',
        lineItems: {
          nodes: [{id: 'gid://shopify/LineItem/20', fulfillments: {nodes: [{id: 'gid://shopify/Fulfillment/200'}]}}],
        },
      },
    ]);
  });

  it('yields each root before reading past it: memory holds one root at a time', async () => {
    const read: number[] = [];
    async function* source(): AsyncGenerator<string> {
      for (let i = 1; i <= 1000; i += 1) {
        read.push(i);
        yield JSON.stringify({id: `gid://shopify/Customer/${i}`});
      }
    }
    const iterator = assembleBulkObjects(source(), {})[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toStrictEqual({id: 'gid://shopify/Customer/1'});
    // The first root is known complete only when the second line arrives; nothing more has been read.
    expect(read).toStrictEqual([1, 2]);
    await iterator.return?.(undefined);
  });

  it.each([
    [
      'a child whose parent is not the current root (ungrouped output)',
      '{"id":"gid://shopify/Product/1"}\n{"id":"gid://shopify/Product/2"}\n{"id":"gid://shopify/ProductVariant/3","__parentId":"gid://shopify/Product/1"}',
      /line 3: parent gid:\/\/shopify\/Product\/1 is not the current root/,
    ],
    [
      'a child of a type with no field',
      '{"id":"gid://shopify/Product/1"}\n{"id":"gid://shopify/ProductImage/3","__parentId":"gid://shopify/Product/1"}',
      /line 2: no field for child objects of type ProductImage/,
    ],
    ['a line that is not JSON', '{"id":"gid://shopify/Product/1"}\n{"id":', /line 2: not valid JSON/],
  ])('refuses %s', async (_case, text, message) => {
    const error = await collect(assembleBulkObjects(linesOf(text), {ProductVariant: 'variants'})).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BulkJsonlError);
    expect((error as Error).message).toMatch(message);
  });
});
