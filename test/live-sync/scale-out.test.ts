import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {TEST_POSTGRES_URL} from '../support/databases.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {POSTGRES, REDIS, REDIS_TEST_URL, describeWithService} from '../support/services.js';
import {consentPayload, customerPayload, orderPayload, productPayload} from '../support/shopify-webhooks.js';

const iso = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0) + minute * 60_000).toISOString();
const MAX_CONCURRENT = 3;

/**
 * The scale-out setup end to end: two connector processes (two composition roots, each with its own worker,
 * limiter and database pool) over one Postgres schema and one Redis, fed alternately, against one Mailchimp
 * account. Together they must converge to the exact state, send each order once, and never hold more than the
 * account's configured connections at once.
 */
describeWithService(POSTGRES, 'scale-out: connectors sharing Postgres', () => {
  describeWithService(REDIS, 'and one Redis connection budget', () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    let sandbox: TestSandbox;
    let a: TestConnector;
    let b: TestConnector;

    beforeAll(async () => {
      // A unique account key, so this run's Bottleneck keys in Redis are its own.
      sandbox = await startTestSandbox({apiKey: `${randomBytes(16).toString('hex')}-us1`, latencyMs: 15});
      const encryptionKey = SecretBox.generateKey();
      const env = {
        DATABASE_SCHEMA: schema,
        REDIS_URL: REDIS_TEST_URL,
        MAILCHIMP_MAX_CONCURRENT: String(MAX_CONCURRENT),
        LAPSED_AFTER_DAYS: '3650',
      };
      a = await startTestConnector({sandbox, databaseUrl: TEST_POSTGRES_URL, encryptionKey, env});
      b = await startTestConnector({sandbox, list: a.list, databaseUrl: TEST_POSTGRES_URL, encryptionKey, env});
    });

    afterAll(async () => {
      await b?.close({keepSandbox: true});
      await a?.close();
      const client = new pg.Client({connectionString: TEST_POSTGRES_URL});
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });

    it('converges exactly, sends each order once and stays within the shared connection limit', async () => {
      expect(b.connection.id).toBe(a.connection.id); // one shop, one connection row, seen by both processes
      sandbox.sandbox.recorder.resetStats();
      a.connector.start();
      b.connector.start();

      const products = Array.from({length: 8}, (_, i) => ({
        id: String(7000 + i),
        variant: String(8000 + i),
        priceMinor: 1000 + i * 250,
      }));
      const customers = Array.from({length: 24}, (_, i) => ({id: String(9000 + i), email: `scale${i}@shop.test`}));
      const expectedOrders = new Map<string, {customer: string; total: number}>();
      const events: Array<[string, string]> = [];
      for (const p of products)
        events.push([
          'products/create',
          productPayload({
            id: p.id,
            title: `P${p.id}`,
            handle: `p-${p.id}`,
            updatedAt: iso(0),
            variants: [{id: p.variant, title: 'Default', priceMinor: p.priceMinor}],
          }),
        ]);
      customers.forEach((c, i) => {
        events.push([
          'customers/create',
          customerPayload({id: c.id, email: c.email, firstName: `F${i}`, updatedAt: iso(1)}),
        ]);
        if (i % 2 === 0)
          events.push([
            'customers_email_marketing_consent/update',
            consentPayload({customerId: c.id, email: c.email, state: 'subscribed', updatedAt: iso(2)}),
          ]);
      });
      for (let n = 0; n < 60; n++) {
        const c = customers[n % customers.length]!;
        const p = products[n % products.length]!;
        const id = String(60_000 + n);
        events.push([
          'orders/create',
          orderPayload({
            id,
            customer: {id: c.id, email: c.email},
            financialStatus: 'paid',
            updatedAt: iso(10 + n),
            lines: [
              {
                id: `${id}1`,
                productId: p.id,
                variantId: p.variant,
                title: `P${p.id}`,
                priceMinor: p.priceMinor,
                quantity: 1,
              },
            ],
          }),
        ]);
        expectedOrders.set(id, {customer: c.id, total: p.priceMinor / 100});
      }
      // Alternate deliveries between the two processes, as a load balancer would.
      for (let i = 0; i < events.length; i += 10) {
        const chunk = events.slice(i, i + 10);
        const statuses = await Promise.all(
          chunk.map(([topic, body], j) => ((i + j) % 2 === 0 ? a : b).webhook(topic, body).then((r) => r.status)),
        );
        expect(new Set(statuses)).toEqual(new Set([200]));
      }
      await Promise.all([a.settle(60_000), b.settle(60_000)]);
      await Promise.all([a.settle(60_000), b.settle(60_000)]);

      const store = sandbox.sandbox.state.stores.get(a.connection.mailchimpStoreId)!;
      expect(await a.connector.store.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
      expect(store.products.size).toBe(products.length);
      expect(store.orders.size).toBe(expectedOrders.size);
      for (const [id, expected] of expectedOrders)
        expect(store.orders.get(id)).toMatchObject({customer_id: expected.customer, order_total: expected.total});
      customers.forEach((c, i) =>
        expect(a.list.members.get(subscriberHash(c.email))?.status).toBe(i % 2 === 0 ? 'subscribed' : 'transactional'),
      );

      // Each order was created once, whichever process held it.
      const creates = sandbox.sandbox.recorder
        .all()
        .filter((r) => r.method === 'POST' && /\/orders$/.test(r.path) && r.status < 300);
      expect(creates).toHaveLength(expectedOrders.size);
      // Both processes did work, and together they never exceeded the account's budget.
      const processed = await a.connector.store.db
        .selectFrom('inbox_events')
        .select('id')
        .where('processed_at', 'is not', null)
        .execute();
      expect(processed).toHaveLength(events.length);
      expect(sandbox.sandbox.recorder.stats().maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENT);
      expect(sandbox.sandbox.recorder.stats().maxInFlight).toBeGreaterThan(1);
    }, 90_000);
  });
});
