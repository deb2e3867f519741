import type {Logger} from '../logging/logger.js';
import type {StoreEvent} from '../model/events.js';
import {
  ABANDONED_CHECKOUTS_BULK_NESTING,
  ABANDONED_CHECKOUTS_BULK_QUERY,
  ABANDONED_CHECKOUTS_PAGE,
  assembleBulkObjects,
  CHECKOUTS_PAGE_SIZE,
  CODE_DISCOUNTS_BULK_NESTING,
  CODE_DISCOUNTS_BULK_QUERY,
  CODE_DISCOUNTS_PAGE,
  CODE_DISCOUNTS_PAGE_SIZE,
  CUSTOMERS_BULK_QUERY,
  CUSTOMERS_PAGE,
  CUSTOMERS_PAGE_SIZE,
  downloadLines,
  mapAbandonedCheckoutNode,
  mapCodeDiscountNode,
  mapCustomerNode,
  mapOrderNode,
  mapProductNode,
  ordersBulkQuery,
  ORDERS_BULK_NESTING,
  ORDERS_PAGE_SIZE,
  pagedOrders,
  pagedProducts,
  paginate,
  PRODUCTS_BULK_NESTING,
  PRODUCTS_BULK_QUERY,
  PRODUCTS_PAGE_SIZE,
  SHOP_AND_COUNTS,
  ShopifyBulkBusyError,
  startBulkQuery,
  waitForBulkOperation,
  type AbandonedCheckoutNode,
  type BulkNesting,
  type CustomerNode,
  type DiscountCodeNode,
  type OrderNode,
  type ProductNode,
  type ShopifyAdminClient,
} from '../shopify-admin/index.js';
import type {BackfillOptions, BackfillSource, SourceChunk, SourcePhase} from './backfill-source.js';
import {
  chooseReadMode,
  DEFAULT_READ_TIMINGS,
  STANDARD_PLAN_THROTTLE,
  type PageQueryCost,
  type ReadMode,
  type ReadTimings,
} from './read-mode.js';

export interface ShopifyBackfillSourceOptions {
  shopDomain: string;
  currency: string;
  /**
   * A fixed rule instead of the cost estimate (BACKFILL_BULK_THRESHOLD): phases with more records than this are read
   * through a bulk operation, the others page by page. Unset: each phase takes whichever read-mode.ts estimates
   * faster from the shop's reported cost bucket.
   */
  bulkThreshold?: number;
  /** The estimate's timings (defaults: DEFAULT_READ_TIMINGS, with the round trip measured on the counts query). */
  timings?: Partial<ReadTimings>;
  /** Records per stored chunk (one projection transaction and one position update each). */
  chunkSize?: number;
  /** First wait between bulk status polls (default 200 ms, growing to 10 s; tests shorten it). */
  pollIntervalMs?: number;
  logger?: Logger;
}

/**
 * Points Shopify requests for one page of each phase's paged query at the page size it is read with, as the Admin
 * API calculates them (checked against the stand-in in read-mode-costs.test.ts): what read-mode.ts weighs.
 */
export const PAGE_QUERY_COSTS: Readonly<Record<SourcePhase, PageQueryCost>> = {
  products: {pageSize: PRODUCTS_PAGE_SIZE, requestedCost: 882},
  customers: {pageSize: CUSTOMERS_PAGE_SIZE, requestedCost: 802},
  promos: {pageSize: CODE_DISCOUNTS_PAGE_SIZE, requestedCost: 852},
  orders: {pageSize: ORDERS_PAGE_SIZE, requestedCost: 682},
  carts: {pageSize: CHECKOUTS_PAGE_SIZE, requestedCost: 810},
};

/** Where a phase's reading stands: how many records are stored, and the bulk operation that holds them, if any. */
interface Position {
  consumed: number;
  operationId?: string;
}

/**
 * The Shopify store's history through the GraphQL Admin API. Each phase is paginated or runs one bulk operation and
 * streams its JSONL (memory flat whatever the size), whichever its query cost makes faster (read-mode.ts). Resuming re-reads the same bulk
 * result (or the pages) and skips the records already stored: projection is idempotent, so a record read twice
 * is harmless, and none is skipped that was not stored.
 */
export class ShopifyBackfillSource implements BackfillSource {
  private counts?: Promise<Record<SourcePhase, number | undefined>>;
  /** How long the counts query took: the round trip the page estimate multiplies. */
  private roundTripMs?: number;

  constructor(
    private readonly client: ShopifyAdminClient,
    private readonly options: ShopifyBackfillSourceOptions,
  ) {}

