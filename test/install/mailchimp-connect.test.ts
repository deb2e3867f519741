import request from 'supertest';
import {pino} from 'pino';
import {loadConfig} from '../../connector/src/config/config.js';
import {createConnector, type Connector} from '../../connector/src/app/connector.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import type {Connection, MailchimpCredentials} from '../../connector/src/store/connections-repository.js';
import {accessTokenOf} from '../../sandbox/mailchimp/core/credentials.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {subscriberHash, type ListRecord} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {customerPayload, signWebhook} from '../support/shopify-webhooks.js';

/**
 * Connecting an installed shop's Mailchimp account (issue #14) end to end: the connector over SQLite, the Mailchimp
 * sandbox with an OAuth client and auto-approve, the redirect chain followed by hand from each Location header.
 */

const CLIENT = {clientId: 'connector-client', clientSecret: 'connector-client-secret-0123456789'};
const ADMIN_TOKEN = 'install-admin-token-0123456789abcdef';
const APP_SECRET = 's';
const SHOP = 'x.myshopify.com';
const OTHER_SHOP = 'y.myshopify.com';
const PUBLIC_URL = 'http://127.0.0.1:3999';

interface AppConnector {
  connector: Connector;
  sandbox: TestSandbox;
  list: ListRecord;
  http(): ReturnType<typeof request>;
  /** Installs a shop the way the Shopify callback does, and gives its session cookie header. */
  install(shop: string): Promise<{connection: Connection; cookie: string}>;
  close(): Promise<void>;
}

/** A connector in multi-shop mode (no SHOPIFY_SHOP), with Mailchimp OAuth pointed at the sandbox. */
async function startAppConnector(options: {oauth?: boolean} = {}): Promise<AppConnector> {
  const sandbox = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
  const list = createListRecord(sandbox.sandbox.state, {name: 'Install audience', double_optin: false});
  const config = loadConfig({
    DATABASE_URL: 'sqlite::memory:',
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    SHOPIFY_API_KEY: 'app-client-id',
    SHOPIFY_API_SECRET: APP_SECRET,
    ...(options.oauth === false
      ? {}
      : {
          MAILCHIMP_CLIENT_ID: CLIENT.clientId,
          MAILCHIMP_CLIENT_SECRET: CLIENT.clientSecret,
          MAILCHIMP_OAUTH_URL: `${sandbox.sandbox.origin()}/oauth2`,
        }),
    // Pasted keys are checked and used against the sandbox.
    MAILCHIMP_BASE_URL: sandbox.baseUrl,
    PUBLIC_URL,
    SYNC_POLL_MS: '20',
    SHOP_CURRENCY_WAIT_SECONDS: '0',
    ENCRYPTION_KEY: SecretBox.generateKey(),
  });
  const connector = await createConnector({
    config,
    logger: pino({level: 'silent'}),
    box: SecretBox.fromBase64(config.ENCRYPTION_KEY!),
    worker: {retryBaseMs: 10, retryCapMs: 200, maxAttempts: 30},
    mailchimpRetry: {baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 4, rateLimitPauseMs: 20},
  });
  return {
    connector,
    sandbox,
    list,
    http: () => request(connector.app),
    async install(shop) {
      const connection = await connector.connections.installShop(shop, {apiSecret: APP_SECRET}, iso());
      const value = connector.install.context.cookies.sign({shop, connectionId: connection.id}, 600);
      return {connection, cookie: `msb_session=${value}`};
    },
    async close() {
      await connector.stop();
      await sandbox.close();
    },
  };
}

const iso = () => new Date().toISOString();

/** `name=value` of a Set-Cookie header of a response. */
function cookieOf(res: request.Response, name: string): string | undefined {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const line = raw?.find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0];
}

