import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {SecretBox} from '../connector/src/security/secret-box.js';
import {openStore} from '../connector/src/store/database.js';
import {createListRecord} from '../sandbox/mailchimp/core/lists.js';
import {createMailchimpSandbox} from '../sandbox/mailchimp/index.js';
import {customerPayload, signWebhook} from '../test/support/shopify-webhooks.js';
import {driveLoad, statusSummary, type Figure} from './harness.js';
import {spawnServer, type BenchProcess} from './support/processes.js';

export const name = 'scale-out';
export const description =
  'A live backlog of Shopify webhooks accepted by one ROLE=web process, drained by 1 and then 3 ROLE=worker processes (separate OS processes) over one Postgres schema and one Redis budget, against the Mailchimp sandbox with 100 ms latency: Mailchimp requests in flight across processes never exceed MAILCHIMP_MAX_CONCURRENT, and the drain rate is set by that budget, not by the number of workers.';

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHOP = 'bench-scale.myshopify.com';
const SECRET = 'bench-scale-secret';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const BACKLOG = 2_000;
const LATENCY_MS = 100;
const MAX_CONCURRENT = 4;

interface Drain {
  workers: number;
  seconds: number;
  requests: number;
  maxInFlight: number;
  requestsPerSecond: number;
  synced: number;
  ingest: string;
}

async function drainWith(workers: number): Promise<Drain> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  // A unique account key: this run's Bottleneck keys in Redis are its own.
  const sandbox = createMailchimpSandbox({latencyMs: LATENCY_MS, apiKey: `${randomBytes(16).toString('hex')}-us1`});
  const baseUrl = await sandbox.listen(0);
  const list = createListRecord(sandbox.state, {name: 'Bench scale-out'});
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info', // the "connector listening" line names the port
    NODE_ENV: 'production',
    DATABASE_URL: POSTGRES_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    ENCRYPTION_KEY: SecretBox.generateKey(),
    ADMIN_TOKEN,
    MAILCHIMP_API_KEY: sandbox.apiKey,
    MAILCHIMP_BASE_URL: baseUrl,
    MAILCHIMP_LIST_ID: list.id,
    MAILCHIMP_MAX_CONCURRENT: String(MAX_CONCURRENT),
    SHOPIFY_SHOP: SHOP,
    SHOPIFY_API_SECRET: SECRET,
    STORE_CURRENCY: 'USD',
    LAPSED_AFTER_DAYS: '36500',
  };
  const processes: BenchProcess[] = [];
  const store = await openStore({url: POSTGRES_URL, schema});
  try {
    const web = await spawnServer('connector/src/main.ts', {...env, ROLE: 'web'}, {label: 'web'});
    processes.push(web);
    const signed = Array.from({length: BACKLOG}, (_, i) =>
      signWebhook(
        SECRET,
        SHOP,
        'customers/create',
        customerPayload({id: String(500_000 + i), email: `scale${i}@shop.test`, updatedAt: '2026-11-01T00:00:00Z'}),
      ),
    );
    const ingest = await driveLoad({
      url: `${web.base}/webhooks/shopify`,
      method: 'POST',
      total: BACKLOG,
      concurrency: 10,
      body: (i) => signed[i]!.body,
      headersFor: (i) => signed[i]!.headers,
    });

    sandbox.recorder.resetStats();
    const started = await Promise.all(
      Array.from({length: workers}, (_, i) =>
        spawnServer('connector/src/main.ts', {...env, ROLE: 'worker'}, {label: `worker${i + 1}`}),
      ),
    );
    processes.push(...started);
    // Done when every event is projected and every record synced (or given up on: dead letters are counted).
    for (;;) {
      const pending = await store.db
        .selectFrom('inbox_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      const open = await store.db
        .selectFrom('sync_state')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'retry'])
        .executeTakeFirstOrThrow();
      if (Number(pending.n) === 0 && Number(open.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const synced = await store.db
      .selectFrom('sync_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'synced')
      .executeTakeFirstOrThrow();
    // The drain's window: from the first Mailchimp request any worker made to the last one.
    const times = sandbox.recorder
      .all()
      .filter((r) => r.via === 'http')
      .map((r) => Date.parse(r.time));
    const seconds = (Math.max(...times) - Math.min(...times) + LATENCY_MS) / 1000;
    const stats = sandbox.recorder.stats();
    return {
      workers,
      seconds,
      requests: stats.total,
      maxInFlight: stats.maxInFlight,
      requestsPerSecond: times.length / seconds,
      synced: Number(synced.n),
      ingest: `${Math.round(ingest.perSecond)}/s, p99 ${ingest.p99Ms.toFixed(1)} ms, ${statusSummary(ingest.statuses)}`,
    };
  } finally {
    for (const p of processes) await p.stop().catch(() => undefined);
    await store.close();
    await sandbox.close();
    const client = new pg.Client({connectionString: POSTGRES_URL});
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

export async function run(): Promise<Figure[]> {
  const one = await drainWith(1);
  const three = await drainWith(3);
  const budget = (MAX_CONCURRENT * 1000) / LATENCY_MS;
  const figures: Figure[] = [{label: 'budget: MAILCHIMP_MAX_CONCURRENT / latency', value: budget, unit: 'req/s'}];
  for (const d of [one, three])
    figures.push(
      {label: `1 web + ${d.workers} worker(s): backlog accepted by the web`, value: BACKLOG, note: d.ingest},
      {
        label: `1 web + ${d.workers} worker(s): max Mailchimp requests in flight`,
        value: d.maxInFlight,
        note: `MAILCHIMP_MAX_CONCURRENT ${MAX_CONCURRENT}: ${d.maxInFlight <= MAX_CONCURRENT ? 'never exceeded' : 'EXCEEDED'}`,
      },
      {
        label: `1 web + ${d.workers} worker(s): drain rate`,
        value: d.requestsPerSecond.toFixed(1),
        unit: 'req/s',
        note: `${((d.requestsPerSecond / budget) * 100).toFixed(0)}% of the budget; ${d.requests} requests, ${d.synced} records synced in ${d.seconds.toFixed(1)} s`,
      },
    );
  figures.push({
    label: 'drain rate, 3 workers / 1 worker',
    value: (three.requestsPerSecond / one.requestsPerSecond).toFixed(2),
    unit: '×',
    note: 'about 1: the budget, not the number of workers, sets the pace',
  });
  return figures;
}
