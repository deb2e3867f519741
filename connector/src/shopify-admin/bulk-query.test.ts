import {startShopifySandbox, type ShopifySandbox} from '../../../sandbox/shopify/index.js';
import {orderTotals} from '../../../sandbox/shopify/data/records.js';
import {ShopifyAdminClient} from './admin-client.js';
import {ShopifyBulkBusyError, ShopifyBulkOperationError} from './admin-errors.js';
import {bulkPollDelayMs, runBulkQuery, startBulkQuery} from './bulk-query.js';
import {
  CODE_DISCOUNTS_BULK_NESTING,
  CODE_DISCOUNTS_BULK_QUERY,
  type DiscountCodeNode,
} from './documents/discount-documents.js';
import {ORDERS_BULK_NESTING, ordersBulkQuery, type OrderNode} from './documents/order-documents.js';
import {PRODUCTS_BULK_NESTING, PRODUCTS_BULK_QUERY, type ProductNode} from './documents/product-documents.js';
import {
  CUSTOMERS_BULK_QUERY,
  CUSTOMERS_PAGE,
  CUSTOMERS_PAGE_SIZE,
  type CustomerNode,
} from './documents/customer-documents.js';
import {mapCustomerNode} from './customer-mapper.js';
import {mapCodeDiscountNode} from './discount-mapper.js';
import {mapOrderNode} from './order-mapper.js';
import {mapProductNode} from './product-mapper.js';
import {pagedOrders, pagedProducts} from './paged-sources.js';
import {paginate} from './paginate.js';

