import type {Figure} from './harness.js';
import {startBackfillWorld, type RunView} from './backfill-harness.js';
import {startShopifySandbox} from '../sandbox/shopify/index.js';
import {ShopifyAdminClient} from '../connector/src/shopify-admin/admin-client.js';
import {ShopifyBackfillSource} from '../connector/src/backfill/shopify-backfill-source.js';

export const name = 'small-shop';
export const description =
  "Initial sync of a small shop (50 products, 300 customers, 800 orders, 20 carts, 10 codes) with default settings into the Mailchimp sandbox at 50 ms, the connector in its own process, the Shopify stand-in's standard-plan bucket (2,000 points, 100/s). Run 1 as Shopify behaves: 100 ms per Admin API request, 0.5 s per bulk step of 250 records (a small bulk query takes Shopify 1-2 s); then the same start again. Run 2 under the issue's conditions (no Shopify latency, instant bulk steps).";

/** The goal of issue #15 for a shop this size with default settings. */
const GOAL_SECONDS = 20;
const SHOP = {products: 50, customers: 300, orders: 800, carts: 20, discountCodes: 10, seed: 2026};

interface Measured {
  seconds: number;
  run: RunView;
  shopifyRequests: number;
  throttled: number;
  bulkOperations: number;
  again?: {status: number; ms: number; shopifyRequests: number};
}

async function backfillOnce(shopify: {latencyMs: number; bulkStepMs: number}, startAgain: boolean): Promise<Measured> {
  const world = await startBackfillWorld({
    shop: {...SHOP, latencyMs: shopify.latencyMs, bulk: {stepDelayMs: shopify.bulkStepMs}},
    mailchimpLatencyMs: 50,
  });
  try {
    world.shopify.stats.reset();
    const started = Date.now();
    const first = await world.call('POST', '/v1/backfill', {});
    if (first.status !== 202) throw new Error(`backfill not started: ${first.status} ${JSON.stringify(first.body)}`);
    const run = await world.waitFor(first.body.id);
    const seconds = (Date.now() - started) / 1000;
    if (run.status !== 'completed') throw new Error(`backfill ${run.status}: ${run.error ?? ''}`);
    const stats = world.shopify.stats;
    const measured: Measured = {
      seconds,
      run,
      shopifyRequests: stats.total,
      throttled: stats.throttled,
      bulkOperations: stats.byField.bulkOperationRunQuery ?? 0,
    };
    if (startAgain) {
      // The same start again: the finished backfill is reported, nothing read.
      stats.reset();
      const againStarted = performance.now();
      const again = await world.call('POST', '/v1/backfill', {});
      const ms = performance.now() - againStarted;
      if (again.status !== 200 || again.body.alreadyCompleted !== true)
        throw new Error(`second start: ${again.status} ${JSON.stringify(again.body)}`);
      measured.again = {status: again.status, ms, shopifyRequests: stats.total};
    }
    return measured;
  } finally {
    await world.close();
  }
}

function phaseSeconds(run: RunView): string {
  return Object.entries(run.progress)
    .map(([phase, p]) => {
      const {startedAt, finishedAt} = (p ?? {}) as {startedAt?: string; finishedAt?: string};
      if (!startedAt || !finishedAt || !(p && (p.read > 0 || p.sent > 0))) return '';
      return `${phase} ${((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000).toFixed(1)}`;
    })
    .filter(Boolean)
    .join(', ');
}

/** The Shopify side alone: every phase read in this process, each the way its query cost chose. */
async function readOnly(shopify: {latencyMs: number; bulkStepMs: number}): Promise<{seconds: number; modes: string}> {
  const sandbox = await startShopifySandbox({
    ...SHOP,
    latencyMs: shopify.latencyMs,
    bulk: {stepDelayMs: shopify.bulkStepMs},
  });
  try {
    const client = new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
    });
    const modes: string[] = [];
    const source = new ShopifyBackfillSource(client, {shopDomain: sandbox.shopDomain, currency: 'USD'});
    const started = performance.now();
    for (const phase of ['products', 'customers', 'promos', 'orders', 'carts'] as const) {
      const phaseStarted = performance.now();
      const bulkBefore = sandbox.stats.byField.bulkOperationRunQuery ?? 0;
      for await (const chunk of source.read(phase, undefined, {})) void chunk;
      const bulk = (sandbox.stats.byField.bulkOperationRunQuery ?? 0) > bulkBefore;
      modes.push(`${phase} ${bulk ? 'bulk' : 'pages'} ${((performance.now() - phaseStarted) / 1000).toFixed(1)}`);
    }
    return {seconds: (performance.now() - started) / 1000, modes: modes.join(', ')};
  } finally {
    await sandbox.close();
  }
}

export async function run(): Promise<Figure[]> {
  const reading = await readOnly({latencyMs: 100, bulkStepMs: 500});
  const faithful = await backfillOnce({latencyMs: 100, bulkStepMs: 500}, true);
  const issue = await backfillOnce({latencyMs: 0, bulkStepMs: 0}, false);
  const again = faithful.again!;
  const read = Object.values(faithful.run.progress).reduce((n, p) => n + (p ? p.read : 0), 0);
  const failed = Object.values(faithful.run.progress).reduce((n, p) => n + (p ? p.failedOperations : 0), 0);
  return [
    {label: 'entities read (products, customers, promos, orders, members, carts)', value: read},
    {label: 'Shopify read alone (run 1 conditions), seconds', value: reading.seconds.toFixed(1), unit: 's'},
    {label: 'Shopify read alone: way and seconds per phase', value: reading.modes},
    {label: 'run 1 wall time, default settings', value: faithful.seconds.toFixed(1), unit: 's'},
    {label: 'run 1 wall time / 20 s goal', value: (faithful.seconds / GOAL_SECONDS).toFixed(2), unit: 'x'},
    {label: 'run 1 seconds per phase (read and sent)', value: phaseSeconds(faithful.run)},
    {
      label: 'run 1 Shopify Admin requests / THROTTLED answers',
      value: `${faithful.shopifyRequests} / ${faithful.throttled}`,
      note: `${faithful.bulkOperations} bulk operation(s)`,
    },
    {label: 'run 1 Mailchimp requests (HTTP, by the connector)', value: faithful.run.mailchimpRequests},
    {label: 'run 1 failed batch operations / dead letters', value: `${failed} / ${faithful.run.deadLetters}`},
    {
      label: 'second start: HTTP status, wall time',
      value: `${again.status}, ${Math.round(again.ms)} ms`,
      note: `${again.shopifyRequests} Shopify requests`,
    },
    {label: 'second start / run 1 wall time', value: (again.ms / 1000 / faithful.seconds).toFixed(4), unit: 'x'},
    {label: "run 2 (issue's conditions) wall time", value: issue.seconds.toFixed(1), unit: 's'},
    {label: 'run 2 wall time / 20 s goal', value: (issue.seconds / GOAL_SECONDS).toFixed(2), unit: 'x'},
    {label: 'run 2 seconds per phase (read and sent)', value: phaseSeconds(issue.run)},
    {
      label: 'run 2 Shopify Admin requests / THROTTLED answers',
      value: `${issue.shopifyRequests} / ${issue.throttled}`,
      note: `${issue.bulkOperations} bulk operation(s)`,
    },
  ];
}