  async count(phase: SourcePhase, runOptions: BackfillOptions, signal?: AbortSignal): Promise<number | undefined> {
    const sent = performance.now();
    this.counts ??= this.client
      .query(SHOP_AND_COUNTS, {ordersQuery: ordersSearch(runOptions) ?? null}, {signal})
      .then((data) => {
        this.roundTripMs = performance.now() - sent;
        return {
          products: data.productsCount?.count,
          customers: data.customersCount?.count,
          promos: data.discountCodesCount?.count,
          orders: data.ordersCount?.count,
          carts: data.abandonedCheckoutsCount?.count,
        };
      });
    return (await this.counts)[phase];
  }

  /**
   * Pages or bulk for a phase not read yet. A resumed phase keeps its way: a bulk position names its operation, and
   * a paged one has records but no operation (skipping by count needs the same order as before).
   */
  private modeFor(phase: SourcePhase, start: Position, total: number | undefined): ReadMode {
    if (start.operationId !== undefined) return 'bulk';
    if (start.consumed > 0) return 'pages';
    const threshold = this.options.bulkThreshold;
    if (threshold !== undefined) return (total ?? Number.POSITIVE_INFINITY) > threshold ? 'bulk' : 'pages';
    const choice = chooseReadMode({
      records: total,
      page: PAGE_QUERY_COSTS[phase],
      // Before the shop reported its bucket (it always does with the counts), a standard plan's is assumed.
      throttle: this.client.throttleStatus() ?? STANDARD_PLAN_THROTTLE,
      timings: {
        ...DEFAULT_READ_TIMINGS,
        ...(this.roundTripMs !== undefined ? {roundTripMs: this.roundTripMs} : {}),
        ...this.options.timings,
      },
    });
    this.options.logger?.info(
      {
        phase,
        records: total,
        mode: choice.mode,
        pagesMs: Math.round(choice.pagesMs),
        bulkMs: Math.round(choice.bulkMs),
      },
      'backfill read mode chosen from the Shopify query cost',
    );
    return choice.mode;
  }

  async *read(
    phase: SourcePhase,
    position: unknown,
    runOptions: BackfillOptions,
    signal?: AbortSignal,
  ): AsyncIterable<SourceChunk> {
    const start = parsePosition(position);
    const total = await this.count(phase, runOptions, signal);
    const bulk = this.modeFor(phase, start, total) === 'bulk';
    const size = this.options.chunkSize ?? 250;
    let consumed = 0;
    let operationId = start.operationId;
    let events: StoreEvent[] = [];
    let records = 0;
    const nodes = bulk
      ? this.bulkNodes(phase, runOptions, start, (id) => (operationId = id), signal)
      : this.pagedNodes(phase, runOptions, signal);
    for await (const node of nodes) {
      consumed += 1;
      if (consumed <= start.consumed) continue; // stored before the interruption
      events.push(...this.map(phase, node));
      records += 1;
      if (records >= size) {
        yield {events, records, position: {consumed, operationId} satisfies Position};
        events = [];
        records = 0;
      }
    }
    if (records > 0) yield {events, records, position: {consumed, operationId} satisfies Position};
  }

  private pagedNodes(phase: SourcePhase, runOptions: BackfillOptions, signal?: AbortSignal): AsyncGenerator<unknown> {
    const options = {signal};
    switch (phase) {
      case 'products':
        return pagedProducts(this.client, options);
      case 'customers':
        return paginate(
          this.client,
          CUSTOMERS_PAGE,
          {first: CUSTOMERS_PAGE_SIZE, query: null},
          (data) => data.customers,
          options,
        );
      case 'promos':
        return paginate(
          this.client,
          CODE_DISCOUNTS_PAGE,
          {first: CODE_DISCOUNTS_PAGE_SIZE, query: null},
          (data) => data.codeDiscountNodes,
          options,
        );
      case 'orders':
        return pagedOrders(this.client, {...options, query: ordersSearch(runOptions)});
      case 'carts':
        return paginate(
          this.client,
          ABANDONED_CHECKOUTS_PAGE,
          {first: CHECKOUTS_PAGE_SIZE, query: null},
          (data) => data.abandonedCheckouts,
          options,
        );
    }
  }

