import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {SecretBox} from '../connector/src/security/secret-box.js';
import {openStore} from '../connector/src/store/database.js';
import {createListRecord} from '../sandbox/mailchimp/core/lists.js';
import {createMailchimpSandbox} from '../sandbox/mailchimp/index.js';
import {customerPayload, orderPayload, productPayload, signWebhook} from '../test/support/shopify-webhooks.js';
import {startInProcessConnector} from './support/in-process-connector.js';
import {driveLoad, statusSummary, type Figure, type LoadResult} from './harness.js';
import {summariseCpuProfile} from './support/cpu-profile.js';
import {spawnServer, type BenchProcess} from './support/processes.js';

export const name = 'live-sync';
export const description =
  'Shopify webhook ingest on the web role (ROLE=web, its own process, SQLite file in WAL) against a bare express process in the same run, with ~1 KB and ~1.9 KB Shopify-shaped bodies over 10 connections; then webhook → order held by the Mailchimp sandbox (50 ms latency). BENCH_CPU_PROF=1 profiles the web process (node --cpu-prof).';

const SHOP = 'bench-shop.myshopify.com';
const SECRET = 'bench-webhook-secret';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const WEBHOOKS = 3_000;
const WARMUP = 500;
const CONNECTIONS = 10;
const ROUNDS = 3;
/** Goals of issue #15: throughput at least half of bare express's, p99 at most twice its p99. */
const GOAL_THROUGHPUT = 0.5;
const GOAL_P99 = 2;

/** The steps of a webhook request, by the frames that do them (inclusive shares in the CPU profile). */
const INGEST_STAGES: Record<string, (frame: {functionName: string; url: string}) => boolean> = {
  'HMAC verification (@shopify/shopify-api validate)': (f) =>
    f.functionName === 'validate' && f.url.includes('@shopify/shopify-api'),
  'body read (raw-body)': (f) => f.functionName === 'getRawBody' || f.functionName === 'readStream',
  'topic/shop shape check (refuseWebhookBody)': (f) => f.functionName === 'refuseWebhookBody',
  'connection + secret lookup (ConnectionCache)': (f) => f.url.includes('connection-cache'),
  'inbox write (group commit, SQLite)': (f) => f.url.includes('inbox-repository'),
  'answer (res.json, socket write)': (f) => f.functionName === 'answerAndWake',
  'HTTP parsing (llhttp callbacks)': (f) => f.functionName === 'parserOnHeadersComplete',
  'module loading at start-up (tsx)': (f) => f.url.includes('node:internal/modules') || f.url.includes('/tsx/'),
  'garbage collector': (f) => f.functionName === '(garbage collector)',
};

interface Shape {
  label: string;
  topic: string;
  body(i: number): string;
}

const SHAPES: Shape[] = [
  {
    label: '~1.1 KB customers/create',
    topic: 'customers/create',
    body: (i) =>
      customerPayload({id: String(10_000 + i), email: `bench${i}@shop.test`, updatedAt: '2026-11-01T00:00:00Z'}),
  },
  {
    // The size of the bodies the issue measured against `npm start`: a product with four variants.
    label: '~1.9 KB products/update',
    topic: 'products/update',
    body: (i) =>
      productPayload({
        id: String(7_000_000 + i),
        title: `Merino beanie ${i}`,
        handle: `merino-beanie-${i}`,
        updatedAt: '2026-11-01T00:00:00Z',
        variants: Array.from({length: 4}, (_, v) => ({
          id: String(40_000_000_000 + i * 4 + v),
          title: `Size ${v}`,
          priceMinor: 2500 + v * 100,
        })),
      }),
  },
];

/** CPU time a process has used so far (user + system, Linux /proc), in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The round of median throughput (its p99 with it). */
function median(rounds: LoadResult[]): LoadResult {
  return [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)]!;
}

/** Signed deliveries against one server, warm-up first. */
function load(url: string, signed: Array<{body: string; headers: Record<string, string>}>): Promise<LoadResult> {
  return driveLoad({
    url,
    method: 'POST',
    total: WEBHOOKS,
    warmup: WARMUP,
    concurrency: CONNECTIONS,
    body: (i) => signed[i]!.body,
    headersFor: (i) => signed[i]!.headers,
  });
}

