import type {ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {openStore, type Store} from '../../connector/src/store/database.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {startConnectorProcess} from '../support/connector-process.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {TEST_POSTGRES_URL} from '../support/databases.js';
import {eventually, until} from '../support/eventually.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {POSTGRES, REDIS, REDIS_TEST_URL, describeWithService} from '../support/services.js';
import {customerPayload, orderPayload, productPayload, signWebhook} from '../support/shopify-webhooks.js';

const SHOP = 'roles-shop.myshopify.com';
const SECRET = 'roles-webhook-secret';
const ADMIN_TOKEN = 'roles-admin-token-0123456789abcdef';
const iso = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0) + minute * 60_000).toISOString();

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({connectionString: TEST_POSTGRES_URL});
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

/**
 * ROLE (config.ts, app/connector.ts processRole): web processes accept and store, worker processes process and
 * send, and they meet in the database (Postgres) and Redis. Real processes, as a deployment runs them.
 */
describeWithService(POSTGRES, 'process roles over one Postgres', () => {
  describeWithService(REDIS, 'and one Redis budget', () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const children: ChildProcess[] = [];
    let sandbox: TestSandbox;
    let env: Record<string, string>;
    let store: Store;

    beforeAll(async () => {
      sandbox = await startTestSandbox({apiKey: `${randomBytes(16).toString('hex')}-us1`, latencyMs: 5});
      const list = createListRecord(sandbox.sandbox.state, {name: 'Roles audience', double_optin: false});
      env = {
        HOST: '127.0.0.1',
        DATABASE_URL: TEST_POSTGRES_URL,
        DATABASE_SCHEMA: schema,
        REDIS_URL: REDIS_TEST_URL,
        ENCRYPTION_KEY: SecretBox.generateKey(),
        ADMIN_TOKEN,
        MAILCHIMP_API_KEY: sandbox.apiKey,
        MAILCHIMP_BASE_URL: sandbox.baseUrl,
        MAILCHIMP_LIST_ID: list.id,
        SHOPIFY_SHOP: SHOP,
        SHOPIFY_API_SECRET: SECRET,
        STORE_CURRENCY: 'USD',
        SHOP_CURRENCY_WAIT_SECONDS: '0',
        LAPSED_AFTER_DAYS: '36500',
      };
    });

    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
      await store?.close();
      await sandbox?.close();
      await dropSchema(schema);
    });

    const spawnRole = async (role: string): Promise<string> => {
      const {child, base} = startConnectorProcess({...env, ROLE: role});
      children.push(child);
      return base;
    };
    const post = async (base: string, topic: string, body: string) => {
      const signed = signWebhook(SECRET, SHOP, topic, body);
      return fetch(`${base}/webhooks/shopify`, {method: 'POST', headers: signed.headers, body: signed.body});
    };
    const order = (id: string, customer: number) =>
      orderPayload({
        id,
        customer: {id: String(300 + customer), email: `c${customer}@roles.test`},
        financialStatus: 'paid',
        updatedAt: iso(5),
        lines: [{id: `${id}1`, productId: '1', variantId: '2', title: 'Lamp', priceMinor: 1500, quantity: 1}],
      });
    const inboxByStatus = async () =>
      Object.fromEntries(
        (
          await store.db
            .selectFrom('inbox_events')
            .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('status')
            .execute()
        ).map((r) => [r.status, Number(r.n)]),
      );

    it('a web process stores and sends nothing; a worker on the same database processes and sends', async () => {
      const web = await spawnRole('web');
      store = await openStore({url: TEST_POSTGRES_URL, schema});
      sandbox.sandbox.recorder.resetStats();
      const deliveries: Array<[string, string]> = [
        [
          'products/create',
          productPayload({
            id: '1',
            title: 'Lamp',
            handle: 'lamp',
            updatedAt: iso(0),
            variants: [{id: '2', title: 'Default', priceMinor: 1500}],
          }),
        ],
        ...Array.from({length: 5}, (_, i): [string, string] => [
          'customers/create',
          customerPayload({id: String(300 + i), email: `c${i}@roles.test`, updatedAt: iso(1)}),
        ]),
        ['orders/create', order('5001', 0)],
      ];
      for (const [topic, body] of deliveries) expect((await post(web, topic, body)).status).toBe(200);

      // Stored, and left alone: nothing projected, nothing sent, for longer than a worker would take.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await inboxByStatus()).toEqual({pending: deliveries.length});
      expect(await store.db.selectFrom('sync_state').select('entity_id').execute()).toEqual([]);
      // Only the start-up checks' reads (ping, the list, the store's list: app/startup-checks.ts); nothing written.
      expect(sandbox.sandbox.recorder.all().filter((r) => r.path.startsWith('/3.0') && r.method !== 'GET')).toEqual([]);

      const worker = await spawnRole('worker');
      const mcStore = () => [...sandbox.sandbox.state.stores.values()].find((s) => s.list_id === env.MAILCHIMP_LIST_ID);
      await until(async () => (mcStore()?.orders.has('5001') ? true : undefined), 30_000, 'the order in Mailchimp');
      expect(await inboxByStatus()).toEqual({processed: deliveries.length});

      // A worker answers its health, readiness and metrics, and nothing else.
      expect((await fetch(`${worker}/healthz`)).status).toBe(200);
      expect((await fetch(`${worker}/readyz`)).status).toBe(200);
      const metrics = await fetch(`${worker}/metrics`, {headers: {authorization: `Bearer ${ADMIN_TOKEN}`}});
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('connector_');
      expect((await post(worker, 'orders/create', order('5002', 1))).status).toBe(404);
      expect((await fetch(`${worker}/operator`)).status).toBe(404);
      expect(
        (await fetch(`${worker}/v1/sync/status`, {headers: {authorization: `Bearer ${ADMIN_TOKEN}`}})).status,
      ).toBe(404);

      // While both run, an event the web stores is projected by the worker within about a second (its poll).
      const accepted = await post(web, 'orders/create', order('5003', 2));
      expect(accepted.status).toBe(200);
      const {id} = (await accepted.json()) as {id: number};
      const t0 = Date.now();
      await eventually(async () => {
        const row = await store.db.selectFrom('inbox_events').select('status').where('id', '=', id).executeTakeFirst();
        return row?.status === 'processed' ? true : undefined;
      }, 5_000);
      expect(Date.now() - t0).toBeLessThan(1_500);
      await until(async () => (mcStore()?.orders.has('5003') ? true : undefined), 30_000, 'the second order');
      expect(sandbox.sandbox.recorder.stats().maxInFlight).toBeLessThanOrEqual(4);
    }, 120_000);
  });
});

