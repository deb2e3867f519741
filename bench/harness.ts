import {Agent, request} from 'node:http';

/** One number a benchmark reports (or a verdict, like whether a target is met). */
export interface Figure {
  label: string;
  value: number | string;
  unit?: string;
  note?: string;
}

/** What a `bench/*.bench.ts` file exports. */
export interface BenchmarkModule {
  name: string;
  description?: string;
  run(): Promise<Figure[]>;
}

export interface LoadOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** The body of the i-th request (JSON text), if any. */
  body?: (i: number) => string | undefined;
  /** Extra headers of the i-th request (e.g. a signature over its body). */
  headersFor?: (i: number) => Record<string, string>;
  /** Request URL of the i-th request, when it varies (defaults to `url`). */
  urlFor?: (i: number) => string;
  /** Requests measured. */
  total: number;
  /** Simultaneous keep-alive connections (and requests in flight). */
  concurrency: number;
  /** Requests sent first and not measured (connection set-up, JIT warm-up). */
  warmup?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
}

/**
 * Drives `total` requests over `concurrency` keep-alive connections (node:http Agent, maxSockets = concurrency), each
 * connection sending its next request as soon as the previous answer is read; measures throughput and latency.
 */
export async function driveLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({keepAlive: true, maxSockets: options.concurrency});
  try {
    if (options.warmup) await runPhase(agent, options, options.warmup, 0);
    return await runPhase(agent, options, options.total, options.warmup ?? 0);
  } finally {
    agent.destroy();
  }
}

async function runPhase(agent: Agent, options: LoadOptions, total: number, offset: number): Promise<LoadResult> {
  const latencies = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      const status = await send(agent, options, offset + i);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({length: options.concurrency}, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort();
  return {
    requests: total,
    seconds,
    perSecond: total / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? 0,
    statuses,
  };
}

function send(agent: Agent, options: LoadOptions, i: number): Promise<number> {
  const body = options.body?.(i);
  const headers: Record<string, string> = {...options.headers, ...options.headersFor?.(i)};
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(
      options.urlFor?.(i) ?? options.url,
      {agent, method: options.method ?? 'GET', headers},
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

export function statusSummary(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .map(([status, n]) => `${n}×${status}`)
    .join(', ');
}