async function ingestOnWebRole(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-live-sync-'));
  const profileDir = process.env.BENCH_CPU_PROF
    ? join(process.cwd(), 'artifacts', 'cpu-prof', `web-${Date.now()}`)
    : '';
  const sandbox = createMailchimpSandbox({recordRequests: false});
  const baseUrl = await sandbox.listen(0);
  const list = createListRecord(sandbox.state, {name: 'Bench'});
  const databaseUrl = `sqlite:${join(dir, 'connector.db')}`;
  const processes: BenchProcess[] = [];
  const figures: Figure[] = [];
  try {
    const bare = await spawnServer('bench/support/bare-webhook-server.ts', {}, {label: 'bare'});
    processes.push(bare);
    const web = await spawnServer(
      'connector/src/main.ts',
      {
        ROLE: 'web',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info', // the "connector listening" line names the port
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        ENCRYPTION_KEY: SecretBox.generateKey(),
        ADMIN_TOKEN,
        MAILCHIMP_API_KEY: sandbox.apiKey,
        MAILCHIMP_BASE_URL: baseUrl,
        MAILCHIMP_LIST_ID: list.id,
        SHOPIFY_SHOP: SHOP,
        SHOPIFY_API_SECRET: SECRET,
      },
      {label: 'web', nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []},
    );
    processes.push(web);

    let offset = 0;
    for (const shape of SHAPES) {
      const signed = Array.from({length: WEBHOOKS + WARMUP}, (_, i) =>
        signWebhook(SECRET, SHOP, shape.topic, shape.body(1_000_000 + i)),
      );
      // Alternating rounds, the median of each side: one slow round (a GC, the machine) moves neither much.
      const bareRounds: LoadResult[] = [];
      const webRounds: LoadResult[] = [];
      let webCpuMs = 0;
      let bareCpuMs = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const bareCpu = cpuMs(bare.child.pid!);
        bareRounds.push(await load(`${bare.base}/webhooks/shopify`, signed.slice(0, WARMUP + WEBHOOKS)));
        bareCpuMs += cpuMs(bare.child.pid!) - bareCpu;
        // Each round of the connector gets deliveries of its own (a repeat would be a duplicate, not a new write).
        const fresh = Array.from({length: WEBHOOKS + WARMUP}, (_, i) =>
          signWebhook(SECRET, SHOP, shape.topic, shape.body(offset + i)),
        );
        offset += WEBHOOKS + WARMUP;
        const webCpu = cpuMs(web.child.pid!);
        webRounds.push(await load(`${web.base}/webhooks/shopify`, fresh));
        webCpuMs += cpuMs(web.child.pid!) - webCpu;
      }
      const baseline = median(bareRounds);
      const ingest = median(webRounds);
      const bytes = signed[0]!.body.length;
      const throughput = ingest.perSecond / baseline.perSecond;
      const p99 = ingest.p99Ms / baseline.p99Ms;
      figures.push(
        {
          label: `${shape.label}: bare express webhooks/s`,
          value: Math.round(baseline.perSecond),
          note: `median of ${ROUNDS}: p50 ${baseline.p50Ms.toFixed(2)} ms, p99 ${baseline.p99Ms.toFixed(2)} ms, ${bytes} B bodies; rounds ${bareRounds.map((r) => Math.round(r.perSecond)).join(', ')}/s`,
        },
        {
          label: `${shape.label}: ROLE=web ingest webhooks/s`,
          value: Math.round(ingest.perSecond),
          note: `median of ${ROUNDS}: p50 ${ingest.p50Ms.toFixed(2)} ms, p99 ${ingest.p99Ms.toFixed(2)} ms, ${statusSummary(ingest.statuses)}; rounds ${webRounds.map((r) => Math.round(r.perSecond)).join(', ')}/s`,
        },
        {
          label: `${shape.label}: server CPU per request, ROLE=web / bare`,
          value: `${((webCpuMs / ROUNDS / (WEBHOOKS + WARMUP)) * 1000).toFixed(0)} / ${((bareCpuMs / ROUNDS / (WEBHOOKS + WARMUP)) * 1000).toFixed(0)}`,
          unit: 'µs',
          note: `ROLE=web process busy ${((webCpuMs / webRounds.reduce((t, r) => t + r.seconds * 1000 * ((WEBHOOKS + WARMUP) / WEBHOOKS), 0)) * 100).toFixed(0)}% of its rounds`,
        },
        {
          label: `${shape.label}: throughput / bare express`,
          value: throughput.toFixed(2),
          unit: '×',
          note: `goal ≥ ${GOAL_THROUGHPUT}: ${throughput >= GOAL_THROUGHPUT ? 'met' : 'NOT met'}`,
        },
        {
          label: `${shape.label}: p99 / bare express p99`,
          value: p99.toFixed(2),
          unit: '×',
          note: `goal ≤ ${GOAL_P99}: ${p99 <= GOAL_P99 ? 'met' : 'NOT met'}`,
        },
      );
    }
    await web.stop();
    const store = await openStore({url: databaseUrl});
    const stored = await store.db
      .selectFrom('inbox_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await store.close();
    figures.push({
      label: 'events stored by the web process (all pending: it sends nothing)',
      value: Number(stored.n),
      note: `of ${offset} sent (warm-ups included)`,
    });
    if (profileDir) {
      const {byPlace, byFunction, byStage} = summariseCpuProfile(profileDir, 12, INGEST_STAGES);
      figures.push({
        label: 'CPU profile of the web process (shares of its busy time)',
        value: profileDir.replace(`${process.cwd()}/`, ''),
      });
      for (const p of byStage)
        figures.push({label: `  stage (inclusive): ${p.name}`, value: (p.share * 100).toFixed(1), unit: '%'});
      for (const p of byPlace)
        figures.push({label: `  self time: ${p.name}`, value: (p.share * 100).toFixed(1), unit: '%'});
      for (const p of byFunction.slice(0, 8))
        figures.push({label: `  function: ${p.name}`, value: (p.share * 100).toFixed(1), unit: '%'});
    }
  } finally {
    for (const p of processes) await p.stop().catch(() => undefined);
    await sandbox.close();
    rmSync(dir, {recursive: true, force: true});
  }
  return figures;
}

