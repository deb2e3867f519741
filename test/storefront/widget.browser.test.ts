import type {Server} from 'node:http';
import express from 'express';
import type {Browser, BrowserContext, Page} from 'playwright-core';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {launchChromium, listenLocal, screenshot} from '../support/browser.js';
import {startTestConnector, TEST_SHOP, type TestConnector, type TestConnectorOptions} from '../support/connector.js';
import {CHROMIUM, describeWithService} from '../support/services.js';
import {orderPayload} from '../support/shopify-webhooks.js';

/**
 * The widget in Chromium, on a shop page served from another origin than the connector (as on a real storefront):
 * the inline form and its states, keyboard-only use, another language, style isolation and theming, the checkout
 * checkbox, and a connector that cannot be reached.
 */

jest.setTimeout(60_000);

const HOSTILE_CSS =
  '* { font-family: serif; letter-spacing: 2px; } button { background: hotpink !important; } p { color: red; } :root { --msb-accent: #0b6e3f; }';

interface HostPage {
  widgetSrc: string;
  data: Record<string, string>;
  css?: string;
}

function hostPageHtml(page: HostPage): string {
  const data = Object.entries({
    shop: TEST_SHOP,
    mode: 'inline checkbox',
    target: '#newsletter',
    'checkout-form': '#checkout',
    ...page.data,
  })
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host shop</title><style>${page.css ?? ''}</style></head><body>
<h1>Host shop</h1>
<p id="host-text">The shop's own paragraph.</p>
<div id="newsletter"></div>
<form id="checkout" method="post" action="/checkout">
<label for="email">Email</label> <input type="email" id="email" name="email">
<button type="submit" id="buy">Buy now</button>
</form>
<script src="${page.widgetSrc}" defer${data}></script>
</body></html>`;
}

describeWithService(CHROMIUM, 'storefront widget in Chromium (cross-origin shop page)', () => {
  let browser: Browser;
  let hostServer: Server;
  let hostOrigin: string;
  const pages = new Map<string, string>();
  const checkouts: Array<Record<string, string>> = [];
  const cartUpdates: unknown[] = [];

  let t: TestConnector;
  let connectorServer: Server;
  let connectorOrigin: string;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    const host = express();
    host.get('/shop/:name', (req, res) => {
      const html = pages.get(req.params.name);
      if (html) res.type('html').send(html);
      else res.status(404).end();
    });
    host.post('/checkout', express.urlencoded({extended: false}), (req, res) => {
      checkouts.push(req.body as Record<string, string>);
      res.type('html').send('<!doctype html><h1 id="done">Order received</h1>');
    });
    // Shopify's Ajax cart API, as the widget calls it on a Shopify storefront.
    host.post('/cart/update.js', express.json(), (req, res) => {
      cartUpdates.push(req.body);
      res.json({token: 'cart-1', attributes: (req.body as {attributes?: unknown}).attributes});
    });
    hostServer = host.listen(0, '127.0.0.1');
    hostOrigin = await listenLocal(hostServer);
  });
  afterAll(async () => {
    await browser?.close();
    hostServer?.closeAllConnections();
    await new Promise((resolve) => hostServer?.close(resolve));
  });

  const startConnector = async (options: TestConnectorOptions = {}) => {
    t = await startTestConnector({...options, env: {STOREFRONT_ORIGINS: hostOrigin, ...options.env}});
    connectorServer = t.connector.app.listen(0, '127.0.0.1');
    connectorOrigin = await listenLocal(connectorServer);
  };
  beforeEach(async () => {
    checkouts.length = 0;
    cartUpdates.length = 0;
    context = await browser.newContext({viewport: {width: 900, height: 700}});
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  afterEach(async () => {
    await context?.close();
    connectorServer?.closeAllConnections();
    await new Promise((resolve) => connectorServer?.close(resolve));
    await t?.close();
  });

  const open = async (
    name: string,
    data: Record<string, string> = {},
    options: {css?: string; widgetSrc?: string} = {},
  ) => {
    pages.set(
      name,
      hostPageHtml({widgetSrc: options.widgetSrc ?? `${connectorOrigin}/widget.js`, data, css: options.css}),
    );
    await page.goto(`${hostOrigin}/shop/${name}`);
  };
  const inline = () => page.locator('[data-msb=inline]');
  const message = () => inline().locator('#m');
  const focused = () =>
    page.evaluate(() => {
      const host = document.activeElement;
      const inner = host?.shadowRoot?.activeElement;
      return inner ? `${host?.getAttribute('data-msb')}#${inner.id}` : `${host?.tagName.toLowerCase()}#${host?.id}`;
    });
  const storedEvidence = () => t.connector.store.db.selectFrom('consent_evidence').selectAll().execute();
  const member = (email: string) => t.list.members.get(subscriberHash(email));
  const waitFor = async (check: () => Promise<boolean> | boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('subscribes from the inline form (single opt-in chosen), with evidence of the page, and Mailchimp gets the member with the newsletter tag', async () => {
    await startConnector({env: {STOREFRONT_DOUBLE_OPT_IN: 'false'}});
    await open('inline');
    await screenshot(page, 'inline-form');
    await inline().getByLabel('Email address').fill('ada@example-mail.com');
    await inline().getByRole('button', {name: 'Subscribe'}).click();
    await expectText(
      message(),
      'Thank you! You are subscribed. (If you had unsubscribed, confirm with the link we email you.)',
    );
    await screenshot(page, 'inline-subscribed');
    await t.settle();
    expect(member('ada@example-mail.com')?.status).toBe('subscribed');
    expect(member('ada@example-mail.com')?.tags.map((tag) => tag.name)).toEqual(['newsletter']);
    const [evidence] = await storedEvidence();
    expect(evidence).toMatchObject({
      source: 'subscribe_form',
      text: 'By subscribing you agree to receive marketing emails from us. You can unsubscribe at any time.',
      page: `${hostOrigin}/shop/inline`,
      locale: 'en',
      ip: '127.0.0.1',
    });
    expect(evidence?.user_agent).toMatch(/Chrome/);

    // The same person again: the same answer (the page never tells who is subscribed), still true for them.
    await page.reload();
    await inline().getByLabel('Email address').fill('ada@example-mail.com');
    await inline().getByLabel('Email address').press('Enter');
    await expectText(
      message(),
      'Thank you! You are subscribed. (If you had unsubscribed, confirm with the link we email you.)',
    );
    await screenshot(page, 'inline-same-answer-again');
    expect(pageErrors).toEqual([]);
  });

  it('shows each error state: invalid email, confirmation sent (double opt-in), network failure with retry, rate limited', async () => {
    await startConnector({doubleOptIn: true, env: {STOREFRONT_RATE_LIMIT_PER_EMAIL: '1'}});
    await open('states');
    const email = inline().getByLabel('Email address');

    await email.fill('not-an-address');
    await email.press('Enter');
    await expectText(message(), 'Enter a valid email address, like name@example-mail.com.');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toBe('m c');
    expect(await focused()).toBe('inline#e');
    expect(await message().getAttribute('aria-live')).toBe('polite');
    await screenshot(page, 'inline-invalid-email');
    expect(await storedEvidence()).toEqual([]);

    // The connector cannot be reached once: the form offers a retry, which goes through with the same submission.
    let failNext = true;
    await page.route('**/v1/subscribe', (route) => {
      if (failNext) {
        failNext = false;
        return route.abort('connectionrefused');
      }
      return route.continue();
    });
    await email.fill('dora@example-mail.com');
    await inline().getByRole('button', {name: 'Subscribe'}).click();
    await expectText(message(), 'We could not reach the server. Check your connection and try again.');
    const retry = inline().getByRole('button', {name: 'Try again'});
    expect(await retry.isVisible()).toBe(true);
    await screenshot(page, 'inline-network-failure');
    await retry.click();
    await expectText(
      message(),
      'Almost done: confirm with the link in the email we send you. Already subscribed? Nothing more to do.',
    );
    expect(await email.isVisible()).toBe(false);
    await screenshot(page, 'inline-confirmation-sent');
    await t.settle();
    expect(member('dora@example-mail.com')?.status).toBe('pending');

    // A second submission for the same address within the window: rate limited.
    await page.reload();
    await inline().getByLabel('Email address').fill('dora@example-mail.com');
    await inline().getByLabel('Email address').press('Enter');
    await expectText(message(), 'Too many attempts. Please try again in a few minutes.');
    await screenshot(page, 'inline-rate-limited');
    expect(await storedEvidence()).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('works with the keyboard alone, with a visible focus ring, and moves focus to the result', async () => {
    await startConnector();
    await open('keyboard');
    const seen: string[] = [];
    for (let i = 0; i < 10 && (await focused()) !== 'inline#e'; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused());
    }
    expect(await focused()).toBe('inline#e');
    const outline = await inline()
      .locator('#e')
      .evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.type('kim@example-mail.com');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('inline#b');
    await screenshot(page, 'keyboard-focus-on-button');
    await page.keyboard.press('Enter');
    // Double opt-in, the default: the confirmation e-mail.
    await expectText(
      message(),
      'Almost done: confirm with the link in the email we send you. Already subscribed? Nothing more to do.',
    );
    expect(await focused()).toBe('inline#m');
    // WCAG AA contrast (4.5:1) of the default colours: the success message, the button, the fine print.
    for (const selector of ['#m', '#b', '#c']) {
      const ratio = await inline()
        .locator(selector)
        .evaluate((el) => {
          const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
          const lum = (c: string) => {
            const [r, g, b] = rgb(c).map((v) =>
              v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4,
            );
            return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
          };
          let bg = 'rgba(0, 0, 0, 0)';
          for (
            let node: Element | null = el;
            node && /rgba\(0, 0, 0, 0\)|transparent/.test(bg);
            node = node.parentElement ?? (node.getRootNode() as ShadowRoot).host ?? null
          ) {
            bg = getComputedStyle(node).backgroundColor;
          }
          if (/rgba\(0, 0, 0, 0\)/.test(bg)) bg = 'rgb(255, 255, 255)';
          const [a, b] = [lum(getComputedStyle(el).color), lum(bg)].sort((x, y) => y - x);
          return (a! + 0.05) / (b! + 0.05);
        });
      expect(ratio).toBeGreaterThanOrEqual(4.5);
    }
    // The honeypot is never reached by Tab.
    expect(seen).not.toContain('inline#');
    await t.settle();
    expect(member('kim@example-mail.com')?.status).toBe('pending');
  });

  it("speaks German from the message table, keeps its styles apart from the page, and takes the page's theme variables", async () => {
    await startConnector();
    await open('german', {lang: 'de'}, {css: HOSTILE_CSS});
    await expectText(inline().locator('h2'), 'Unser Newsletter');
    const email = inline().getByLabel('E-Mail-Adresse');
    await email.fill('falsch');
    await inline().getByRole('button', {name: 'Abonnieren'}).click();
    await expectText(message(), 'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.');
    await screenshot(page, 'inline-german-invalid');
    // The page's rules do not reach into the widget; its custom property does (the theme hook).
    const styles = await inline()
      .getByRole('button', {name: 'Abonnieren'})
      .evaluate((el) => {
        const s = getComputedStyle(el);
        return {background: s.backgroundColor, font: s.fontFamily, spacing: s.letterSpacing};
      });
    expect(styles.background).toBe('rgb(11, 110, 63)');
    expect(styles.font).not.toMatch(/^serif/);
    expect(styles.spacing).toBe('normal');
    // And the widget's rules do not reach the page.
    expect(await page.locator('#buy').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(255, 105, 180)',
    );
    expect(await page.locator('#host-text').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 0, 0)');
    await email.fill('ute@example.de');
    await email.press('Enter');
    await expectText(
      message(),
      'Fast geschafft: Bitte bestätigen Sie über den Link in unserer E-Mail. Schon abonniert? Dann ist nichts weiter zu tun.',
    );
    await screenshot(page, 'inline-german-confirmation-sent');
    await t.settle();
    expect((await storedEvidence())[0]).toMatchObject({
      locale: 'de',
      text: 'Mit dem Abonnieren willigen Sie ein, Marketing-E-Mails von uns zu erhalten. Sie können sich jederzeit abmelden.',
    });
  });

  it('adds an unticked checkbox to the checkout: unticked records nothing, ticked records consent without holding the submit, and the signed order makes it count', async () => {
    await startConnector();
    await open('checkout', {mode: 'checkbox', 'consent-version': 'checkout-2026-01'});
    const box = page.locator('[data-msb=checkbox]').getByLabel('Email me news and offers');
    expect(await box.isChecked()).toBe(false);
    await screenshot(page, 'checkout-checkbox-unticked');
    await page.locator('#email').fill('nina@example-mail.com');
    await page.locator('#buy').click();
    await page.waitForSelector('#done');
    expect(checkouts).toEqual([expect.objectContaining({email: 'nina@example-mail.com'})]);
    await t.settle();
    expect(await storedEvidence()).toEqual([]);
    expect(member('nina@example-mail.com')).toBeUndefined();

    await page.goBack();
    await page.waitForSelector('[data-msb=checkbox]', {state: 'attached'});
    await page.locator('#email').fill('omar@example-mail.com');
    await page.locator('[data-msb=checkbox]').getByLabel('Email me news and offers').check();
    await screenshot(page, 'checkout-checkbox-ticked');
    await page.locator('#buy').click();
    await page.waitForSelector('#done');
    expect(checkouts.map((c) => c.email)).toEqual(['nina@example-mail.com', 'omar@example-mail.com']);
    await waitFor(async () => (await storedEvidence()).length === 1, 'the consent beacon');
    await t.settle();
    // The beacon alone proves nothing (any script can send one): it waits for the shop's signed order.
    expect(member('omar@example-mail.com')).toBeUndefined();
    expect((await storedEvidence())[0]).toMatchObject({confirmation: 'awaiting_order'});
    const lines = [{id: '81', productId: null, variantId: null, title: 'Gift card', priceMinor: 25_00, quantity: 1}];
    expect(
      (
        await t.webhook(
          'orders/create',
          orderPayload({
            id: '8810001',
            email: 'omar@example-mail.com',
            lines,
            financialStatus: 'paid',
            updatedAt: new Date().toISOString(),
          }),
        )
      ).status,
    ).toBe(200);
    await t.settle();
    expect(member('omar@example-mail.com')?.status).toBe('subscribed');
    expect(member('omar@example-mail.com')?.tags.map((tag) => tag.name)).toContain('checkout-opt-in');
    expect((await storedEvidence())[0]).toMatchObject({
      confirmation: 'confirmed',
      confirmed_by_type: 'order',
      confirmed_by_id: '8810001',
      email: 'omar@example-mail.com',
      source: 'checkout_checkbox',
      text: 'Email me news and offers\nOptional. You can unsubscribe at any time.',
      text_version: 'checkout-2026-01',
      page: `${hostOrigin}/shop/checkout`,
    });
    expect(pageErrors).toEqual([]);
  });

  it('hands the landing attribution to a Shopify cart and to the checkout form, and keeps it for later pages', async () => {
    await startConnector();
    pages.set(
      'landing',
      hostPageHtml({widgetSrc: `${connectorOrigin}/widget.js`, data: {mode: 'checkbox', platform: 'shopify'}}),
    );
    await page.goto(
      `${hostOrigin}/shop/landing?mc_cid=0123abcdef&mc_eid=e1&utm_source=mailchimp&utm_campaign=winter&other=x`,
    );
    const attributes = {_mc_cid: '0123abcdef', _mc_eid: 'e1', _utm_source: 'mailchimp', _utm_campaign: 'winter'};
    await waitFor(() => cartUpdates.length === 1, 'the cart update');
    expect(cartUpdates).toEqual([{attributes}]);
    const hidden = () =>
      page
        .locator('#checkout input[type=hidden]')
        .evaluateAll((inputs) =>
          Object.fromEntries(inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value])),
        );
    expect(await hidden()).toEqual(
      Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attributes[${k}]`, v])),
    );
    // A later page without parameters: the kept attribution, and no second cart update.
    await page.goto(`${hostOrigin}/shop/landing`);
    await page.locator('#checkout input[name="attributes[_mc_cid]"]').waitFor({state: 'attached'});
    expect(await hidden()).toEqual(
      Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attributes[${k}]`, v])),
    );
    await page.locator('#email').fill('ivo@example-mail.com');
    await page.locator('#buy').click();
    await page.waitForSelector('#done');
    expect(checkouts[0]).toMatchObject({'attributes[_mc_cid]': '0123abcdef', email: 'ivo@example-mail.com'});
    expect(cartUpdates).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  });

  it('leaves the page and its checkout working when the connector cannot be reached', async () => {
    await startConnector();
    const dead = 'http://127.0.0.1:9';
    // The script itself does not load.
    await open('no-script', {}, {widgetSrc: `${dead}/widget.js`});
    await page.locator('#email').fill('pia@example-mail.com');
    await page.locator('#buy').click();
    await page.waitForSelector('#done');
    await screenshot(page, 'connector-down-no-script');

    // The script loads, the connector's API does not answer: the form says so, the checkout still goes through.
    await open('no-api', {endpoint: dead});
    await inline().getByLabel('Email address').fill('pia@example-mail.com');
    await inline().getByRole('button', {name: 'Subscribe'}).click();
    await expectText(message(), 'We could not reach the server. Check your connection and try again.');
    await screenshot(page, 'connector-down-inline');
    await page.locator('#email').fill('pia@example-mail.com');
    await page.locator('[data-msb=checkbox]').getByLabel('Email me news and offers').check();
    await page.locator('#buy').click();
    await page.waitForSelector('#done');
    expect(checkouts.map((c) => c.email)).toEqual(['pia@example-mail.com', 'pia@example-mail.com']);
    expect(pageErrors).toEqual([]);
    expect(await storedEvidence()).toEqual([]);
  });
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({hasText: text}).waitFor({timeout: 10_000});
  expect((await locator.textContent())?.trim()).toBe(text);
}
