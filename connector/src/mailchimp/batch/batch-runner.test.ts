import {accountFromApiKey} from '../account.js';
import {AccountLimiters} from '../account-limiters.js';
import {MailchimpClient} from '../client.js';
import {
  sendEmpty,
  sendJson,
  sendProblem,
  startLocalHttpServer,
  type LocalHttpServer,
} from '../testing/local-http-server.js';
import type {BatchOperationWire} from '../types/batches.js';
import type {BatchOperationInput, BatchOperationOutcome, BatchRunnerOptions, BatchRunSummary} from './batch-runner.js';
import {buildResultsArchive, resultEntry} from './batch-test-archive.js';

interface FakeBatch {
  id: string;
  operations: BatchOperationWire[];
  polls: number;
}

/**
 * A small /batches: POST stores the operations, GET advances pending → started → finished, and the archive answers
 * each operation (paths containing "missing-product" fail the way Mailchimp does).
 */
async function startFakeBatches(options: {rejectFirstPosts?: number; dropOperation?: string} = {}) {
  const batches = new Map<string, FakeBatch>();
  let pending = 0;
  let peakPending = 0;
  let rejected = 0;
  let server: LocalHttpServer | undefined = undefined;
  server = await startLocalHttpServer(async (req, res) => {
    const url = req.url;
    if (req.method === 'POST' && url === '/3.0/batches') {
      if (rejected < (options.rejectFirstPosts ?? 0)) {
        rejected += 1;
        return sendProblem(res, 429, 'Too Many Requests', 'You have more than 500 pending batches.');
      }
      const {operations} = JSON.parse(req.body) as {operations: BatchOperationWire[]};
      const id = `b${batches.size + 1}`;
      batches.set(id, {id, operations, polls: 0});
      pending += 1;
      peakPending = Math.max(peakPending, pending);
      return sendJson(res, 200, {
        id,
        status: 'pending',
        total_operations: operations.length,
        finished_operations: 0,
        errored_operations: 0,
        response_body_url: '',
      });
    }
    let m = /^\/3\.0\/batches\/(\w+)$/.exec(url);
    if (req.method === 'GET' && m) {
      const batch = batches.get(m[1]!);
      if (!batch) return sendProblem(res, 404, 'Resource Not Found', 'The requested resource could not be found.');
      batch.polls += 1;
      const finished = batch.polls >= 2;
      if (finished && batch.polls === 2) pending -= 1;
      const errored = batch.operations.filter((op) => op.path.includes('missing-product')).length;
      return sendJson(res, 200, {
        id: batch.id,
        status: finished ? 'finished' : 'started',
        total_operations: batch.operations.length,
        finished_operations: finished ? batch.operations.length : 0,
        errored_operations: finished ? errored : 0,
        response_body_url: finished ? `${server!.origin}/archives/${batch.id}.tar.gz` : '',
      });
    }
    m = /^\/archives\/(\w+)\.tar\.gz$/.exec(url);
    if (req.method === 'GET' && m) {
      const batch = batches.get(m[1]!)!;
      const entries = batch.operations
        .filter((op) => op.operation_id !== options.dropOperation)
        .map((op) =>
          op.path.includes('missing-product')
            ? resultEntry(op.operation_id ?? null, 400, {
                title: 'Bad Request',
                status: 400,
                detail: 'A product with the provided ID does not exist in the account for this list.',
              })
            : resultEntry(op.operation_id ?? null, 200, {echo: JSON.parse(op.body ?? 'null') as unknown}),
        );
      // Split across two files, as Mailchimp does for larger batches.
      const half = Math.ceil(entries.length / 2);
      const archive = await buildResultsArchive({
        [`${batch.id}/0.json`]: entries.slice(0, half),
        [`${batch.id}/1.json`]: entries.slice(half),
      });
      res.writeHead(200, {'Content-Type': 'application/x-gzip', 'Content-Length': archive.length});
      res.end(archive);
      return;
    }
    sendEmpty(res, 404);
  });
  return {server, batches, peakPending: () => peakPending};
}

let limiters: AccountLimiters;
let server: LocalHttpServer | undefined;

beforeEach(() => {
  limiters = new AccountLimiters();
});

afterEach(async () => {
  await limiters.close();
  await server?.close();
});

function clientFor(origin: string) {
  return new MailchimpClient({
    account: accountFromApiKey('abc123-us5', {baseUrl: `${origin}/3.0`}),
    limiters,
    retry: {baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 2, rateLimitPauseMs: 1},
  });
}

