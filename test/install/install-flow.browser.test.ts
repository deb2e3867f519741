import {createServer, type Server} from 'node:http';
import type {Browser} from 'playwright-core';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import type {ListRecord} from '../../sandbox/mailchimp/core/state.js';
import type {ShopifySandbox} from '../../sandbox/shopify/index.js';
import {adminRequest} from '../../sandbox/shopify/testing/admin-request.js';
import {shopWebhookTopics} from '../../connector/src/install/webhook-subscriptions.js';
import {launchChromium, listenLocal, screenshot} from '../support/browser.js';
import {eventually} from '../support/eventually.js';
import {startInstallConnector, startAppShopify, type InstallConnector} from '../support/install.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {CHROMIUM, describeWithService} from '../support/services.js';

const SHOP = 'flow-shop.myshopify.com';
const MC_CLIENT = {clientId: 'flow-mailchimp-app', clientSecret: 'flow-mailchimp-secret-0123456789'};

const CUSTOMER_CREATE = `mutation Create($input: CustomerInput!) {
  customerCreate(input: $input) { customer { id } userErrors { field message } }
}`;
const SUBSCRIPTIONS = `query List($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    nodes { topic endpoint { ... on WebhookHttpEndpoint { callbackUrl } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * The whole front door in a browser, as a merchant goes through it: install from /shopify/install (the Shopify
 * stand-in approves at once) → the shop's page → Connect Mailchimp (the sandbox's OAuth, approved at once) → audience
 * chosen → initial sync to the end → the stand-in holds a subscription for every topic → a customer who signs up
 * with the box ticked in Shopify reaches Mailchimp subscribed, through the webhooks the connector registered.
 */
describeWithService(CHROMIUM, 'install and connect end to end in Chromium', () => {
  let mailchimp: TestSandbox;
  let shopify: ShopifySandbox;
  let list: ListRecord;
  let ic: InstallConnector;
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    mailchimp = await startTestSandbox({oauthClients: [MC_CLIENT], oauthAutoApprove: true});
    createListRecord(mailchimp.sandbox.state, {name: 'Old list', double_optin: false});
    list = createListRecord(mailchimp.sandbox.state, {name: 'Flow customers', double_optin: false});
    shopify = await startAppShopify({shopDomain: SHOP, seed: 31, products: 3, customers: 5, orders: 6});
    ic = await startInstallConnector({
      shopify,
      mailchimp,
      env: {
        MAILCHIMP_CLIENT_ID: MC_CLIENT.clientId,
        MAILCHIMP_CLIENT_SECRET: MC_CLIENT.clientSecret,
        MAILCHIMP_OAUTH_URL: `${mailchimp.sandbox.origin()}/oauth2`,
      },
    });
    server = createServer(ic.connector.app).listen(0, '127.0.0.1');
    origin = await listenLocal(server);
    // Shopify and Mailchimp redirect the browser back here, and Shopify delivers the webhooks here.
    ic.connector.setPublicUrl(origin);
    ic.connector.start();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ic?.close();
    await shopify?.close();
    await mailchimp?.close();
  });

  it('installs, connects Mailchimp, chooses the audience, syncs, and a new customer with consent arrives subscribed', async () => {
    // @shopify/shopify-api refuses to begin an install for a bot's user agent (isbot), and "HeadlessChrome" is one:
    // the merchant's browser says Chrome.
    const context = await browser.newContext({
      viewport: {width: 390, height: 844},
      userAgent: (
        await browser.newPage().then(async (p) => {
          const ua = await p.evaluate(() => navigator.userAgent);
          await p.close();
          return ua;
        })
      ).replace('HeadlessChrome', 'Chrome'),
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });

    // 1. Install: /shopify/install → the stand-in's authorize (auto-approve) → /shopify/callback → /app.
    await page.goto(`${origin}/shopify/install?shop=${SHOP}`);
    await page.waitForURL(`${origin}/app`);
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.textContent('#shop-name')).toBe(SHOP);
    await screenshot(page, 'install-flow-1-installed-390');
    const connection = (await ic.connector.connections.byShopDomain(SHOP))!;
    expect(connection).toMatchObject({installSource: 'app', mailchimpStatus: 'not_connected', status: 'active'});

    // 2. Connect Mailchimp: /mailchimp/connect → the sandbox's authorize (auto-approve) → /mailchimp/callback → /app.
    await page.click('#connect-link');
    await page.waitForURL(`${origin}/app`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.waitForSelector(`#list option[value="${list.id}"]`, {state: 'attached'});
    expect((await ic.connector.connections.byId(connection.id))!.mailchimpStatus).toBe('connected');
    await screenshot(page, 'install-flow-2-mailchimp-connected-390');

    // 3. The audience, then the initial sync to the end.
    await page.selectOption('#list', list.id);
    // Double opt-in is on by default; this merchant chooses single opt-in, so a ticked box in Shopify subscribes.
    expect(await page.isChecked('#double-opt-in')).toBe(true);
    await page.uncheck('#double-opt-in');
    await page.click('#save');
    await page.waitForSelector('#setup-status:text("Saved.")');
    await screenshot(page, 'install-flow-3-audience-chosen-390');
    await page.click('#start-sync');
    await page.waitForSelector('#sync-summary:has-text("Initial sync finished")', {timeout: 60_000});
    await screenshot(page, 'install-flow-4-synced-390');
    await page.setViewportSize({width: 1280, height: 900});
    await screenshot(page, 'install-flow-4-synced-1280');

    // 4. The stand-in holds one subscription per topic, at this connector's address.
    const subscribed: string[] = [];
    let after: string | null = null;
    for (;;) {
      const reply = await adminRequest(shopify, SUBSCRIPTIONS, {after});
      const page = reply.body.data.webhookSubscriptions;
      for (const node of page.nodes)
        if (node.endpoint.callbackUrl === `${origin}/webhooks/shopify`) subscribed.push(node.topic);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const wanted = shopWebhookTopics().map((t) => t.toUpperCase().replace(/\//g, '_'));
    expect(subscribed.sort()).toEqual([...wanted].sort());

    // 5. A customer signs up in Shopify with the box ticked: customers/create, then the consent topic, reach the
    //    connector through those subscriptions, and the person is subscribed in the chosen audience.
    const email = 'flow.signup@example-mail.com';
    const created = await adminRequest(shopify, CUSTOMER_CREATE, {
      input: {email, firstName: 'Flo', emailMarketingConsent: {marketingState: 'SUBSCRIBED'}},
    });
    expect(created.body.data.customerCreate.userErrors).toEqual([]);
    const member = await eventually(async () => {
      const m = mailchimp.sandbox.state.lists.get(list.id)?.members.get(subscriberHash(email));
      return m?.status === 'subscribed' ? m : undefined;
    }, 30_000).catch((err: unknown) => {
      const m = mailchimp.sandbox.state.lists.get(list.id)?.members.get(subscriberHash(email));
      throw new Error(`${String(err)}; the member: ${m ? m.status : 'absent'}`);
    });
    expect(member).toMatchObject({email_address: email, status: 'subscribed'});
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
