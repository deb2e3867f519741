import {GraphQLError} from 'graphql';
import type {EntityTable} from '../data/entity-table.js';
import type {ShopStore} from '../data/shop-store.js';
import type {BulkOperations} from '../bulk/bulk-operations.js';
import type {WebhookSender} from '../webhooks/webhook-sender.js';
import type {WebhookSubscriptions} from '../webhooks/webhook-subscriptions.js';
import {InvalidCursorError} from '../query/cursor.js';
import {keysetPage, type Page, type PageArgs} from '../query/keyset-page.js';
import {compileSearch, type SearchSchema, type SearchWarning} from '../query/search-filter.js';

/** The window a bulk run asks the root connection for, and where the root connection reports how far it got. */
export interface BulkWindow {
  first: number;
  after: string | null;
  endCursor?: string | null;
  hasNextPage?: boolean;
}

export interface ResolverContext {
  store: ShopStore;
  /** From the request path (`/admin/api/<version>/graphql.json`). */
  apiVersion: string;
  bulkOperations: BulkOperations;
  webhooks?: WebhookSender;
  webhookSubscriptions: WebhookSubscriptions;
  /** Set while a bulk operation executes its query: nested connections return everything. */
  bulk?: BulkWindow;
  /** Search warnings, reported under `extensions.search` like Shopify does. */
  search: Array<{path: string[]; query: string; warnings: SearchWarning[]}>;
}

export interface Connection<T> {
  edges: Array<{cursor: string; node: T}>;
  nodes: T[];
  pageInfo: {hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null};
}

export function connectionOf<R, T = R>(
  page: Page<R>,
  view: (record: R) => T = (record) => record as unknown as T,
): Connection<T> {
  const nodes = page.items.map(view);
  const last = nodes.length - 1;
  // Edges and cursors are built only when the query selects them (graphql reads these getters).
  return {
    get edges() {
      return nodes.map((node, i) => ({cursor: page.cursorAt(i), node}));
    },
    nodes,
    get pageInfo() {
      return {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: last >= 0 ? page.cursorAt(0) : null,
        endCursor: last >= 0 ? page.cursorAt(last) : null,
      };
    },
  };
}

export interface ConnectionArgs extends PageArgs {
  query?: string | null;
  sortKey?: string | null;
}

function cursorError(error: unknown): never {
  if (error instanceof InvalidCursorError) throw new GraphQLError(error.message, {extensions: {code: 'BAD_REQUEST'}});
  throw error;
}

/**
 * A top-level connection (`products`, `orders`, …) over a table: sort, search, keyset page. Inside a bulk run the
 * window comes from the runner instead of `first`/`after`.
 */
export function tableConnection<R extends {id: number}, T = R>(
  table: EntityTable<R>,
  search: SearchSchema<R>,
  args: ConnectionArgs,
  context: ResolverContext,
  path: string,
  view?: (record: R) => T,
  nested = false,
): Connection<T> {
  const sortKey = args.sortKey ?? 'ID';
  const def = table.sortKeys[sortKey];
  if (!def)
    throw new GraphQLError(
      `The stand-in does not model sortKey ${sortKey} for ${path}; use one of ${Object.keys(table.sortKeys).join(', ')}.`,
      {extensions: {code: 'BAD_REQUEST'}},
    );
  const compiled = compileSearch(args.query, search);
  if (compiled.warnings.length > 0 && args.query)
    context.search.push({path: [path], query: args.query, warnings: compiled.warnings});
  const range = def.searchField !== undefined ? compiled.ranges.get(def.searchField) : undefined;
  const window = table.window(sortKey, range);
  // In a bulk run the root connection pages by the runner's window and nested ones return everything.
  const bulkArgs: PageArgs | undefined =
    context.bulk &&
    (nested
      ? {first: Number.MAX_SAFE_INTEGER, reverse: args.reverse}
      : {first: context.bulk.first, after: context.bulk.after, reverse: args.reverse});
  let page: Page<R>;
  try {
    page = keysetPage(table.sorted(sortKey), def.value, def.type, compiled.matches, bulkArgs ?? args, window);
  } catch (error) {
    cursorError(error);
  }
  if (context.bulk && !nested) {
    context.bulk.endCursor = page.items.length > 0 ? page.cursorAt(page.items.length - 1) : null;
    context.bulk.hasNextPage = page.hasNextPage;
  }
  return connectionOf(page, view);
}

/** A nested connection over a small in-memory list (variants of a product, lines of an order). */
export function listConnection<R extends {id: number}, T = R>(
  items: readonly R[],
  args: PageArgs,
  context: ResolverContext,
  view?: (record: R) => T,
): Connection<T> {
  const pageArgs: PageArgs = context.bulk ? {first: items.length, reverse: args.reverse} : args;
  let page: Page<R>;
  try {
    // The list is in its natural order (position, line order): its index is the sort value.
    const position = new Map(items.map((item, index) => [item.id, index]));
    page = keysetPage(
      items,
      (item) => position.get(item.id) ?? 0,
      'number',
      () => true,
      pageArgs,
    );
  } catch (error) {
    cursorError(error);
  }
  return connectionOf(page, view);
}

/** `productsCount` & co.: Shopify stops counting at `limit` (default 10,000) and then says AT_LEAST. */
export function tableCount<R extends {id: number}>(
  table: EntityTable<R>,
  search: SearchSchema<R>,
  args: {query?: string | null; limit?: number | null},
  context: ResolverContext,
  path: string,
): {count: number; precision: 'EXACT' | 'AT_LEAST'} {
  const compiled = compileSearch(args.query, search);
  if (compiled.warnings.length > 0 && args.query)
    context.search.push({path: [path], query: args.query, warnings: compiled.warnings});
  // Narrow by whichever indexed field the search constrains.
  let sortKey = 'ID';
  for (const [key, def] of Object.entries(table.sortKeys)) {
    if (def.searchField !== undefined && compiled.ranges.has(def.searchField)) {
      sortKey = key;
      break;
    }
  }
  const def = table.sortKeys[sortKey]!;
  const window = table.window(
    sortKey,
    def.searchField !== undefined ? compiled.ranges.get(def.searchField) : undefined,
  );
  const sorted = table.sorted(sortKey);
  const limit = args.limit ?? Number.POSITIVE_INFINITY;
  let count = 0;
  for (let i = window.lo; i < window.hi; i += 1) {
    if (!compiled.matches(sorted[i]!)) continue;
    if (count === limit) return {count, precision: 'AT_LEAST'};
    count += 1;
  }
  return {count, precision: 'EXACT'};
}