const FAST: BatchRunnerOptions = {pollInitialMs: 5, pollMaxMs: 20, submitRetryDelayMs: 10, downloadAttempts: 2};

const ops = (n: number, failing: number[] = []): BatchOperationInput[] =>
  Array.from({length: n}, (_, i) => ({
    operationId: `op-${i}`,
    method: 'POST',
    path: failing.includes(i) ? `/ecommerce/stores/s1/orders?missing-product` : '/ecommerce/stores/s1/orders',
    route: '/ecommerce/stores/{store_id}/orders',
    body: {id: `o${i}`, order_total: i},
  }));

async function collect(run: (onResult: (o: BatchOperationOutcome) => void) => Promise<BatchRunSummary>) {
  const outcomes: BatchOperationOutcome[] = [];
  const summary = await run((o) => outcomes.push(o));
  return {outcomes, summary};
}

describe('BatchRunner', () => {
  it('splits, submits, polls, downloads and hands back one classified result per operation', async () => {
    const fake = await startFakeBatches();
    server = fake.server;
    const runner = clientFor(fake.server.origin).batchRunner({...FAST, maxOperationsPerBatch: 3});
    const {outcomes, summary} = await collect((onResult) => runner.run(ops(7, [4]), onResult));

    expect(fake.batches.size).toBe(3);
    // Batches are submitted concurrently, so they may arrive in any order: compare them by their operations.
    const split = [...fake.batches.values()]
      .map((b) => b.operations.map((op) => op.operation_id))
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(split).toEqual([['op-0', 'op-1', 'op-2'], ['op-3', 'op-4', 'op-5'], ['op-6']]);
    for (const op of [...fake.batches.values()].flatMap((b) => b.operations)) {
      expect(typeof op.body).toBe('string');
      expect(op.operation_id).toMatch(/^op-\d$/);
    }
    expect(summary).toEqual({
      batchIds: expect.arrayContaining(['b1', 'b2', 'b3']),
      operations: 7,
      succeeded: 6,
      failed: 1,
      missing: [],
    });
    expect(outcomes.map((o) => o.operation_id).sort()).toEqual(
      ops(7)
        .map((o) => o.operationId)
        .sort(),
    );
    expect(outcomes.find((o) => o.operation_id === 'op-2')).toEqual({
      operation_id: 'op-2',
      status_code: 200,
      response: {echo: {id: 'o2', order_total: 2}},
    });
    const failed = outcomes.find((o) => o.operation_id === 'op-4');
    expect(failed?.error).toMatchObject({
      kind: 'product_not_found',
      missing: 'product',
      status: 400,
      method: 'POST',
      route: '/ecommerce/stores/{store_id}/orders',
    });

    const downloads = fake.server.requests.filter((r) => r.url.startsWith('/archives/'));
    expect(downloads).toHaveLength(3);
    for (const d of downloads) expect(d.headers.authorization).toBeUndefined();
  });

  it('never has more batches pending than allowed', async () => {
    const fake = await startFakeBatches();
    server = fake.server;
    const runner = clientFor(fake.server.origin).batchRunner({...FAST, maxOperationsPerBatch: 2, maxPendingBatches: 2});
    const {summary} = await collect((onResult) => runner.run(ops(10), onResult));
    expect(fake.batches.size).toBe(5);
    expect(summary.succeeded).toBe(10);
    expect(fake.peakPending()).toBe(2);
  });

  it('waits and resubmits when POST /batches keeps answering 429 (pending limit)', async () => {
    const fake = await startFakeBatches({rejectFirstPosts: 5});
    server = fake.server;
    const runner = clientFor(fake.server.origin).batchRunner(FAST);
    const {summary} = await collect((onResult) => runner.run(ops(3), onResult));
    expect(summary.succeeded).toBe(3);
    expect(fake.server.requests.filter((r) => r.method === 'POST')).toHaveLength(6);
  });

  it('reports operations the archive has no result for', async () => {
    const fake = await startFakeBatches({dropOperation: 'op-1'});
    server = fake.server;
    const runner = clientFor(fake.server.origin).batchRunner(FAST);
    const {summary, outcomes} = await collect((onResult) => runner.run(ops(3), onResult));
    expect(summary.missing).toEqual(['op-1']);
    expect(outcomes).toHaveLength(2);
  });

  it('refuses duplicate operation ids', async () => {
    const fake = await startFakeBatches();
    server = fake.server;
    const runner = clientFor(fake.server.origin).batchRunner(FAST);
    const twice = [...ops(2), ...ops(1)];
    await expect(runner.run(twice, () => undefined)).rejects.toThrow(/duplicate batch operationId op-0/);
  });
});
