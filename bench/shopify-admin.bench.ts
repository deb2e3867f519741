import {generateStore} from '../sandbox/shopify/data/generate-store.js';
import {startShopifySandbox} from '../sandbox/shopify/index.js';
import {ShopifyAdminClient} from '../connector/src/shopify-admin/admin-client.js';
import {runBulkQuery} from '../connector/src/shopify-admin/bulk-query.js';
import {
  ORDERS_BULK_NESTING,
  ordersBulkQuery,
  type OrderNode,
} from '../connector/src/shopify-admin/documents/order-documents.js';
import {mapOrderNode} from '../connector/src/shopify-admin/order-mapper.js';
import {pagedOrders} from '../connector/src/shopify-admin/paged-sources.js';
import type {Figure} from './harness.js';

export const name = 'shopify-admin';
export const description =
  'Shopify Admin stand-in and client: generating a 5k/20k/50k store, one created_at-filtered orders page, paging orders, and a bulk orders export streamed, reassembled and mapped.';

const SIZE = {products: 5_000, customers: 20_000, orders: 50_000, discountCodes: 30};

export async function run(): Promise<Figure[]> {
  const figures: Figure[] = [];
  let started = performance.now();
  generateStore({seed: 1, ...SIZE});
  figures.push({
    label: 'generate 5k products / 20k customers / 50k orders',
    value: Math.round(performance.now() - started),
    unit: 'ms',
  });

  const sandbox = await startShopifySandbox({seed: 1, ...SIZE, throttle: false, bulk: {pageSize: 1000}});
  try {
    const client = new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
    });
    const recent = new Date(sandbox.state.orders.all()[45_000]!.createdAt).toISOString();

    started = performance.now();
    let paged = 0;
    for await (const node of pagedOrders(client, {query: `created_at:>=${recent}`}))
      if (mapOrderNode(node).ok) paged += 1;
    const pagedSeconds = (performance.now() - started) / 1000;
    figures.push({
      label: 'orders paged and mapped (created_at ≥ the 45,000th, 5 per page)',
      value: Math.round(paged / pagedSeconds),
      unit: 'orders/s',
      note: `${paged} orders`,
    });

    const memoryBefore = process.memoryUsage().heapUsed;
    let peak = memoryBefore;
    started = performance.now();
    let count = 0;
    let lines = 0;
    for await (const node of runBulkQuery(client, ordersBulkQuery(), {
      nesting: ORDERS_BULK_NESTING,
      pollIntervalMs: 20,
      maxPollIntervalMs: 200,
    })) {
      const mapped = mapOrderNode(node as unknown as OrderNode);
      if (mapped.ok) {
        count += 1;
        lines += mapped.value.lines.length;
      }
      if (count % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const bulkSeconds = (performance.now() - started) / 1000;
    const operation = sandbox.bulkOperations.current('QUERY') as {objectCount: string; fileSize: string};
    figures.push({
      label: 'bulk orders export, end to end (run, poll, stream, reassemble, map)',
      value: Math.round(bulkSeconds * 1000),
      unit: 'ms',
      note: `${count} orders, ${lines} lines`,
    });
    figures.push({
      label: 'bulk JSONL throughput',
      value: Math.round(Number(operation.objectCount) / bulkSeconds),
      unit: 'objects/s',
      note: `${(Number(operation.fileSize) / 1e6).toFixed(1)} MB in ${bulkSeconds.toFixed(1)} s`,
    });
    figures.push({
      label: 'heap growth while streaming the export',
      value: Math.round((peak - memoryBefore) / 1e6),
      unit: 'MB',
    });
  } finally {
    await sandbox.close();
  }
  return figures;
}
