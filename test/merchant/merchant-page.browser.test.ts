import {createServer, type Server} from 'node:http';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import type {ListRecord} from '../../sandbox/mailchimp/core/state.js';
import {launchChromium, listenLocal, screenshot} from '../support/browser.js';
import {startMultiShopConnector, type InstalledShop, type MultiShopConnector} from '../support/multi-shop.js';
import {CHROMIUM, describeWithService} from '../support/services.js';

describeWithService(CHROMIUM, "the shop's page in Chromium: audience, save, initial sync to the end", () => {
  let m: MultiShopConnector;
  let shop: InstalledShop;
  let list: ListRecord;
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    m = await startMultiShopConnector();
    m.connector.start();
    shop = await m.installShop('page-shop.myshopify.com', {
      shopify: {seed: 21, shopName: 'Page Shop', products: 3, customers: 6, orders: 8, carts: 1},
      mailchimp: {accountName: 'Page Shop Mailchimp'},
    });
    createListRecord(shop.mailchimp!.sandbox.state, {name: 'Old newsletter', double_optin: false});
    list = createListRecord(shop.mailchimp!.sandbox.state, {name: 'Customers', double_optin: false});
    server = createServer(m.connector.app).listen(0, '127.0.0.1');
    origin = await listenLocal(server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await m?.close();
  });

  /** A page that records console errors (CSP violations among them), uncaught exceptions and failed requests. */
  async function openPage(context: BrowserContext): Promise<{page: Page; problems: string[]}> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    return {page, problems};
  }

  const overflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  it('without a session shows the install form (a GET to /shopify/install)', async () => {
    const context = await browser.newContext({viewport: {width: 390, height: 844}});
    const {page} = await openPage(context);
    await page.goto(`${origin}/app`);
    await page.waitForSelector('body[data-state="anonymous"] #install-form');
    expect(await page.isVisible('#app')).toBe(false);
    expect(await page.getAttribute('#install-form', 'action')).toBe('/shopify/install');
    expect(await page.getAttribute('#install-form', 'method')).toBe('get');
    expect(await page.textContent('label[for="install-shop"]')).toContain('domain');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'merchant-page-install-390');
    await context.close();
  });

  it('chooses an audience, saves, starts the initial sync and shows it finish; fits 390 px', async () => {
    const context = await browser.newContext({viewport: {width: 390, height: 844}});
    const [name, value] = shop.cookie.split('=') as [string, string];
    await context.addCookies([{name, value, url: origin, httpOnly: true, sameSite: 'Lax'}]);
    const {page, problems} = await openPage(context);
    await page.goto(`${origin}/app`);
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.textContent('#shop-name')).toBe('page-shop.myshopify.com');
    expect(await page.textContent('#mailchimp-state')).toContain('Page Shop Mailchimp');
    await page.waitForSelector(`#list option[value="${list.id}"]`, {state: 'attached'});
    const options = await page.locator('#list option').allInnerTexts();
    expect(options).toEqual(['Old newsletter (0 members)', 'Customers (0 members)']);
    expect(await page.isChecked('#double-opt-in')).toBe(true);
    expect(await page.isDisabled('#start-sync')).toBe(true);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'merchant-page-setup-390');

    // Keyboard: the audience is chosen from the select, the prefix typed, the form sent with Enter.
    await page.focus('#list');
    await page.selectOption('#list', list.id);
    await page.focus('#tag-prefix');
    await page.keyboard.type('ps:');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#setup-status:text("Saved.")');
    expect(await page.isDisabled('#start-sync')).toBe(false);
    const saved = (await m.connector.connections.byId(shop.connection.id))!;
    expect(saved.mailchimpListId).toBe(list.id);
    expect(saved.doubleOptIn).toBe(true);
    expect(saved.settings.tagPrefix).toBe('ps:');

    await page.click('#start-sync');
    await page.waitForSelector('#phases tbody tr');
    await page.waitForSelector('#sync-summary:has-text("Initial sync finished")', {timeout: 30_000});
    const rows = await page.locator('#phases tbody tr').allInnerTexts();
    expect(rows.find((r) => r.startsWith('Orders'))).toMatch(/done\s+8 \/ 8/);
    expect(rows.every((r) => /\tdone\t/.test(r))).toBe(true);
    expect(await page.getAttribute('#sync-summary', 'aria-live')).toBe('polite');
    await page.waitForFunction(() => document.getElementById('q-synced')?.textContent !== '0');
    await page.waitForSelector('#store-state:has-text("Page Shop (USD)")');
    // The audience is locked once the Mailchimp store exists in it.
    expect(await page.isVisible('#audience-locked')).toBe(true);
    expect(await page.isDisabled('#list')).toBe(true);

    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'merchant-page-synced-390');
    await page.setViewportSize({width: 1280, height: 900});
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'merchant-page-synced-1280');

    // Done once: the button no longer runs the initial sync again, it offers the resync, which runs as a new run.
    expect(await page.textContent('#start-sync')).toBe('Resync: send what differs in Mailchimp');
    await page.waitForFunction(() => !(document.getElementById('start-sync') as HTMLButtonElement).disabled);
    await page.click('#start-sync');
    await page.waitForSelector('#sync-summary:has-text("Resync finished")', {timeout: 30_000});
    const runs = await m.connector.backfill.list();
    expect(runs.map((r) => [r.kind, r.status])).toEqual([
      ['resync', 'completed'],
      ['backfill', 'completed'],
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
