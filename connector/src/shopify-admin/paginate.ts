import type {RequestOptions, ShopifyAdminClient} from './admin-client.js';
import type {AdminDocument, Connection} from './documents/admin-document.js';

/**
 * Every node of a cursor-paginated connection, page after page (`first`/`after`, `pageInfo.endCursor`), as an
 * async generator: the caller processes a page before the next is requested, so memory stays at one page.
 * `connectionOf` picks the connection out of the data (`(data) => data.products`); a null connection ends it.
 * `startAfter` continues a connection from a cursor (the rest of a nested connection, a resumed backfill).
 */
export async function* paginate<TData, TVariables extends {after?: string | null}, TNode>(
  client: ShopifyAdminClient,
  document: AdminDocument<TData, TVariables>,
  variables: Omit<TVariables, 'after'>,
  connectionOf: (data: TData) => Connection<TNode> | null | undefined,
  options: RequestOptions & {startAfter?: string | null} = {},
): AsyncGenerator<TNode, void, undefined> {
  let after: string | null = options.startAfter ?? null;
  for (;;) {
    const data = await client.query(document, {...variables, after} as TVariables, options);
    const connection = connectionOf(data);
    if (!connection) return;
    yield* connection.nodes;
    if (!connection.pageInfo.hasNextPage) return;
    if (connection.pageInfo.endCursor === null || connection.pageInfo.endCursor === after) {
      throw new Error('Shopify reported another page without a new end cursor');
    }
    after = connection.pageInfo.endCursor;
  }
}
