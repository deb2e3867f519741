import type {Server} from 'node:http';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {createCampaign} from '../../sandbox/mailchimp/modules/campaigns/campaign-store.js';
import {launchChromium, listenLocal, screenshot} from '../support/browser.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {CHROMIUM, describeWithService} from '../support/services.js';

/**
 * The demo storefront (`/demo`, as `npm start` serves it in demo mode) in Chromium: the pop-up (frequency cap,
 * Escape, focus trapped and returned), and the fake checkout with the opt-in checkbox whose order reaches the
 * Mailchimp sandbox through the generic ingest, attributed to the campaign the shopper landed from.
 */

jest.setTimeout(60_000);

describeWithService(CHROMIUM, 'demo storefront in Chromium', () => {
  let browser: Browser;
  let t: TestConnector;
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    t = await startTestConnector({demo: true});
    server = t.connector.app.listen(0, '127.0.0.1');
    origin = await listenLocal(server);
    context = await browser.newContext({viewport: {width: 1000, height: 760}});
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  afterEach(async () => {
    await context?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  const focused = () =>
    page.evaluate(() => {
      const host = document.activeElement;
      const inner = host?.shadowRoot?.activeElement;
      return inner
        ? `${host?.getAttribute('data-msb')}#${inner.id || inner.className}`
        : `${host?.tagName.toLowerCase()}#${host?.id}`;
    });
  const dialogOpen = () =>
    page.locator('[data-msb=popup]').evaluate((host) => host.shadowRoot?.querySelector('dialog')?.open ?? false);
  const member = (email: string) => t.list.members.get(subscriberHash(email));

  it('opens the pop-up once by itself, traps focus, closes on Escape and returns focus; keyboard-only subscription', async () => {
    await page.goto(`${origin}/demo?popup_delay=0`);
    await page.waitForFunction(
      () => document.querySelector('[data-msb=popup]')?.shadowRoot?.querySelector('dialog')?.open === true,
    );
    expect(await focused()).toBe('popup#e');
    await screenshot(page, 'popup-open');

    // Tab and Shift+Tab cycle inside the dialog.
    const cycle: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      cycle.push(await focused());
    }
    expect(cycle).toEqual(['popup#b', 'popup#x', 'popup#e', 'popup#b']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('popup#b');

    await page.keyboard.press('Escape');
    expect(await dialogOpen()).toBe(false);

    // Frequency cap: it does not open by itself again.
    await page.reload();
    await page.waitForSelector('[data-msb=popup]', {state: 'attached'});
    await page.waitForTimeout(400);
    expect(await dialogOpen()).toBe(false);

    // Keyboard only: the header's "Newsletter" button opens it; Escape returns focus to that button.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button#open-popup');
    await page.keyboard.press('Enter');
    expect(await dialogOpen()).toBe(true);
    expect(await focused()).toBe('popup#e');
    await page.keyboard.press('Escape');
    expect(await focused()).toBe('button#open-popup');

    await page.keyboard.press('Enter');
    await page.keyboard.type('pop@example-mail.com');
    await page.keyboard.press('Enter');
    const message = page.locator('[data-msb=popup] #m');
    // Double opt-in, the storefront's default: the confirmation e-mail.
    await message
      .filter({
        hasText: 'Almost done: confirm with the link in the email we send you. Already subscribed? Nothing more to do.',
      })
      .waitFor();
    expect(await focused()).toBe('popup#m');
    await screenshot(page, 'popup-confirmation-sent');
    // A click on the backdrop closes it too.
    await page.mouse.click(5, 5);
    expect(await dialogOpen()).toBe(false);
    expect(await focused()).toBe('button#open-popup');

    await t.settle();
    expect(member('pop@example-mail.com')?.status).toBe('pending');
    expect(member('pop@example-mail.com')?.tags.map((tag) => tag.name)).toEqual(['newsletter']);
    expect(pageErrors).toEqual([]);
  });

  it("attributes the fake checkout's order to the campaign landed from, and the ticked box subscribes the buyer", async () => {
    const campaign = createCampaign(t.sandbox.sandbox.state, {
      type: 'regular',
      recipients: {list_id: t.list.id},
      settings: {title: 'Winter'},
      extra: {},
    });
    await page.goto(`${origin}/demo?mc_cid=${campaign.id}&utm_source=mailchimp&utm_medium=email&popup_delay=off`);
    // The shopper browses on; the attribution was kept from the landing page.
    await page.goto(`${origin}/demo?popup_delay=off`);
    const form = page.locator('#checkout');
    await form.locator('input[name="attributes[_mc_cid]"]').waitFor({state: 'attached'});
    expect(await form.locator('input[name="attributes[_mc_cid]"]').inputValue()).toBe(campaign.id);
    expect(await form.locator('input[name="attributes[_utm_source]"]').inputValue()).toBe('mailchimp');

    await page.getByLabel('Email', {exact: true}).fill('buyer@example-mail.com');
    await page.getByLabel('First name').fill('Bea');
    const box = page.locator('[data-msb=checkbox]').getByLabel('Email me news and offers');
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await screenshot(page, 'demo-checkout-ticked');
    await page.getByRole('button', {name: 'Place order'}).click();
    await page.waitForSelector('#order-id');
    expect(await page.locator('#ingest-status').textContent()).toBe('202');
    const orderId = (await page.locator('#order-id').textContent())!;
    await screenshot(page, 'demo-receipt');

    await waitFor(
      async () => (await t.connector.store.db.selectFrom('consent_evidence').selectAll().execute()).length === 1,
      'the consent beacon',
    );
    await t.settle();
    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId);
    const order = store?.orders.get(orderId);
    expect(order?.campaign_id).toBe(campaign.id);
    expect(order?.order_total).toBeCloseTo(24.9, 2);
    expect(member('buyer@example-mail.com')?.status).toBe('subscribed');
    expect(member('buyer@example-mail.com')?.tags.map((tag) => tag.name)).toEqual(
      expect.arrayContaining(['checkout-opt-in']),
    );

    // The page's panel shows what reached the sandbox.
    await page.locator('#mailchimp').filter({hasText: orderId}).waitFor({timeout: 10_000});
    await page.locator('#mailchimp').filter({hasText: 'buyer@example-mail.com'}).waitFor();
    await screenshot(page, 'demo-mailchimp-panel');
    expect(await page.locator('#mailchimp').textContent()).toContain(campaign.id);
    expect(pageErrors).toEqual([]);
  });

  it('keeps an unticked buyer out of marketing: the order arrives, nobody is subscribed', async () => {
    await page.goto(`${origin}/demo?popup_delay=off&lang=de`);
    await page.getByLabel('Email', {exact: true}).fill('quiet@example-mail.com');
    const box = page
      .locator('[data-msb=checkbox]')
      .getByLabel('Ja, ich möchte Neuigkeiten und Angebote per E-Mail erhalten');
    expect(await box.isChecked()).toBe(false);
    await screenshot(page, 'demo-checkout-unticked-de');
    await page.getByRole('button', {name: 'Place order'}).click();
    await page.waitForSelector('#order-id');
    const orderId = (await page.locator('#order-id').textContent())!;
    await t.settle();
    expect(t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)?.orders.get(orderId)).toBeDefined();
    expect(member('quiet@example-mail.com')?.status).not.toBe('subscribed');
    expect(await t.connector.store.db.selectFrom('consent_evidence').selectAll().execute()).toEqual([]);
  });
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
