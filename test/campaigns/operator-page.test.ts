import type {Browser, Page} from 'playwright-core';
import {EXPECTED_SEGMENTS} from '../../connector/src/segments/fixtures/audience.js';
import {launchChromium, screenshot} from '../support/browser.js';
import {CHROMIUM, describeWithService} from '../support/services.js';
import {emailOf, loadFixtureStore, startCampaignHarness, type CampaignHarness} from './campaign-harness.js';

describeWithService(CHROMIUM, 'operator page in Chromium: sync state and campaign results with charts', () => {
  let t: CampaignHarness;
  let browser: Browser;
  let campaignId: string;

  beforeAll(async () => {
    t = await startCampaignHarness();
    await loadFixtureStore(t);
    await t.connector.campaigns.webhooks.checkAll();
    const segment = await t.http().post('/v1/segments').set(t.admin).send(EXPECTED_SEGMENTS[0]!.definition);
    const sent = await t
      .http()
      .post('/v1/promo-sends')
      .set(t.admin)
      .set('Idempotency-Key', 'page-1')
      .send({
        segment_id: segment.body.id,
        code: 'TEE15',
        discount: {type: 'percentage', amount: 15},
        subject: 'Tees, 15 % off',
        from_name: 'Shop',
        reply_to: 'shop@shop.test',
      });
    campaignId = sent.body.campaign.id as string;
    // Recipients act on it: two open, one clicks through and buys, one unsubscribes.
    const act = (action: string, body: Record<string, unknown>) =>
      t.sandbox.http().post(`/__sandbox/campaigns/${campaignId}/${action}`).send(body);
    await act('open', {email: emailOf('ada')});
    await act('open', {email: emailOf('gus')});
    const click = await act('click', {email: emailOf('ada'), url: `https://${t.connection.shopDomain}/discount/TEE15`});
    const landing = new URL(click.body.landing_url as string);
    await act('unsubscribe', {email: emailOf('ben')});
    await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${t.ingestToken}`)
      .send({
        events: [
          {
            id: 'evt-o-page',
            type: 'order.upsert',
            occurred_at: '2026-03-01T12:00:00Z',
            data: {
              id: 'o-page',
              customer: {id: 'cus-ada', email: emailOf('ada')},
              currency: 'USD',
              total: '42.50',
              financial_status: 'paid',
              fulfillment_status: 'unfulfilled',
              processed_at: '2026-03-01T12:00:00Z',
              is_test: false,
              refunds: [],
              landing_site: `${landing.pathname}${landing.search}`,
              lines: [
                {
                  id: 'o-page-l1',
                  product_id: 'p-tee',
                  variant_id: 'v-tee-s',
                  title: 'Organic Tee',
                  quantity: 2,
                  price: '21.25',
                },
              ],
            },
          },
        ],
      });
    await t.settle();
    await t.connector.campaigns.statistics.refreshCampaigns(t.connection.id);
    await t.connector.campaigns.statistics.refreshAudience(t.connection.id);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** A page that records console errors, failed requests and uncaught exceptions. */
  async function openPage(): Promise<{page: Page; problems: string[]}> {
    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    return {page, problems};
  }

  it('asks for the admin token, refuses a wrong one, then shows sync state, campaign results and audience charts', async () => {
    const {page, problems} = await openPage();
    await page.goto(`${t.origin}/operator`);
    await page.waitForSelector('body[data-state="login"]');
    expect(await page.isVisible('#login')).toBe(true);
    expect(await page.isVisible('#dashboard')).toBe(false);
    await screenshot(page, 'operator-login');

    await page.fill('#token', 'wrong-token-wrong-token-wrong');
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('body[data-state="login"] #alert:not([hidden])');
    expect(await page.textContent('#alert')).toContain('refused');
    // The 401 itself is the expected answer, not a page fault.
    problems.length = 0;

    await page.fill('#token', t.adminToken);
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('body[data-state="ready"]');

    const campaignRow = await page.locator('#campaign-table tbody tr').first().innerText();
    expect(campaignRow).toContain('Promo TEE15');
    expect(campaignRow).toContain('sent');
    expect(campaignRow).toContain('$42.50');
    const syncRows = await page.locator('#sync-table tbody tr').allInnerTexts();
    expect(syncRows.some((r) => r.startsWith('member'))).toBe(true);
    expect(await page.textContent('#webhook')).toContain('registered');
    expect(await page.locator('#segment-table tbody tr').first().innerText()).toContain('Tee buyers');

    // The charts are drawn with the stored figures.
    const charts = await page.evaluate(() => {
      const chartOf = (id: string) =>
        (
          window as unknown as {
            Chart: {
              getChart(
                id: string,
              ): {data: {labels: unknown[]; datasets: Array<{label: string; data: unknown[]}>}} | undefined;
            };
          }
        ).Chart.getChart(id);
      return Object.fromEntries(
        ['sync-chart', 'campaign-chart', 'revenue-chart', 'audience-chart', 'growth-chart'].map((id) => [
          id,
          chartOf(id)?.data ?? null,
        ]),
      );
    });
    expect(charts['revenue-chart']?.datasets[0]?.data).toEqual([42.5]);
    const engagement = Object.fromEntries(charts['campaign-chart']!.datasets.map((d) => [d.label, d.data[0]]));
    expect(engagement).toEqual({Sent: 3, 'Unique opens': 2, 'Unique clicks': 1, Unsubscribed: 1});
    expect(charts['audience-chart']?.datasets[0]?.data).toEqual([4, 2, 0]);
    expect(charts['sync-chart']?.labels).toEqual(expect.arrayContaining(['member', 'order', 'product']));
    expect(charts['growth-chart']?.labels).toHaveLength(1);
    // Every chart has figures, so none says "No data yet".
    expect(await page.locator('.chart .empty:visible').count()).toBe(0);
    await screenshot(page, 'operator-dashboard');

    // Pulling from Mailchimp again adds an audience snapshot to the growth line.
    await page.click('#refresh');
    await page.waitForFunction(
      () =>
        document.body.dataset.state === 'ready' &&
        (window as unknown as {Chart: {getChart(id: string): {data: {labels: unknown[]}}}}).Chart.getChart(
          'growth-chart',
        ).data.labels.length === 2,
    );
    await screenshot(page, 'operator-dashboard-refreshed');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('takes the token from the URL fragment and removes it from the address bar', async () => {
    const {page, problems} = await openPage();
    await page.goto(`${t.origin}/operator#token=${encodeURIComponent(t.adminToken)}`);
    await page.waitForSelector('body[data-state="ready"]');
    expect(page.url()).toBe(`${t.origin}/operator`);
    await page.click('#forget');
    await page.waitForSelector('body[data-state="login"]');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves chart.js from node_modules and the shell without any data or token', async () => {
    const chart = await t.http().get('/operator/chart.umd.js');
    expect(chart.status).toBe(200);
    expect(chart.headers['content-type']).toMatch(/javascript/);
    expect(chart.text).toMatch(/Chart\.js v4\.6\.1/);
    const html = await t.http().get('/operator');
    expect(html.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(html.text).not.toContain(t.adminToken);
    expect(html.text).not.toContain(campaignId);
  });
  it('sends a promo from the page, and says so when sending the same form again replays the first answer', async () => {
    const {page, problems} = await openPage();
    await page.goto(`${t.origin}/operator#token=${encodeURIComponent(t.adminToken)}`);
    await page.waitForSelector('body[data-state="ready"]');
    const form = page.locator('#promo-form');
    expect(await form.locator('select[name="segment_id"] option').first().innerText()).toBe('Tee buyers');
    await form.locator('input[name="code"]').fill('PAGE20');
    await form.locator('input[name="discount_amount"]').fill('20');
    await form.locator('input[name="subject"]').fill('20 % off, from the page');
    await form.locator('input[name="from_name"]').fill('Shop');
    await form.locator('input[name="reply_to"]').fill('shop@shop.test');
    const key = await form.locator('input[name="key"]').inputValue();
    expect(key).toMatch(/^page-[0-9a-f-]{36}$/);

    await form.locator('button[type="submit"]').click();
    await page.waitForSelector('#promo-result[data-outcome="sent"]');
    const sent = await page.textContent('#promo-result');
    expect(sent).toMatch(/^Sent: campaign \S+ \(sent\), code PAGE20\.$/);
    const campaign = /campaign (\S+)/.exec(sent!)![1];

    await form.locator('button[type="submit"]').click();
    await page.waitForSelector('#promo-result[data-outcome="replayed"]');
    expect(await page.textContent('#promo-result')).toBe(
      `Replayed: key ${key} was used before. This is the result of that earlier send (campaign ${campaign} (sent)); nothing was sent again. Use "New key" for another send.`,
    );
    await screenshot(page, 'operator-promo-replayed');
    // Mailchimp was asked to send it once.
    const sends = t.sandbox.sandbox.recorder
      .all()
      .filter((r) => r.method === 'POST' && r.path.endsWith(`/campaigns/${campaign}/actions/send`));
    expect(sends).toHaveLength(1);

    await page.click('#promo-new-key');
    expect(await form.locator('input[name="key"]').inputValue()).not.toBe(key);
    expect(await page.textContent('#promo-result')).toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });
});