describe('Mailchimp connect (OAuth 2, API key) and reconnect needed', () => {
  let t: AppConnector;
  afterEach(async () => {
    await t?.close();
  });

  /** Starts a connect for a session: the state cookie and Mailchimp's authorize URL. */
  async function begin(cookie: string): Promise<{stateCookie: string; authorize: URL}> {
    const res = await t.http().get('/mailchimp/connect').set('Cookie', cookie);
    expect(res.status).toBe(302);
    const stateCookie = cookieOf(res, 'msb_mc_state');
    expect(stateCookie).toBeDefined();
    return {stateCookie: stateCookie!, authorize: new URL(res.headers.location as string)};
  }

  /** Mailchimp's side (auto-approve): the callback URL it sends the browser back to. */
  async function approve(authorize: URL): Promise<URL> {
    const res = await request(authorize.origin).get(authorize.pathname + authorize.search);
    expect(res.status).toBe(302);
    return new URL(res.headers.location as string);
  }

  const callback = (url: URL, cookies: string[]) =>
    t
      .http()
      .get(url.pathname + url.search)
      .set('Cookie', cookies.join('; '));

  /** The whole round trip: connect → Mailchimp → callback → /app. */
  async function connectWithOAuth(cookie: string): Promise<void> {
    const {stateCookie, authorize} = await begin(cookie);
    const back = await approve(authorize);
    const res = await callback(back, [cookie, stateCookie]);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/app');
  }

  async function chooseAudience(connection: Connection): Promise<void> {
    await t.connector.connections.chooseAudience(connection.id, {listId: t.list.id, doubleOptIn: false}, iso());
  }

  async function customerWebhook(shop: string, id: string, email: string): Promise<void> {
    const signed = signWebhook(
      APP_SECRET,
      shop,
      'customers/create',
      customerPayload({
        id,
        email,
        updatedAt: iso(),
        consent: {state: 'subscribed', updatedAt: iso()},
      }),
    );
    const res = await t.http().post('/webhooks/shopify').set(signed.headers).send(signed.body);
    expect(res.status).toBe(200);
  }

  const member = (email: string) => t.list.members.get(subscriberHash(email));
  const records = (connectionId: string) =>
    t.connector.store.db.selectFrom('sync_state').selectAll().where('connection_id', '=', connectionId).execute();
  const deadLetters = () => t.connector.store.db.selectFrom('dead_letters').selectAll().execute();
  const rawRow = async (id: string) =>
    JSON.stringify(
      await t.connector.store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst(),
    );
  const oauthToken = async (id: string) => {
    const credentials = await t.connector.connections.mailchimpCredentials(id);
    if (credentials.kind !== 'oauth') throw new Error('expected OAuth credentials');
    return credentials;
  };
  const status = async () =>
    (await t.http().get('/v1/sync/status').set('Authorization', `Bearer ${ADMIN_TOKEN}`)).body as {
      connections: Array<{shop: string; mailchimp: {status: string; detail: string | null}}>;
    };
  const metrics = async () => (await t.http().get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`)).text;

  it('connects through OAuth: state cookie, authorize URL, code exchange, metadata; the token is sealed and used as Bearer', async () => {
    t = await startAppConnector();
    const {connection, cookie} = await t.install(SHOP);
    expect(connection.mailchimpStatus).toBe('not_connected');

    const {stateCookie, authorize} = await begin(cookie);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${t.sandbox.sandbox.origin()}/oauth2/authorize`);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/mailchimp/callback`);
    const state = authorize.searchParams.get('state');
    expect(state).toMatch(/^[\w-]{20,}$/);
    expect(authorize.toString()).not.toContain(CLIENT.clientSecret);

    const back = await approve(authorize);
    expect(back.searchParams.get('state')).toBe(state);
    const res = await callback(back, [cookie, stateCookie]);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/app');
    // The state cookie served its one round trip.
    expect(cookieOf(res, 'msb_mc_state')).toBe('msb_mc_state=');

    const connected = (await t.connector.connections.byId(connection.id))!;
    expect(connected.mailchimpStatus).toBe('connected');
    expect(connected.mailchimpAccountName).toBe('Mailchimp Sandbox');
    const credentials = await oauthToken(connection.id);
    expect(credentials).toMatchObject({kind: 'oauth', dc: 'us1', baseUrl: `${t.sandbox.sandbox.origin()}/3.0`});
    // Sealed at rest: the raw row holds neither the token nor the client secret.
    const raw = await rawRow(connection.id);
    expect(raw).not.toContain(credentials.accessToken);
    expect(raw).not.toContain(CLIENT.clientSecret);

    // The sync uses the token (the sandbox takes a token only as Bearer/OAuth, never as Basic).
    await chooseAudience(connected);
    await customerWebhook(SHOP, '7001', 'ada@connect.test');
    await t.connector.settle();
    expect(member('ada@connect.test')?.status).toBe('subscribed');
    expect(await deadLetters()).toEqual([]);
  });

  it("refuses a callback with a wrong state, without the state cookie, with another shop's state, or access_denied: nothing stored", async () => {
    t = await startAppConnector();
    const a = await t.install(SHOP);
    const b = await t.install(OTHER_SHOP);

    const expectRefused = async (res: request.Response, status: number, slug: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((res.body as {type: string}).type).toMatch(new RegExp(`/${slug}$`));
      expect(res.headers.location).toBeUndefined();
      expect(res.text).not.toContain(CLIENT.clientSecret);
    };

    // A state that is not the cookie's nonce.
    {
      const {stateCookie, authorize} = await begin(a.cookie);
      const back = await approve(authorize);
      back.searchParams.set('state', 'forged-state-value-0123456789');
      await expectRefused(await callback(back, [a.cookie, stateCookie]), 400, 'invalid-state');
    }
    // No state cookie (the callback did not start in this browser).
    {
      const {authorize} = await begin(a.cookie);
      const back = await approve(authorize);
      await expectRefused(await callback(back, [a.cookie]), 400, 'invalid-state');
    }
    // Another shop's round trip (its state cookie and state) delivered to this shop's session.
    {
      const {stateCookie, authorize} = await begin(b.cookie);
      const back = await approve(authorize);
      await expectRefused(await callback(back, [a.cookie, stateCookie]), 400, 'invalid-state');
    }
    // The merchant cancelled at Mailchimp.
    {
      const {stateCookie, authorize} = await begin(a.cookie);
      const denied = new URL(`${PUBLIC_URL}/mailchimp/callback`);
      denied.searchParams.set('error', 'access_denied');
      denied.searchParams.set('state', authorize.searchParams.get('state')!);
      await expectRefused(await callback(denied, [a.cookie, stateCookie]), 403, 'mailchimp-authorization-denied');
      // A browser gets a small page that links back to the shop's page.
      const page = await callback(denied, [a.cookie, stateCookie]).set('Accept', 'text/html,*/*;q=0.8');
      expect(page.status).toBe(403);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('href="/app"');
    }
    // No session at all.
    expect((await t.http().get('/mailchimp/connect')).status).toBe(401);
    expect((await t.http().get('/mailchimp/callback?code=x&state=y')).status).toBe(401);

    for (const id of [a.connection.id, b.connection.id]) {
      const connection = (await t.connector.connections.byId(id))!;
      expect(connection.mailchimpStatus).toBe('not_connected');
      expect(connection.mailchimpAccountName).toBeUndefined();
      expect(await t.connector.connections.mailchimpCredentialsIfConnected(id)).toBeUndefined();
    }
  });

  it('without MAILCHIMP_CLIENT_ID, /mailchimp/connect answers 404 problem+json pointing to the API key', async () => {
    t = await startAppConnector({oauth: false});
    const {cookie} = await t.install(SHOP);
    const res = await t.http().get('/mailchimp/connect').set('Cookie', cookie);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body as {detail: string}).detail).toMatch(/API key/);
  });

  it('stores a pasted API key only after Mailchimp accepted it on /ping; a wrong one gets 422 naming the answer', async () => {
    t = await startAppConnector();
    const {connection, cookie} = await t.install(SHOP);
    const paste = (body: unknown, type = 'application/json') =>
      t
        .http()
        .post('/app/api/mailchimp/api-key')
        .set('Cookie', cookie)
        .set('Content-Type', type)
        .send(typeof body === 'string' ? body : JSON.stringify(body));

    const wrongKey = 'abcdef0123456789abcdef0123456789-us1';
    const wrong = await paste({api_key: wrongKey});
    expect(wrong.status).toBe(422);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((wrong.body as {detail: string}).detail).toMatch(/401.*API Key Invalid/);
    expect(wrong.text).not.toContain(wrongKey);

    const malformed = await paste({api_key: 'not a key'});
    expect(malformed.status).toBe(422);
    expect((malformed.body as {errors: Array<{field: string}>}).errors[0]?.field).toBe('api_key');
    expect((await paste(`{"api_key": "${wrongKey}`)).text).not.toContain(wrongKey);
    expect((await paste(`api_key=${wrongKey}`, 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await t.http().post('/app/api/mailchimp/api-key').send({api_key: t.sandbox.apiKey})).status).toBe(401);
    expect((await t.connector.connections.byId(connection.id))!.mailchimpStatus).toBe('not_connected');

    const good = await paste({api_key: t.sandbox.apiKey});
    expect(good.status).toBe(200);
    expect(good.body).toEqual({mailchimp: {status: 'connected', account: 'Mailchimp Sandbox', dc: 'us1'}});
    expect(good.text).not.toContain(t.sandbox.apiKey);
    const connected = (await t.connector.connections.byId(connection.id))!;
    expect(connected.mailchimpStatus).toBe('connected');
    expect(await t.connector.connections.mailchimpCredentials(connection.id)).toEqual({
      kind: 'api_key',
      apiKey: t.sandbox.apiKey,
      baseUrl: t.sandbox.baseUrl,
    });
    expect(await rawRow(connection.id)).not.toContain(t.sandbox.apiKey);

    await chooseAudience(connected);
    await customerWebhook(SHOP, '7101', 'key@connect.test');
    await t.connector.settle();
    expect(member('key@connect.test')?.status).toBe('subscribed');
  });

  it('a revoked token pauses the shop (reconnect needed, queue kept, attempts untouched); reconnecting drains it', async () => {
    t = await startAppConnector();
    const {connection, cookie} = await t.install(SHOP);
    await connectWithOAuth(cookie);
    await chooseAudience(connection);
    await customerWebhook(SHOP, '7201', 'before@revoke.test');
    await t.connector.settle();
    expect(member('before@revoke.test')?.status).toBe('subscribed');
    expect(await metrics()).toMatch(
      new RegExp(`connector_mailchimp_reconnect_needed\\{connection="${connection.id}",shop="${SHOP}"\\} 0`),
    );

    // The merchant removes the app in Mailchimp: the token gets 401 from now on.
    const first = await oauthToken(connection.id);
    expect((await t.sandbox.http().post('/__sandbox/oauth/revoke').send({token: first.accessToken})).status).toBe(204);
    await customerWebhook(SHOP, '7202', 'during1@revoke.test');
    await customerWebhook(SHOP, '7203', 'during2@revoke.test');
    await t.connector.settle();

    const paused = (await t.connector.connections.byId(connection.id))!;
    expect(paused.mailchimpStatus).toBe('reconnect_needed');
    expect(paused.mailchimpStatusDetail).toMatch(/401/);
    expect(paused.mailchimpStatusDetail).toMatch(/Reconnect Mailchimp/);
    expect(paused.mailchimpStatusDetail).not.toContain(first.accessToken);
    const waiting = (await records(connection.id)).filter((r) => r.status !== 'synced');
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    for (const record of waiting) {
      expect(['pending', 'retry']).toContain(record.status);
      expect(record.attempts).toBe(0);
    }
    expect(await deadLetters()).toEqual([]);
    expect(member('during1@revoke.test')).toBeUndefined();

    const shown = (await status()).connections.find((c) => c.shop === SHOP);
    expect(shown?.mailchimp.status).toBe('reconnect_needed');
    expect(shown?.mailchimp.detail).toMatch(/401/);
    expect(await metrics()).toMatch(
      new RegExp(`connector_mailchimp_reconnect_needed\\{connection="${connection.id}",shop="${SHOP}"\\} 1`),
    );

    // Reconnect: a new token, the kept queue drains, nothing lost.
    await connectWithOAuth(cookie);
    const second = await oauthToken(connection.id);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await t.connector.connections.byId(connection.id))!.mailchimpStatus).toBe('connected');
    await t.connector.settle();
    expect(member('during1@revoke.test')?.status).toBe('subscribed');
    expect(member('during2@revoke.test')?.status).toBe('subscribed');
    expect((await records(connection.id)).filter((r) => r.status !== 'synced')).toEqual([]);
    expect(await deadLetters()).toEqual([]);
    expect((await status()).connections.find((c) => c.shop === SHOP)?.mailchimp).toEqual({
      status: 'connected',
      detail: null,
      account: 'Mailchimp Sandbox',
    });
    expect(await metrics()).toMatch(
      new RegExp(`connector_mailchimp_reconnect_needed\\{connection="${connection.id}",shop="${SHOP}"\\} 0`),
    );
  });
});

