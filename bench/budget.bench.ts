import {performance} from 'node:perf_hooks';
import type {RecordedRequest} from '../sandbox/mailchimp/core/recorder.js';
import {customerPayload, orderPayload, productPayload, signWebhook} from '../test/support/shopify-webhooks.js';
import {startInProcessConnector} from './support/in-process-connector.js';
import {driveLoad, type Figure} from './harness.js';

export const name = 'budget';
export const description =
  'A live backlog (products, customers, orders stored through signed webhooks while the sync worker is stopped) drained into the Mailchimp sandbox at 100 ms latency: how busy the worker keeps the Mailchimp budget (mean requests in flight ÷ MAILCHIMP_MAX_CONCURRENT), the peak in flight, and requests per new product and order.';

const SHOP = 'bench-budget.myshopify.com';
const SECRET = 'bench-budget-webhook-secret';
const LATENCY_MS = 100;
const MAX_CONCURRENT = 4;
/** Per entity kind; 3 × 400 entities are about 2,000 Mailchimp requests, ~1 minute at 4 × 100 ms. */
const PER_KIND = Number(process.env.BENCH_BUDGET_PER_KIND ?? 400);
const AT = '2026-11-01T00:00:00Z';

export async function run(): Promise<Figure[]> {
  const world = await startInProcessConnector({
    shop: SHOP,
    secret: SECRET,
    latencyMs: LATENCY_MS,
    recordRequests: true,
    env: {MAILCHIMP_MAX_CONCURRENT: String(MAX_CONCURRENT), STORE_CURRENCY: 'USD'},
  });
  const {connector, sandbox, webhookUrl: url, mailchimpBaseUrl: baseUrl} = world;

  // The Mailchimp store exists before the backlog (created by a first product), as in a shop already connected.
  const post = async (topic: string, body: string) => {
    const s = signWebhook(SECRET, SHOP, topic, body);
    const res = await fetch(url, {method: 'POST', headers: s.headers, body: s.body});
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  await post('products/create', product(0));
  await connector.settle(60_000);

  // The backlog: stored and projected while the worker is stopped (products first, then customers, then orders).
  const deliveries = [
    ...range(PER_KIND).map((i) => ['products/create', product(i + 1)] as const),
    ...range(PER_KIND).map((i) => ['customers/create', customer(i)] as const),
    ...range(PER_KIND).map((i) => ['orders/create', order(i)] as const),
  ].map(([topic, body]) => signWebhook(SECRET, SHOP, topic, body));
  const ingest = await driveLoad({
    url,
    method: 'POST',
    total: deliveries.length,
    concurrency: 10,
    body: (i) => deliveries[i]!.body,
    headersFor: (i) => deliveries[i]!.headers,
  });
  if (Object.keys(ingest.statuses).some((s) => s !== '200'))
    throw new Error(`ingest: ${JSON.stringify(ingest.statuses)}`);
  await connector.processor.drain();
  const backlog = await waitingRecords(connector.syncState);

  // The drain: only the sync worker runs; the sandbox integrates its requests in flight.
  sandbox.recorder.clear();
  sandbox.recorder.resetStats();
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  connector.worker.start();
  while ((await waitingRecords(connector.syncState)) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const seconds = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const cpu = process.cpuUsage(cpu0);
  const stats = sandbox.recorder.stats();
  const requests = [...sandbox.recorder.all()];

  // The ceiling on this machine: a bare client that always keeps MAX_CONCURRENT requests outstanding (keep-alive,
  // the next one sent as soon as an answer is read), measured by the same gauge. What it misses is per-request
  // HTTP overhead outside the sandbox's handler, not idle budget.
  sandbox.recorder.resetStats();
  await driveLoad({
    url: `${baseUrl}/ping`,
    total: MAX_CONCURRENT * 60,
    concurrency: MAX_CONCURRENT,
    headers: {authorization: `Basic ${Buffer.from(`bench:${sandbox.apiKey}`).toString('base64')}`},
  });
  const bare = sandbox.recorder.stats();
  const bareMean = bare.inFlightMs / bare.activeMs;

  await world.close();

  const meanInFlight = stats.inFlightMs / stats.activeMs;
  const perProduct = on(requests, '/products') / PER_KIND;
  const perOrder = on(requests, '/orders') / PER_KIND;
  return [
    {
      label: 'event loop utilization during the drain',
      value: elu.toFixed(2),
      note: `process CPU ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores (connector and sandbox share the process)`,
    },
    {
      label: 'live backlog drained (sync records)',
      value: backlog,
      note: `${PER_KIND} each of products, customers, orders`,
    },
    {
      label: 'Mailchimp requests during the drain',
      value: stats.total,
      note: `${seconds.toFixed(1)} s; ${Object.entries(stats.byStatus)
        .map(([s, n]) => `${n}×${s}`)
        .join(', ')}`,
    },
    {
      label: 'mean requests in flight ÷ MAILCHIMP_MAX_CONCURRENT',
      value: (meanInFlight / MAX_CONCURRENT).toFixed(3),
      unit: '×',
      note: `goal ≥ 0.9; mean ${meanInFlight.toFixed(2)} of ${MAX_CONCURRENT}, sandbox latency ${LATENCY_MS} ms`,
    },
    {
      label: 'the same for a bare client keeping every slot busy (ceiling)',
      value: (bareMean / MAX_CONCURRENT).toFixed(3),
      unit: '×',
      note: `${MAX_CONCURRENT * 60} GET /ping over ${MAX_CONCURRENT} keep-alive connections; the drain reached ${(meanInFlight / bareMean).toFixed(3)} of it`,
    },
    {
      label: 'max requests in flight ÷ MAILCHIMP_MAX_CONCURRENT',
      value: (stats.maxInFlight / MAX_CONCURRENT).toFixed(2),
      unit: '×',
      note: `must be ≤ 1; max ${stats.maxInFlight}`,
    },
    {
      label: 'Mailchimp requests per new product',
      value: perProduct.toFixed(3),
      note: `goal 1.0; ${routeSummary(requests, '/products')}`,
    },
    {
      label: 'Mailchimp requests per new order',
      value: perOrder.toFixed(3),
      note: `goal 1.0; ${routeSummary(requests, '/orders')}`,
    },
    {
      label: 'Mailchimp requests per new customer (customer + member)',
      value: ((stats.total - on(requests, '/products') - on(requests, '/orders')) / PER_KIND).toFixed(3),
      note: routeSummary(
        requests.filter((r) => !r.path.includes('/products') && !r.path.includes('/orders')),
        '',
      ),
    },
  ];
}

function range(n: number): number[] {
  return Array.from({length: n}, (_, i) => i);
}

function product(i: number): string {
  return productPayload({
    id: String(1_000 + i),
    title: `Lamp ${i}`,
    handle: `lamp-${i}`,
    updatedAt: AT,
    variants: [{id: String(500_000 + i), title: 'Default', priceMinor: 1000 + i}],
  });
}

function customer(i: number): string {
  return customerPayload({id: String(20_000 + i), email: `buyer${i}@shop.test`, updatedAt: AT});
}

/** Each order buys a product of the backlog, by a customer of the backlog. */
function order(i: number): string {
  const p = 1_000 + 1 + (i % PER_KIND);
  return orderPayload({
    id: String(900_000 + i),
    customer: {id: String(20_000 + i), email: `buyer${i}@shop.test`},
    financialStatus: 'paid',
    updatedAt: AT,
    lines: [
      {
        id: String(i + 1),
        productId: String(p),
        variantId: String(500_000 + p - 1_000),
        title: 'Lamp',
        priceMinor: 1000,
        quantity: 1,
      },
    ],
  });
}

/** Live records still to send (pending or retry). */
async function waitingRecords(syncState: {
  countsByTypeAndStatus(): Promise<Array<{status: string; n: number}>>;
}): Promise<number> {
  return (await syncState.countsByTypeAndStatus())
    .filter((c) => c.status === 'pending' || c.status === 'retry')
    .reduce((sum, c) => sum + c.n, 0);
}

/** Requests whose path names this e-commerce resource. */
function on(requests: readonly RecordedRequest[], resource: string): number {
  return requests.filter((r) => r.path.includes(resource)).length;
}

/** `METHOD template status` counts of the requests naming a resource. */
function routeSummary(requests: readonly RecordedRequest[], resource: string): string {
  const counts = new Map<string, number>();
  for (const r of requests.filter((q) => q.path.includes(resource))) {
    const key = `${r.method} ${(r.template ?? r.path).replace(/^.*\/stores\/\{store_id\}/, '')} ${r.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n}× ${k}`).join(', ');
}