function unwrap<T>(result: {ok: true; value: T} | {ok: false; error: unknown}): T {
  if (!result.ok) throw new Error(`mapping failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('bulk status polling', () => {
  it('starts at 200 ms so a small export is noticed within a second or two, and grows to 10 s', () => {
    const waits = Array.from({length: 14}, (_, i) => bulkPollDelayMs(i + 1));
    expect(waits.slice(0, 5)).toStrictEqual([200, 300, 450, 675, 1013]);
    // A poll by 2 s after the start, then ever longer waits, never beyond the cap.
    expect(waits.slice(0, 4).reduce((a, b) => a + b, 0)).toBeLessThan(2_000);
    expect(waits.at(-1)).toBe(10_000);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(bulkPollDelayMs(1, 5, 20)).toBe(5);
    expect(bulkPollDelayMs(9, 5, 20)).toBe(20);
  });
});

describe('bulk queries through the client, against the Shopify stand-in', () => {
  let sandbox: ShopifySandbox;
  let admin: ShopifyAdminClient;
  const fast = {pollIntervalMs: 5, maxPollIntervalMs: 20};

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 33,
      products: 80,
      customers: 150,
      orders: 160,
      discountCodes: 8,
      throttle: false,
      bulk: {pageSize: 40},
    });
    admin = new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
    });
  });
  afterAll(() => sandbox.close());

  const shop = () => ({shopDomain: sandbox.shopDomain, shopCurrency: 'USD'});

  it('products: the bulk stream, reassembled, maps to exactly what paging maps to', async () => {
    const statuses: string[] = [];
    const bulk = await collect(
      runBulkQuery(admin, PRODUCTS_BULK_QUERY, {
        ...fast,
        nesting: PRODUCTS_BULK_NESTING,
        onStatus: (op) => statuses.push(op.status),
      }),
    );
    expect(statuses[statuses.length - 1]).toBe('COMPLETED');
    const paged = await collect(pagedProducts(admin));
    expect(bulk).toHaveLength(80);
    const fromBulk = bulk.map((node) => unwrap(mapProductNode(node as unknown as ProductNode, shop())));
    const fromPages = paged.map((node) => unwrap(mapProductNode(node, shop())));
    expect(fromBulk).toStrictEqual(fromPages);
    const variants = sandbox.state.products.all().reduce((sum, p) => sum + p.variants.length, 0);
    expect(fromBulk.reduce((sum, p) => sum + p.variants.length, 0)).toBe(variants);
  });

  it('orders: bulk and paged give the same orders (refund lines only in pages), with totals matching the shop', async () => {
    const bulk = (
      await collect(runBulkQuery(admin, ordersBulkQuery('test:false'), {...fast, nesting: ORDERS_BULK_NESTING}))
    ).map((node) => unwrap(mapOrderNode(node as unknown as OrderNode)));
    const paged = (await collect(pagedOrders(admin, {query: 'test:false'}))).map((node) => unwrap(mapOrderNode(node)));
    const withoutRefundLines = (orders: typeof paged) =>
      orders.map((order) => ({...order, refunds: order.refunds.map((refund) => ({...refund, lines: []}))}));
    expect(withoutRefundLines(bulk)).toStrictEqual(withoutRefundLines(paged));
    expect(paged.some((order) => order.refunds.some((refund) => refund.lines.length > 0))).toBe(true);

    const records = sandbox.state.orders.all().filter((order) => !order.test);
    expect(paged.map((order) => order.id)).toStrictEqual(records.map((order) => String(order.id)));
    paged.forEach((order, i) => {
      const totals = orderTotals(records[i]!);
      expect(order.total.minor).toBe(totals.totalMinor);
      expect(order.refunds.reduce((sum, refund) => sum + refund.amount.minor, 0)).toBe(totals.refundedMinor);
      expect(order.lines.map((line) => line.variantId)).toStrictEqual(
        records[i]!.lines.map((line) => (line.variantId === null ? null : String(line.variantId))),
      );
    });
  });

  it('customers and discounts: bulk without nested connections and with a connection inside a union', async () => {
    const bulkCustomers = (await collect(runBulkQuery(admin, CUSTOMERS_BULK_QUERY, fast))).map((node) =>
      unwrap(mapCustomerNode(node as unknown as CustomerNode)),
    );
    const pagedCustomers = (
      await collect(paginate(admin, CUSTOMERS_PAGE, {first: CUSTOMERS_PAGE_SIZE}, (data) => data.customers))
    ).map((node) => unwrap(mapCustomerNode(node)));
    expect(bulkCustomers).toStrictEqual(pagedCustomers);
    expect(bulkCustomers.filter((c) => c.consent?.state === 'subscribed').length).toBe(
      sandbox.state.customers.all().filter((c) => c.consent?.state === 'SUBSCRIBED').length,
    );

    const promos = (
      await collect(runBulkQuery(admin, CODE_DISCOUNTS_BULK_QUERY, {...fast, nesting: CODE_DISCOUNTS_BULK_NESTING}))
    ).map((node) => unwrap(mapCodeDiscountNode(node as unknown as DiscountCodeNode, sandbox.shopDomain)));
    const codes = promos.flatMap((promo) => ('codes' in promo ? promo.codes.map((code) => code.code) : []));
    expect(codes.sort()).toStrictEqual(
      sandbox.state.discounts
        .all()
        .flatMap((d) => d.codes.map((c) => c.code))
        .sort(),
    );
  });

  it('a failed operation is a ShopifyBulkOperationError with its error code and partial data', async () => {
    await fetch(`${sandbox.origin}/__sandbox/bulk/fail-next`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({errorCode: 'TIMEOUT'}),
    });
    const error = await collect(runBulkQuery(admin, CUSTOMERS_BULK_QUERY, fast)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyBulkOperationError);
    expect(error).toMatchObject({status: 'FAILED', errorCode: 'TIMEOUT', retryable: true});
    expect((error as ShopifyBulkOperationError).partialDataUrl).toMatch(/\/__bulk\/\d+\.jsonl$/);
  });

  describe('with a slow bulk runner', () => {
    let slow: ShopifySandbox;
    let client: ShopifyAdminClient;

    beforeEach(async () => {
      slow = await startShopifySandbox({
        seed: 34,
        products: 5,
        customers: 5,
        orders: 300,
        throttle: false,
        bulk: {pageSize: 10, stepDelayMs: 10},
      });
      client = new ShopifyAdminClient({
        shopDomain: slow.shopDomain,
        accessToken: slow.accessToken,
        adminUrl: slow.adminUrl,
      });
    });
    afterEach(() => slow.close());

    it('starting a second bulk query while one runs is ShopifyBulkBusyError naming the running one', async () => {
      const running = await startBulkQuery(client, '{ orders { edges { node { id } } } }');
      const busy = await startBulkQuery(client, CUSTOMERS_BULK_QUERY).catch((e: unknown) => e);
      expect(busy).toBeInstanceOf(ShopifyBulkBusyError);
      expect((busy as ShopifyBulkBusyError).runningOperationId).toBe(running.id);
    });

    it('aborting while the operation runs stops polling and cancels it on Shopify', async () => {
      const controller = new AbortController();
      const seen: string[] = [];
      const pending = collect(
        runBulkQuery(client, '{ orders { edges { node { id } } } }', {
          ...fast,
          signal: controller.signal,
          onStatus: (op) => {
            seen.push(op.status);
            if (op.status === 'RUNNING') controller.abort(new Error('backfill stopped'));
          },
        }),
      );
      await expect(pending).rejects.toThrow('backfill stopped');
      expect(seen).toContain('RUNNING');
      const current = await client.query(
        {query: 'query Current { currentBulkOperation { status } }'} as never,
        {} as never,
      );
      expect(['CANCELING', 'CANCELED']).toContain(
        (current as {currentBulkOperation: {status: string}}).currentBulkOperation.status,
      );
    });
  });
});