describe('an environment-configured connection whose Mailchimp credentials stop working', () => {
  let t: TestConnector;
  afterEach(async () => {
    await t?.close();
  });

  const send = async (id: string, email: string) => {
    const body = customerPayload({id, email, updatedAt: iso(), consent: {state: 'subscribed', updatedAt: iso()}});
    expect((await t.webhook('customers/create', body)).status).toBe(200);
  };
  const member = (email: string) => t.list.members.get(subscriberHash(email));

  it('becomes reconnect needed the same way; a working key at the next start (upsertEnvConnection) resumes it', async () => {
    t = await startTestConnector();
    // Configured with MAILCHIMP_ACCESS_TOKEN (the sandbox's standing token), as upsertEnvConnection stores it.
    const token = accessTokenOf(t.sandbox.apiKey);
    const envInput = (mailchimp: MailchimpCredentials) => ({
      shopDomain: TEST_SHOP,
      platform: 'shopify' as const,
      mailchimp,
      mailchimpListId: t.list.id,
    });
    await t.connector.connections.upsert(
      envInput({kind: 'oauth', accessToken: token, dc: 'us1', baseUrl: t.sandbox.baseUrl}),
      iso(),
    );
    await send('8001', 'env-before@revoke.test');
    await t.settle();
    expect(member('env-before@revoke.test')?.status).toBe('subscribed');

    expect((await t.sandbox.http().post('/__sandbox/oauth/revoke').send({token})).status).toBe(204);
    await send('8002', 'env-during@revoke.test');
    await t.settle();
    const paused = (await t.connector.connections.byId(t.connection.id))!;
    expect(paused.installSource).toBe('env');
    expect(paused.mailchimpStatus).toBe('reconnect_needed');
    // For an environment-configured shop the fix is the environment and a restart.
    expect(paused.mailchimpStatusDetail).toMatch(/MAILCHIMP_API_KEY.*restart/);
    const waiting = (
      await t.connector.store.db
        .selectFrom('sync_state')
        .selectAll()
        .where('connection_id', '=', t.connection.id)
        .execute()
    ).filter((r) => r.status !== 'synced');
    expect(waiting.length).toBeGreaterThan(0);
    for (const record of waiting) expect(record.attempts).toBe(0);
    expect(await t.connector.store.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);

    // The next start with a working MAILCHIMP_API_KEY: the upsert marks it connected; main.ts makes the kept queue due.
    await t.connector.connections.upsert(
      envInput({kind: 'api_key', apiKey: t.sandbox.apiKey, baseUrl: t.sandbox.baseUrl}),
      iso(),
    );
    expect((await t.connector.connections.byId(t.connection.id))!.mailchimpStatus).toBe('connected');
    await t.connector.syncState.resumeConnection(t.connection.id, iso());
    await t.settle();
    expect(member('env-during@revoke.test')?.status).toBe('subscribed');
  });
});
