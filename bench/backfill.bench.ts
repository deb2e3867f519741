import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createListRecord} from '../sandbox/mailchimp/core/lists.js';
import {createMailchimpSandbox} from '../sandbox/mailchimp/index.js';
import {startShopifySandbox} from '../sandbox/shopify/index.js';
import {SecretBox} from '../connector/src/security/secret-box.js';
import type {Figure} from './harness.js';
import {freePort} from '../test/support/free-port.js';

export const name = 'backfill';
export const description =
  'Initial sync of generated Shopify stores (5k products, 20k customers, 50k orders; the same with 5k orders; a mid-size shop of 1k products, 5k customers, 15k orders) from the Shopify Admin stand-in into the Mailchimp sandbox with 50 ms latency; the connector runs as its own process. BACKFILL_BENCH=mid runs only the mid-size shop (BACKFILL_BENCH_CPU_PROF=<dir> profiles the connector).';

const SHOP = 'bench-backfill.myshopify.com';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
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

interface RunView {
  status: string;
  error?: string;
  progress: Record<
    string,
    | {read: number; sent: number; nothing: number; handedToLive: number; failedOperations: number; batches: number}
    | undefined
  >;
  mailchimpRequests: number;
  deadLetters: number;
}

/** Peak resident set size of a process (Linux VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

async function backfillOnce(
  size: ShopSize,
): Promise<{seconds: number; run: RunView; rssMiB: number; requests: number; r429: number; entities: number}> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
  const mailchimp = createMailchimpSandbox({recordRequests: false, latencyMs: LATENCY_MS});
  const baseUrl = await mailchimp.listen(0);
  const list = createListRecord(mailchimp.state, {name: 'Bench audience'});
  const shopify = await startShopifySandbox({
    ...size,
    carts: 200,
    discountCodes: 20,
    seed: 2026,
    shopDomain: SHOP,
    currencyCode: 'USD',
  });
  const port = await freePort();
  const profileDir = process.env.BACKFILL_BENCH_CPU_PROF;
  const child = spawn(
    process.execPath,
    [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', 'connector/src/main.ts'],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        NODE_ENV: 'production',
        DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
        ENCRYPTION_KEY: SecretBox.generateKey(),
        ADMIN_TOKEN,
        MAILCHIMP_API_KEY: mailchimp.apiKey,
        MAILCHIMP_BASE_URL: baseUrl,
        MAILCHIMP_LIST_ID: list.id,
        SHOPIFY_SHOP: SHOP,
        SHOPIFY_API_SECRET: 'bench-secret',
        SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
        SHOPIFY_ADMIN_URL: shopify.adminUrl,
        LAPSED_AFTER_DAYS: '36500',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown): Promise<RunView & {id: string}> => {
    // A kept-alive socket the server closes as a poll reuses it comes back as ECONNRESET: ask again.
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json'},
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return (await res.json()) as RunView & {id: string};
      } catch (error) {
        if (attempt >= 5 || child.exitCode !== null) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/healthz`)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
      if (i > 600) throw new Error('connector did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    mailchimp.recorder.resetStats();
    const started = Date.now();
    const {id} = await call('POST', '/v1/backfill', {});
    let run: RunView;
    let lastReport = Date.now();
    for (;;) {
      run = await call('GET', `/v1/backfill/${id}`);
      if (run.status !== 'running') break;
      const phase = Object.keys(run.progress).at(-1);
      if (phase && Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        process.stderr.write(
          `  ${Math.round((Date.now() - started) / 1000)} s: ${phase} ${JSON.stringify(run.progress[phase])}\n`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (Date.now() - started) / 1000;
    if (run.status !== 'completed') throw new Error(`backfill ${run.status}: ${run.error ?? ''}`);
    const rssMiB = peakRssMiB(child.pid!);
    const stats = mailchimp.recorder.stats();
    const entities = ['products', 'customers', 'promos', 'orders', 'members', 'carts'].reduce(
      (n, phase) => n + (run.progress[phase]?.read ?? 0),
      0,
    );
    return {seconds, run, rssMiB, requests: run.mailchimpRequests, r429: Number(stats.byStatus['429'] ?? 0), entities};
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit').catch(() => undefined);
    await shopify.close();
    await mailchimp.close();
    rmSync(dir, {recursive: true, force: true});
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