/** Webhook → Mailchimp (ROLE=all in this process): product and customer first, then single orders, timed. */
async function webhookToMailchimp(): Promise<Figure[]> {
  const world = await startInProcessConnector({shop: SHOP, secret: SECRET, latencyMs: 50, recordRequests: false});
  const {connector, sandbox, webhookUrl: url} = world;
  connector.start();
  const post = async (topic: string, body: string) => {
    const s = signWebhook(SECRET, SHOP, topic, body);
    const res = await fetch(url, {method: 'POST', headers: s.headers, body: s.body});
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  try {
    await post(
      'products/create',
      productPayload({
        id: '1',
        title: 'Lamp',
        handle: 'lamp',
        updatedAt: '2026-11-01T00:00:00Z',
        variants: [{id: '2', title: 'x', priceMinor: 1000}],
      }),
    );
    await post(
      'customers/create',
      customerPayload({id: '10000', email: 'bench0@shop.test', updatedAt: '2026-11-01T00:00:00Z'}),
    );
    await connector.settle(600_000);
    const storeId = (await connector.connections.byShopDomain(SHOP))!.mailchimpStoreId;
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const id = String(900_000 + i);
      const t0 = performance.now();
      await post(
        'orders/create',
        orderPayload({
          id,
          customer: {id: '10000', email: 'bench0@shop.test'},
          financialStatus: 'paid',
          updatedAt: '2026-11-01T00:00:01Z',
          lines: [{id: `${i + 1}`, productId: '1', variantId: '2', title: 'Lamp', priceMinor: 1000, quantity: 1}],
        }),
      );
      while (!sandbox.state.stores.get(storeId)?.orders.has(id)) await new Promise((r) => setTimeout(r, 2));
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)]!;
    return [
      {
        label: 'webhook → order in Mailchimp sandbox, median',
        value: median.toFixed(0),
        unit: 'ms',
        note: `max ${latencies[latencies.length - 1]!.toFixed(0)} ms; floor is the 50 ms sandbox latency × calls (one POST for a new order)`,
      },
    ];
  } finally {
    await world.close();
  }
}

export async function run(): Promise<Figure[]> {
  return [...(await ingestOnWebRole()), ...(await webhookToMailchimp())];
}
