import {randomBytes} from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import type {ShopifySandbox} from '../../sandbox/shopify/index.js';
import {topicEnum} from '../../sandbox/shopify/webhooks/webhook-subscriptions.js';
import {SHOP_CURRENCY} from '../../connector/src/shopify-admin/documents/shop-documents.js';
import {appTomlTopics} from '../../connector/src/shopify/app-toml.js';
import {TEST_POSTGRES_URL} from '../support/databases.js';
import {eventually} from '../support/eventually.js';
import {
  APP_KEY,
  APP_SECRET,
  approve,
  beginInstall,
  callback,
  INSTALL_PUBLIC_URL,
  installShop,
  setCookie,
  signCallback,
  startAppShopify,
  startInstallConnector,
  type InstallConnector,
} from '../support/install.js';
import {startTestConnector} from '../support/connector.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {describeWithService, POSTGRES} from '../support/services.js';
import {signWebhook} from '../support/shopify-webhooks.js';

const CALLBACK_URL = `${INSTALL_PUBLIC_URL}/webhooks/shopify`;

/** What the stand-in holds for the connector's callback URL, as REST topics. */
function subscribedTopics(shopify: ShopifySandbox): string[] {
  const byEnum = new Map(appTomlTopics().map((topic) => [topicEnum(topic), topic]));
  return shopify.webhookSubscriptions
    .all()
    .filter((s) => s.callbackUrl === CALLBACK_URL)
    .map((s) => byEnum.get(s.topic) ?? s.topic)
    .sort();
}

