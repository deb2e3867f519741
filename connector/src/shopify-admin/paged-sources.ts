import type {RequestOptions, ShopifyAdminClient} from './admin-client.js';
import type {NodeList} from './documents/admin-document.js';
import {
  ORDER_LINE_ITEMS_PAGE,
  ORDERS_PAGE,
  ORDERS_PAGE_SIZE,
  type LineItemNode,
  type OrderNode,
} from './documents/order-documents.js';
import {
  PRODUCT_VARIANTS_PAGE,
  PRODUCTS_PAGE,
  PRODUCTS_PAGE_SIZE,
  type ProductNode,
  type VariantNode,
} from './documents/product-documents.js';
import {paginate} from './paginate.js';

/**
 * Products and orders read page by page with their nested connections completed: a page carries the first 20
 * variants / 10 lines of each (what keeps a page under 1,000 points), and a record with more gets the rest from its
 * own connection. The nodes then have the same shape as bulk results, so one mapper serves both.
 */

async function complete<TNode>(
  list: NodeList<TNode>,
  rest: (after: string) => AsyncGenerator<TNode>,
): Promise<NodeList<TNode>> {
  if (!list.pageInfo?.hasNextPage || !list.pageInfo.endCursor) return {nodes: list.nodes};
  const nodes = [...list.nodes];
  for await (const node of rest(list.pageInfo.endCursor)) nodes.push(node);
  return {nodes};
}

export async function* pagedProducts(
  client: ShopifyAdminClient,
  options: RequestOptions & {query?: string} = {},
): AsyncGenerator<ProductNode, void, undefined> {
  for await (const product of paginate(
    client,
    PRODUCTS_PAGE,
    {first: PRODUCTS_PAGE_SIZE, query: options.query ?? null},
    (data) => data.products,
    options,
  )) {
    const variants = await complete<VariantNode>(product.variants, (after) =>
      paginate(client, PRODUCT_VARIANTS_PAGE, {id: product.id, first: 100}, (data) => data.product?.variants, {
        ...options,
        startAfter: after,
      }),
    );
    yield {...product, variants};
  }
}

export async function* pagedOrders(
  client: ShopifyAdminClient,
  options: RequestOptions & {query?: string} = {},
): AsyncGenerator<OrderNode, void, undefined> {
  for await (const order of paginate(
    client,
    ORDERS_PAGE,
    {first: ORDERS_PAGE_SIZE, query: options.query ?? null},
    (data) => data.orders,
    options,
  )) {
    const lineItems = await complete<LineItemNode>(order.lineItems, (after) =>
      paginate(client, ORDER_LINE_ITEMS_PAGE, {id: order.id, first: 100}, (data) => data.order?.lineItems, {
        ...options,
        startAfter: after,
      }),
    );
    yield {...order, lineItems};
  }
}
