import type {Server} from 'node:http';
import type {Browser} from 'playwright-core';
import type {BackfillSource, SourcePhase} from '../../connector/src/backfill/backfill-source.js';
import type {StoreEvent} from '../../connector/src/model/events.js';
import {mapShopifyWebhook} from '../../connector/src/shopify/index.js';
import {launchChromium, listenLocal, screenshot} from '../support/browser.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {CHROMIUM, describeWithService} from '../support/services.js';
import {customerPayload} from '../support/shopify-webhooks.js';

jest.setTimeout(60_000);

/** A shop of three customers, two of them subscribed, read by the backfill in one chunk. */
function threeCustomers(): BackfillSource {
  const customers: StoreEvent[][] = [0, 1, 2].map((i) => {
    const mapped = mapShopifyWebhook(
      'customers/create',
      customerPayload({
        id: String(3000 + i),
        email: `page${i}@shop.test`,
        updatedAt: '2025-01-02T00:00:00Z',
        consent: {state: i < 2 ? 'subscribed' : 'not_subscribed', updatedAt: '2025-01-02T00:00:00Z'},
      }),
      {shopDomain: TEST_SHOP, shopCurrency: 'USD'},
    );
    if (!mapped.ok) throw new Error(mapped.error.message);
    return mapped.events;
  });
  return {
    async count(phase: SourcePhase) {
      return phase === 'customers' ? customers.length : 0;
    },
    async *read(phase: SourcePhase) {
      if (phase === 'customers') yield {events: customers.flat(), records: customers.length, position: 3};
    },
  };
}

type ChartWindow = {
  Chart: {
    getChart(id: string): {
      data: {datasets: Array<{data: number[]}>};
      options: {scales?: {y?: {ticks?: {precision?: number}}}};
    };
  };
};

describeWithService(CHROMIUM, 'operator page while a backfill runs', () => {
  let t: TestConnector;
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestConnector({
      env: {LAPSED_AFTER_DAYS: '3650'},
      backfillSource: () => threeCustomers(),
      backfill: {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10},
    });
    t.connector.start();
    server = t.connector.app.listen(0, '127.0.0.1');
    origin = await listenLocal(server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it('says "No data yet" on empty charts, counts in whole numbers, and redraws the audience once the backfill completes', async () => {
    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${origin}/operator#token=${encodeURIComponent(t.adminToken)}`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.waitForSelector('#backfill[data-status="none"]');
    expect(await page.textContent('#backfill')).toBe('Backfill: none has run yet.');

    // Before any campaign or audience snapshot, the charts say so in words.
    for (const id of ['campaign-chart', 'revenue-chart', 'audience-chart', 'growth-chart'])
      expect({id, visible: await page.isVisible(`#${id}-empty`)}).toEqual({id, visible: true});
    expect(await page.textContent('#audience-chart-empty')).toBe('No data yet');
    // Count axes tick in whole numbers.
    const precisions = await page.evaluate(() =>
      ['sync-chart', 'campaign-chart', 'growth-chart'].map(
        (id) => (window as unknown as ChartWindow).Chart.getChart(id).options.scales?.y?.ticks?.precision,
      ),
    );
    expect(precisions).toEqual([0, 0, 0]);
    await screenshot(page, 'operator-empty');

    const started = await t.http().post('/v1/backfill').set('Authorization', `Bearer ${t.adminToken}`).send({});
    expect(started.status).toBe(202);

    // The page notices the run finish and pulls the audience again: the two subscribed customers appear.
    await page.waitForSelector('#backfill[data-status="completed"]', {timeout: 45_000});
    await page.waitForFunction(
      () =>
        (window as unknown as ChartWindow).Chart.getChart('audience-chart').data.datasets[0]!.data[0] === 2 &&
        document.getElementById('audience-chart-empty')!.hidden,
      undefined,
      {timeout: 45_000},
    );
    expect(await page.textContent('#backfill')).toMatch(/^Backfill \S+: completed at \S+\.$/);
    await screenshot(page, 'operator-after-backfill');
    expect(problems).toEqual([]);
    await page.close();
  });
});
