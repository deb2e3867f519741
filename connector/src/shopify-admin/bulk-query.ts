import {createInterface} from 'node:readline';
import {Readable} from 'node:stream';
import type {ReadableStream as WebReadableStream} from 'node:stream/web';
import type {ShopifyAdminClient} from './admin-client.js';
import {abortableSleep} from './abortable-sleep.js';
import {ShopifyBulkBusyError, ShopifyBulkOperationError, ShopifyHttpError, ShopifyUserErrors} from './admin-errors.js';
import {assembleBulkObjects, type BulkNesting, type BulkObject} from './bulk-jsonl-assembler.js';
import {
  BULK_OPERATION,
  BULK_OPERATION_CANCEL,
  BULK_OPERATION_RUN_QUERY,
  type BulkOperationNode,
} from './documents/mutation-documents.js';

export interface BulkQueryOptions {
  /** Child gid type → field path on the parent (see assembleBulkObjects). */
  nesting?: BulkNesting;
  signal?: AbortSignal;
  /** First wait between status polls; grows by half up to `maxPollIntervalMs` (defaults 200 ms and 10 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Cancel the operation on Shopify when the signal aborts (default true). */
  cancelOnAbort?: boolean;
  /** Called with every status read (progress: objectCount grows while RUNNING). */
  onStatus?: (operation: BulkOperationNode) => void;
  /** Downloads the result (default the global fetch; the URL is pre-signed and needs no token). */
  fetch?: typeof fetch;
}

const FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

/** Starts a bulk query; a running bulk query of this app is a ShopifyBulkBusyError. */
export async function startBulkQuery(
  client: ShopifyAdminClient,
  query: string,
  signal?: AbortSignal,
): Promise<BulkOperationNode> {
  try {
    // groupObjects: true is the 2025-10 default but not 2026-01's; the reader relies on grouping, so ask for it.
    const payload = await client.mutate(
      BULK_OPERATION_RUN_QUERY,
      {query, groupObjects: true},
      'bulkOperationRunQuery',
      {signal},
    );
    if (!payload.bulkOperation) throw new ShopifyBulkOperationError('(none)', 'NOT_CREATED', null, null);
    return payload.bulkOperation;
  } catch (error) {
    if (error instanceof ShopifyUserErrors && error.codes.includes('OPERATION_IN_PROGRESS')) {
      throw new ShopifyBulkBusyError(/gid:\/\/shopify\/BulkOperation\/\d+/.exec(error.message)?.[0]);
    }
    throw error;
  }
}

/**
 * The wait before status poll `attempt` (1, 2, …): `firstMs`, growing by half each time, capped at `maxMs`.
 * Why short at first: Shopify finishes a bulk query of a few hundred records in a second or two, and a status poll
 * costs 1 point, so polls at 0.2, 0.5, 0.95, 1.6, 2.6 s… notice a small export within a few hundred milliseconds
 * while a long one is still asked only every 10 s.
 */
export function bulkPollDelayMs(attempt: number, firstMs = 200, maxMs = 10_000): number {
  return Math.min(maxMs, Math.round(firstMs * 1.5 ** Math.max(0, attempt - 1)));
}

/** Polls `node(id:)` until the operation finishes; returns the final state. */
export async function waitForBulkOperation(
  client: ShopifyAdminClient,
  id: string,
  options: BulkQueryOptions = {},
): Promise<BulkOperationNode> {
  for (let attempt = 1; ; attempt++) {
    const {node} = await client.query(BULK_OPERATION, {id}, {signal: options.signal});
    if (!node) throw new ShopifyBulkOperationError(id, 'NOT_FOUND', null, null);
    options.onStatus?.(node);
    if (FINISHED.has(node.status)) return node;
    await abortableSleep(bulkPollDelayMs(attempt, options.pollIntervalMs, options.maxPollIntervalMs), options.signal);
  }
}

/** The lines of a JSONL download, read as a stream (never the whole file in memory). */
export async function* downloadLines(
  url: string,
  options: Pick<BulkQueryOptions, 'fetch' | 'signal'> = {},
): AsyncGenerator<string, void, undefined> {
  const response = await (options.fetch ?? globalThis.fetch)(url, {signal: options.signal});
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new ShopifyHttpError(response.status);
  }
  const input = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  const lines = createInterface({input, crlfDelay: Infinity});
  try {
    yield* lines;
  } finally {
    lines.close();
    input.destroy();
  }
}

/**
 * Runs a bulk query to the end and yields its root objects with their nested connections put back in place
 * (`{variants: {nodes: [...]}}`, the shape of a paginated query). Start, poll with back-off, stream the JSONL;
 * FAILED/CANCELED/EXPIRED is a ShopifyBulkOperationError, and an abort cancels the operation on Shopify.
 */
export async function* runBulkQuery(
  client: ShopifyAdminClient,
  query: string,
  options: BulkQueryOptions = {},
): AsyncGenerator<BulkObject, void, undefined> {
  const started = await startBulkQuery(client, query, options.signal);
  let finished: BulkOperationNode;
  try {
    finished = await waitForBulkOperation(client, started.id, options);
  } catch (error) {
    if (options.signal?.aborted && options.cancelOnAbort !== false) {
      await client.mutate(BULK_OPERATION_CANCEL, {id: started.id}, 'bulkOperationCancel').catch(() => undefined);
    }
    throw error;
  }
  if (finished.status !== 'COMPLETED')
    throw new ShopifyBulkOperationError(finished.id, finished.status, finished.errorCode, finished.partialDataUrl);
  // Shopify gives no URL when the query matched nothing.
  if (finished.url === null) return;
  yield* assembleBulkObjects(downloadLines(finished.url, options), options.nesting ?? {});
}