describe('Shopify app install (multi-shop mode)', () => {
  let mailchimp: TestSandbox;
  beforeAll(async () => {
    mailchimp = await startTestSandbox();
  });
  afterAll(async () => {
    await mailchimp.close();
  });

  const open: InstallConnector[] = [];
  const shopifys: ShopifySandbox[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    for (const s of shopifys.splice(0)) await s.close();
    jest.restoreAllMocks();
  });
  const start = async (options: {now?: () => Date} = {}) => {
    const shopify = await startAppShopify();
    shopifys.push(shopify);
    const app = await startInstallConnector({shopify, mailchimp, ...options});
    open.push(app);
    return app;
  };

  it('installs a shop: sealed expiring token, webhook subscriptions for every topic, a session, /app', async () => {
    const {connector, shopify} = await start();
    const installed = await installShop(connector, shopify);

    expect(installed.response.headers.location).toBe('/app');
    const session = setCookie(installed.response, 'msb_session')!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Max-Age=3600/);
    // shopify-api's own session cookie is not passed on (the connector has its own).
    expect(setCookie(installed.response, 'shopify_app_session')).toBeUndefined();

    const connection = (await connector.connections.byId(installed.connectionId))!;
    expect(connection).toMatchObject({
      shopDomain: shopify.shopDomain,
      platform: 'shopify',
      status: 'active',
      installSource: 'app',
      mailchimpStatus: 'not_connected',
    });
    const credentials = (await connector.connections.shopifyCredentials(connection.id))!;
    expect(credentials).toMatchObject({
      apiSecret: APP_SECRET,
      accessToken: expect.stringMatching(/^shpat_/),
      refreshToken: expect.stringMatching(/^shprt_/),
      scope: expect.stringContaining('read_all_orders'),
      adminUrl: shopify.adminUrl,
    });
    const expiresIn = Date.parse(credentials.accessTokenExpiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);

    // Sealed at rest: the row's bytes contain neither token nor the app secret.
    const row = JSON.stringify(await connector.store.db.selectFrom('connections').selectAll().execute());
    expect(row).not.toContain(credentials.accessToken);
    expect(row).not.toContain(credentials.refreshToken);
    expect(row).not.toContain(APP_SECRET);

    expect(subscribedTopics(shopify)).toEqual([...appTomlTopics()].sort());
    expect(connection.shopifyWebhooks).toMatchObject({
      callbackUrl: CALLBACK_URL,
      missing: [],
      subscribed: appTomlTopics(),
      created: appTomlTopics(),
    });
    // The compliance topics are app-level (the TOML), never per shop.
    expect(appTomlTopics()).not.toContain('shop/redact');
  });

  it('refuses a shop that is not <name>.myshopify.com, and answers 404 without the app configured', async () => {
    const {connector} = await start();
    for (const shop of ['', 'evil.example.com', 'https://x.myshopify.com', 'a_b.myshopify.com']) {
      const response = await request(connector.app).get('/shopify/install').query({shop});
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const single = await startTestConnector();
    try {
      const response = await single.http().get('/shopify/install').query({shop: 'a.myshopify.com'});
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await single.http().get('/shopify/callback')).status).toBe(404);
    } finally {
      await single.close();
    }
  });

  it('renews the session of an installed shop that Shopify opens (signed request), never for an unsigned one', async () => {
    const {connector, shopify, http} = await start();
    const installed = await installShop(connector, shopify);
    const signed = signCallback(
      new URLSearchParams({shop: shopify.shopDomain, timestamp: String(Math.floor(Date.now() / 1000))}),
    );
    const renewed = await http().get(`/shopify/install?${signed}`);
    expect(renewed.status).toBe(302);
    expect(renewed.headers.location).toBe('/app');
    expect(setCookie(renewed, 'msb_session')).toBeDefined();
    expect(installed.connectionId).toBe((await connector.connections.byShopDomain(shopify.shopDomain))!.id);
    // Shopify opens the TOML's application_url (/app) with the same signed query: it goes through /shopify/install.
    const launched = await http().get(`/app?${signed}`);
    expect(launched.status).toBe(302);
    expect(launched.headers.location).toBe(`/shopify/install?${signed}`);

    const unsigned = await http().get('/shopify/install').query({shop: shopify.shopDomain});
    expect(unsigned.status).toBe(302);
    expect(unsigned.headers.location).toContain('/admin/oauth/authorize');
    expect(setCookie(unsigned, 'msb_session')).toBeUndefined();
  });

  describe('forged or broken callbacks are refused and store nothing', () => {
    const expectNothingStored = async (app: InstallConnector) => {
      expect(await app.connector.connections.all()).toEqual([]);
      expect(app.shopify.webhookSubscriptions.all()).toEqual([]);
    };

    it('a bad hmac', async () => {
      const app = await start();
      const begun = await beginInstall(app.connector, app.shopify.shopDomain);
      const back = await approve(begun.authorizeUrl);
      back.searchParams.set('hmac', 'f'.repeat(64));
      const response = await callback(app.connector, back, begun.cookies);
      expect(response.status).toBe(403);
      expect(response.body.type).toMatch(/oauth-invalid$/);
      await expectNothingStored(app);
    });

    it('a wrong state (signed correctly)', async () => {
      const app = await start();
      const begun = await beginInstall(app.connector, app.shopify.shopDomain);
      const back = await approve(begun.authorizeUrl);
      const params = new URLSearchParams(back.search);
      params.set('state', 'someone-elses-state');
      const forged = new URL(`${back.origin}${back.pathname}?${signCallback(params)}`);
      const response = await callback(app.connector, forged, begun.cookies);
      expect(response.status).toBe(403);
      await expectNothingStored(app);
    });

    it('no state cookie (neither ours nor shopify-api’s), or only ours', async () => {
      const app = await start();
      const begun = await beginInstall(app.connector, app.shopify.shopDomain);
      const back = await approve(begun.authorizeUrl);
      const none = await callback(app.connector, back, []);
      expect(none.status).toBe(403);
      expect(none.body.type).toMatch(/install-not-begun$/);
      const ours = begun.cookies.filter((pair) => pair.startsWith('msb_shopify_install='));
      expect(ours).toHaveLength(1);
      const onlyOurs = await callback(app.connector, back, ours);
      expect(onlyOurs.status).toBe(403);
      expect(onlyOurs.body.type).toMatch(/oauth-state-missing$/);
      await expectNothingStored(app);
    });

    it('a callback for another shop than the install was begun for', async () => {
      const app = await start();
      // Begun for another shop; the stand-in answers for its own shop with the same state.
      const begun = await beginInstall(app.connector, 'another-shop.myshopify.com');
      const back = await approve(begun.authorizeUrl);
      expect(back.searchParams.get('shop')).toBe(app.shopify.shopDomain);
      const response = await callback(app.connector, back, begun.cookies);
      expect(response.status).toBe(403);
      expect(response.body.type).toMatch(/install-not-begun$/);
      await expectNothingStored(app);
    });

    it('a code Shopify refuses to exchange', async () => {
      const app = await start();
      const begun = await beginInstall(app.connector, app.shopify.shopDomain);
      const back = await approve(begun.authorizeUrl);
      // Someone used the code first.
      app.shopify.auth!.exchangeCode({
        client_id: APP_KEY,
        client_secret: APP_SECRET,
        code: back.searchParams.get('code'),
      });
      const response = await callback(app.connector, back, begun.cookies);
      expect(response.status).toBe(400);
      expect(response.body.type).toMatch(/oauth-token-refused$/);
      await expectNothingStored(app);
    });
  });

  it('refreshes a token about to expire once, before use, and stores the rotated refresh token', async () => {
    let offsetMs = 0;
    const app = await start({now: () => new Date(Date.now() + offsetMs)});
    const installed = await installShop(app.connector, app.shopify);
    const before = (await app.connector.connections.shopifyCredentials(installed.connectionId))!;
    const refresh = jest.spyOn(app.shopify.auth!, 'refresh');

    // Both clocks pass the expiry: the connector refreshes before asking (no 401 needed).
    app.shopify.advanceClock(3700);
    offsetMs = 3700_000;
    const client = (await app.connector.install.adminClientFor(installed.connectionId))!;
    const [a, b] = await Promise.all([client.query(SHOP_CURRENCY, {}), client.query(SHOP_CURRENCY, {})]);
    expect(a.shop.currencyCode).toBe('USD');
    expect(b.shop.currencyCode).toBe('USD');
    expect(refresh).toHaveBeenCalledTimes(1);

    const after = (await app.connector.connections.shopifyCredentials(installed.connectionId))!;
    const granted = refresh.mock.results[0]!.value as {access_token: string; refresh_token: string};
    expect(after.accessToken).toBe(granted.access_token);
    expect(after.refreshToken).toBe(granted.refresh_token);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(Date.parse(after.accessTokenExpiresAt!)).toBeGreaterThan(Date.now() + offsetMs + 3500_000);
    // A later use needs no refresh.
    await client.query(SHOP_CURRENCY, {});
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('refreshes once after a 401 and retries with the new token', async () => {
    const app = await start();
    const installed = await installShop(app.connector, app.shopify);
    const refresh = jest.spyOn(app.shopify.auth!, 'refresh');
    // Only Shopify's clock passes the expiry: the connector learns it from the 401.
    app.shopify.advanceClock(3700);
    const client = (await app.connector.install.adminClientFor(installed.connectionId))!;
    expect((await client.query(SHOP_CURRENCY, {})).shop.currencyCode).toBe('USD');
    expect(refresh).toHaveBeenCalledTimes(1);
    const stored = (await app.connector.connections.shopifyCredentials(installed.connectionId))!;
    expect(app.shopify.auth!.accepts(stored.accessToken!)).toBe(true);
  });

  it('takes over a refresh whose lease a dead process left behind, once the lease lapses', async () => {
    const app = await start();
    const installed = await installShop(app.connector, app.shopify);
    const refresh = jest.spyOn(app.shopify.auth!, 'refresh');
    // Another process claimed the refresh and died before finishing it.
    const now = Date.now();
    const {connections} = app.connector;
    expect(
      await connections.claimShopifyRefresh(
        installed.connectionId,
        new Date(now + 600).toISOString(),
        new Date(now).toISOString(),
      ),
    ).toBe(true);
    app.shopify.advanceClock(3700);
    const client = (await app.connector.install.adminClientFor(installed.connectionId))!;
    expect((await client.query(SHOP_CURRENCY, {})).shop.currencyCode).toBe('USD');
    expect(Date.now() - now).toBeGreaterThanOrEqual(500);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('repairs a missing webhook subscription on the periodic check, leaving other addresses alone', async () => {
    const app = await start();
    const installed = await installShop(app.connector, app.shopify);
    const subscriptions = app.shopify.webhookSubscriptions;
    const gone = subscriptions.all().find((s) => s.topic === 'CUSTOMERS_UPDATE')!;
    subscriptions.delete(gone.id);
    subscriptions.add(
      {
        topic: 'CUSTOMERS_UPDATE',
        callbackUrl: 'https://other-app.example/hooks',
        format: 'JSON',
        includeFields: [],
        filter: null,
        apiVersion: '2026-01',
      },
      Date.now(),
    );
    expect(subscribedTopics(app.shopify)).not.toContain('customers/update');

    await app.connector.install.checkWebhooks();
    expect(subscribedTopics(app.shopify)).toEqual([...appTomlTopics()].sort());
    expect(subscriptions.all().filter((s) => s.callbackUrl === 'https://other-app.example/hooks')).toHaveLength(1);
    const connection = (await app.connector.connections.byId(installed.connectionId))!;
    expect(connection.shopifyWebhooks).toMatchObject({created: ['customers/update'], missing: []});
  });

  it('app/uninstalled pauses the shop and drops its tokens; installing again re-activates it', async () => {
    const app = await start();
    const installed = await installShop(app.connector, app.shopify);
    const body = JSON.stringify({id: 1, myshopify_domain: app.shopify.shopDomain, name: 'Sandbox'});
    const signed = signWebhook(APP_SECRET, app.shopify.shopDomain, 'app/uninstalled', body);
    const delivered = await app.http().post('/webhooks/shopify').set(signed.headers).send(signed.body);
    expect(delivered.status).toBe(200);
    await eventually(async () =>
      (await app.connector.connections.byId(installed.connectionId))!.status === 'uninstalled' ? true : undefined,
    );
    expect(await app.connector.connections.shopifyCredentials(installed.connectionId)).toEqual({apiSecret: APP_SECRET});
    expect(await app.connector.install.adminClientFor(installed.connectionId)).toBeUndefined();

    const again = await installShop(app.connector, app.shopify);
    expect(again.connectionId).toBe(installed.connectionId);
    expect((await app.connector.connections.byId(installed.connectionId))!.status).toBe('active');
    const client = (await app.connector.install.adminClientFor(installed.connectionId))!;
    expect((await client.query(SHOP_CURRENCY, {})).shop.currencyCode).toBe('USD');
  });
});

describeWithService(POSTGRES, 'Shopify token refresh: two processes on one Postgres', () => {
  it('refreshes exactly once and both processes use the new token', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const shopify = await startAppShopify();
    const mailchimp = await startTestSandbox();
    const first = await startInstallConnector({
      shopify,
      mailchimp,
      databaseUrl: TEST_POSTGRES_URL,
      databaseSchema: schema,
    });
    const second = await startInstallConnector({
      shopify,
      mailchimp,
      databaseUrl: TEST_POSTGRES_URL,
      databaseSchema: schema,
      encryptionKey: first.encryptionKey,
    });
    try {
      const installed = await installShop(first.connector, shopify);
      const refresh = jest.spyOn(shopify.auth!, 'refresh');
      shopify.advanceClock(3700);
      const clients = await Promise.all(
        [first, second].map(async (app) => (await app.connector.install.adminClientFor(installed.connectionId))!),
      );
      // Several requests in each process at once, all finding the token expired (401).
      const answers = await Promise.all(
        [0, 1, 2].flatMap(() => clients.map((client) => client.query(SHOP_CURRENCY, {}))),
      );
      for (const answer of answers) expect(answer.shop.currencyCode).toBe('USD');
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(first.connector.install.tokens.refreshes + second.connector.install.tokens.refreshes).toBe(1);
      const granted = refresh.mock.results[0]!.value as {access_token: string; refresh_token: string};
      for (const app of [first, second]) {
        const stored = (await app.connector.connections.shopifyCredentials(installed.connectionId))!;
        expect(stored.accessToken).toBe(granted.access_token);
        expect(stored.refreshToken).toBe(granted.refresh_token);
        expect(await app.connector.install.tokens.accessToken(installed.connectionId)).toBe(granted.access_token);
      }
    } finally {
      jest.restoreAllMocks();
      await first.close();
      await second.close();
      await shopify.close();
      await mailchimp.close();
      const client = new pg.Client({connectionString: TEST_POSTGRES_URL});
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