/** The backfill a web process starts (operator API, merchant page) is driven by a worker. */
describeWithService(POSTGRES, 'a backfill started on a web process', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let shopify: ShopifySandbox;
  let web: TestConnector;
  let worker: TestConnector;

  beforeAll(async () => {
    shopify = await startShopifySandbox({
      products: 4,
      customers: 6,
      orders: 5,
      carts: 0,
      discountCodes: 0,
      seed: 11,
      shopDomain: TEST_SHOP,
      currencyCode: 'USD',
    });
    const common = {
      databaseUrl: TEST_POSTGRES_URL,
      backfill: {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10, shopifyPollMs: 10},
    };
    const envOf = (role: string) => ({
      ROLE: role,
      DATABASE_SCHEMA: schema,
      SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
      SHOPIFY_ADMIN_URL: shopify.adminUrl,
      LAPSED_AFTER_DAYS: '36500',
    });
    web = await startTestConnector({...common, env: envOf('web')});
    worker = await startTestConnector({
      ...common,
      sandbox: web.sandbox,
      list: web.list,
      encryptionKey: web.encryptionKey,
      env: envOf('worker'),
    });
  });

  afterAll(async () => {
    await worker?.close({keepSandbox: true});
    await web?.close();
    await shopify?.close();
    await dropSchema(schema);
  });

  it('is created without an owner and run by a worker within seconds', async () => {
    web.connector.start();
    web.sandbox.sandbox.recorder.resetStats();
    const started = await web.http().post('/v1/backfill').set('Authorization', `Bearer ${web.adminToken}`).send({});
    expect(started.status).toBe(202);
    const row = await web.connector.store.db
      .selectFrom('backfill_runs')
      .select(['owner', 'status'])
      .where('id', '=', started.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({owner: null, status: 'running'});
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(web.sandbox.sandbox.recorder.all()).toEqual([]);

    worker.connector.start();
    const done = await eventually(async () => {
      const res = await web
        .http()
        .get(`/v1/backfill/${started.body.id}`)
        .set('Authorization', `Bearer ${web.adminToken}`);
      return res.body.status === 'running' ? undefined : res.body;
    }, 60_000);
    expect(done.status).toBe('completed');
    const mcStore = web.sandbox.sandbox.state.stores.get(web.connection.mailchimpStoreId);
    expect(mcStore?.products.size).toBe(4);
  }, 90_000);
});

describe('ROLE=all', () => {
  it('accepts and processes in one process', async () => {
    const all = await startTestConnector({env: {ROLE: 'all'}});
    try {
      all.connector.start();
      const res = await all.webhook(
        'products/create',
        productPayload({
          id: '77',
          title: 'Chair',
          handle: 'chair',
          updatedAt: iso(0),
          variants: [{id: '78', title: 'Default', priceMinor: 900}],
        }),
      );
      expect(res.status).toBe(200);
      await eventually(async () =>
        all.sandbox.sandbox.state.stores.get(all.connection.mailchimpStoreId)?.products.has('77') ? true : undefined,
      );
    } finally {
      await all.close();
    }
  });
});
