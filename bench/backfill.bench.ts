import {readFileSync} from 'node:fs';
import type {Figure} from './harness.js';
import {startBackfillWorld, type RunView} from './backfill-harness.js';

export const name = 'backfill';
export const description =
  'Initial sync of generated Shopify stores (5k products, 20k customers, 50k orders; the same with 5k orders; a mid-size shop of 1k products, 5k customers, 15k orders) from the Shopify Admin stand-in into the Mailchimp sandbox with 50 ms latency; the connector runs as its own process. BACKFILL_BENCH=mid runs only the mid-size shop (BACKFILL_BENCH_CPU_PROF=<dir> profiles the connector).';

const LATENCY_MS = 50;
/** Mailchimp's limit per account: the floor assumes all of them, one call per entity. */
const MAILCHIMP_CONNECTIONS = 10;

interface ShopSize {
  products: number;
  customers: number;
  orders: number;
}
const FULL: ShopSize = {products: 5_000, customers: 20_000, orders: 50_000};
const FULL_FEW_ORDERS: ShopSize = {products: 5_000, customers: 20_000, orders: 5_000};
const MID: ShopSize = {products: 1_000, customers: 5_000, orders: 15_000};

/** Peak resident set size of a process (Linux VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

async function backfillOnce(
  size: ShopSize,
): Promise<{seconds: number; run: RunView; rssMiB: number; requests: number; r429: number; entities: number}> {
  const profileDir = process.env.BACKFILL_BENCH_CPU_PROF;
  const world = await startBackfillWorld({
    shop: {...size, carts: 200, discountCodes: 20, seed: 2026},
    mailchimpLatencyMs: LATENCY_MS,
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  try {
    world.mailchimp.recorder.resetStats();
    const started = Date.now();
    const {body: start} = await world.call('POST', '/v1/backfill', {});
    let lastReport = Date.now();
    const run = await world.waitFor(start.id, (progress) => {
      const phase = Object.keys(progress.progress).at(-1);
      if (phase && Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        process.stderr.write(
          `  ${Math.round((Date.now() - started) / 1000)} s: ${phase} ${JSON.stringify(progress.progress[phase])}\n`,
        );
      }
    });
    const seconds = (Date.now() - started) / 1000;
    if (run.status !== 'completed') throw new Error(`backfill ${run.status}: ${run.error ?? ''}`);
    const rssMiB = peakRssMiB(world.child.pid!);
    const stats = world.mailchimp.recorder.stats();
    const entities = ['products', 'customers', 'promos', 'orders', 'members', 'carts'].reduce(
      (n, phase) => n + (run.progress[phase]?.read ?? 0),
      0,
    );
    return {seconds, run, rssMiB, requests: run.mailchimpRequests, r429: Number(stats.byStatus['429'] ?? 0), entities};
  } finally {
    await world.close();
  }
}

type Outcome = Awaited<ReturnType<typeof backfillOnce>>;

/** The floor of sending the same entities one call each at the account's connection limit. */
const floorOf = (r: Outcome) => (r.entities * LATENCY_MS) / 1000 / MAILCHIMP_CONNECTIONS;
const total = (r: Outcome, field: 'sent' | 'batches' | 'failedOperations' | 'handedToLive') =>
  Object.values(r.run.progress).reduce((n, p) => n + (p ? p[field] : 0), 0);

function ratioFigures(label: string, r: Outcome): Figure[] {
  return [
    {label: `${label}: entities read (products, customers, promos, orders, members, carts)`, value: r.entities},
    {label: `${label}: wall time`, value: Math.round(r.seconds), unit: 's'},
    {label: `${label}: floor: entities x 50 ms / 10 connections`, value: Math.round(floorOf(r)), unit: 's'},
    {label: `${label}: wall time / floor`, value: (r.seconds / floorOf(r)).toFixed(3), unit: 'x', note: 'goal <= 0.5'},
    {
      label: `${label}: Mailchimp requests (HTTP, by the connector)`,
      value: r.requests,
      note: `${total(r, 'batches')} batches`,
    },
    {label: `${label}: entities per Mailchimp request`, value: (r.entities / r.requests).toFixed(1)},
    {
      label: `${label}: sent in batches / handed to the live worker`,
      value: `${total(r, 'sent')} / ${total(r, 'handedToLive')}`,
    },
    {
      label: `${label}: failed batch operations / dead letters`,
      value: `${total(r, 'failedOperations')} / ${r.run.deadLetters}`,
    },
    {label: `${label}: 429 answers seen`, value: r.r429},
    {label: `${label}: peak RSS of the connector`, value: r.rssMiB, unit: 'MiB'},
  ];
}

export async function run(): Promise<Figure[]> {
  if (process.env.BACKFILL_BENCH === 'mid') return ratioFigures('mid-size shop (1k/5k/15k)', await backfillOnce(MID));
  const full = await backfillOnce(FULL);
  const small = await backfillOnce(FULL_FEW_ORDERS);
  const mid = await backfillOnce(MID);
  return [
    ...ratioFigures('5k/20k/50k', full),
    ...ratioFigures('mid-size shop (1k/5k/15k)', mid),
    {label: '5k/20k/5k: wall time / floor', value: (small.seconds / floorOf(small)).toFixed(3), unit: 'x'},
    {
      label: 'peak RSS ratio (50k / 5k orders)',
      value: (full.rssMiB / small.rssMiB).toFixed(2),
      unit: 'x',
      note: `${full.rssMiB} / ${small.rssMiB} MiB; flat: close to 1`,
    },
  ];
}