  private async *bulkNodes(
    phase: SourcePhase,
    runOptions: BackfillOptions,
    start: Position,
    started: (id: string) => void,
    signal?: AbortSignal,
  ): AsyncGenerator<unknown> {
    const {query, nesting} = bulkQueryFor(phase, runOptions);
    const poll = {signal, pollIntervalMs: this.options.pollIntervalMs, cancelOnAbort: false};
    let operation = start.operationId
      ? await waitForBulkOperation(this.client, start.operationId, poll).catch(() => undefined)
      : undefined;
    if (!operation || operation.status !== 'COMPLETED' || !operation.url) {
      // Not resumable from that result (expired, failed, gone): read again from the start; the skip count still holds.
      operation = await this.startBulk(query, signal);
      started(operation.id);
      operation = await waitForBulkOperation(this.client, operation.id, poll);
    }
    if (operation.status !== 'COMPLETED')
      throw new Error(
        `Shopify bulk operation ${operation.id} ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ''}`,
      );
    if (!operation.url) return; // an empty result has no file
    yield* assembleBulkObjects(downloadLines(operation.url, {signal}), nesting);
  }

  /** One bulk query runs at a time per shop: wait out another one (e.g. of a crashed run), then start ours. */
  private async startBulk(query: string, signal?: AbortSignal) {
    for (;;) {
      try {
        return await startBulkQuery(this.client, query, signal);
      } catch (error) {
        if (!(error instanceof ShopifyBulkBusyError) || !error.runningOperationId) throw error;
        this.options.logger?.info(
          {operation: error.runningOperationId},
          'waiting for a running Shopify bulk operation',
        );
        await waitForBulkOperation(this.client, error.runningOperationId, {
          signal,
          pollIntervalMs: this.options.pollIntervalMs,
          cancelOnAbort: false,
        });
      }
    }
  }

  private map(phase: SourcePhase, node: unknown): StoreEvent[] {
    const shop = {shopDomain: this.options.shopDomain, shopCurrency: this.options.currency};
    const result = (() => {
      switch (phase) {
        case 'products': {
          const r = mapProductNode(node as ProductNode, shop);
          return r.ok ? {ok: true as const, events: [{kind: 'product.upsert' as const, product: r.value}]} : r;
        }
        case 'customers': {
          const r = mapCustomerNode(node as CustomerNode);
          return r.ok ? {ok: true as const, events: [{kind: 'customer.upsert' as const, customer: r.value}]} : r;
        }
        case 'promos': {
          const r = mapCodeDiscountNode(node as DiscountCodeNode, this.options.shopDomain);
          if (!r.ok) return r;
          return {
            ok: true as const,
            events: 'skipped' in r.value ? [] : [{kind: 'promo.upsert' as const, promo: r.value}],
          };
        }
        case 'orders': {
          const r = mapOrderNode(node as OrderNode);
          return r.ok ? {ok: true as const, events: [{kind: 'order.upsert' as const, order: r.value}]} : r;
        }
        case 'carts': {
          const r = mapAbandonedCheckoutNode(node as AbandonedCheckoutNode);
          return r.ok ? {ok: true as const, events: [{kind: 'cart.upsert' as const, cart: r.value}]} : r;
        }
      }
    })();
    if (result.ok) return result.events;
    // A record Shopify sent that cannot be mapped is logged with the field to blame, and counted as read.
    this.options.logger?.warn(
      {phase, id: (node as {id?: unknown}).id, field: result.error.field, error: result.error.message},
      'backfill record could not be mapped',
    );
    return [];
  }
}

function parsePosition(value: unknown): Position {
  if (typeof value !== 'object' || value === null) return {consumed: 0};
  const p = value as Partial<Position>;
  return {
    consumed: typeof p.consumed === 'number' ? p.consumed : 0,
    ...(typeof p.operationId === 'string' ? {operationId: p.operationId} : {}),
  };
}

/** Shopify's search syntax for the order window. */
export function ordersSearch(options: BackfillOptions): string | undefined {
  return options.ordersSince ? `created_at:>=${options.ordersSince}` : undefined;
}

function bulkQueryFor(phase: SourcePhase, options: BackfillOptions): {query: string; nesting: BulkNesting} {
  switch (phase) {
    case 'products':
      return {query: PRODUCTS_BULK_QUERY, nesting: PRODUCTS_BULK_NESTING};
    case 'customers':
      return {query: CUSTOMERS_BULK_QUERY, nesting: {}};
    case 'promos':
      return {query: CODE_DISCOUNTS_BULK_QUERY, nesting: CODE_DISCOUNTS_BULK_NESTING};
    case 'orders':
      return {query: ordersBulkQuery(ordersSearch(options)), nesting: ORDERS_BULK_NESTING};
    case 'carts':
      return {query: ABANDONED_CHECKOUTS_BULK_QUERY, nesting: ABANDONED_CHECKOUTS_BULK_NESTING};
  }
}
