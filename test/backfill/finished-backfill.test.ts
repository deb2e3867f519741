import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {runCli} from '../../connector/src/cli/run-cli.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';

/**
 * A small shop with default settings against the Shopify stand-in's standard-plan bucket (2,000 points, 100/s):
 * each phase is read by pages or by bulk from the query cost, and a finished backfill is reported as finished.
 */
describe('a small shop, default settings: read by cost, and a finished backfill reported as finished', () => {
  let shopify: ShopifySandbox;
  let t: TestConnector;

  beforeAll(async () => {
    shopify = await startShopifySandbox({
      products: 12,
      customers: 30,
      orders: 90,
      carts: 4,
      discountCodes: 3,
      seed: 15,
      shopDomain: TEST_SHOP,
      currencyCode: 'USD',
    });
    t = await startTestConnector({
      // No BACKFILL_BULK_THRESHOLD: the cost estimate decides.
      env: {SHOPIFY_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_ADMIN_URL: shopify.adminUrl, LAPSED_AFTER_DAYS: '36500'},
      backfill: {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10, shopifyPollMs: 10},
    });
    t.connector.start();
  });
  afterAll(async () => {
    await t.close();
    await shopify.close();
  });

  const post = (body: object) =>
    t.http().post('/v1/backfill').set('Authorization', `Bearer ${t.adminToken}`).send(body);

  async function cli(args: string[]): Promise<{code: number; out: string; err: string}> {
    const server = t.connector.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await runCli(['backfill', '--poll-ms', '20', ...args], {
        stdout: {write: (x: string) => out.push(x)},
        stderr: {write: (x: string) => err.push(x)},
        env: {CONNECTOR_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ADMIN_TOKEN: t.adminToken},
      });
      return {code, out: out.join(''), err: err.join('')};
    } finally {
      server.close();
    }
  }

  let firstId: string;

  it('reads the orders (18 pages of ~680 points) through one bulk operation and the rest by page', async () => {
    const started = await post({});
    expect(started.status).toBe(202);
    firstId = started.body.id as string;
    const run = await t.connector.backfill.wait(firstId);
    await t.settle();
    expect(run).toMatchObject({status: 'completed', deadLetters: 0});
    expect(run.progress.orders).toMatchObject({total: 90, read: 90});
    expect(run.progress.customers).toMatchObject({total: 30, read: 30});
    // One bulk operation (the orders); products, customers, promos and carts came from their paged connections.
    expect(shopify.stats.byField.bulkOperationRunQuery).toBe(1);
    expect(shopify.stats.byField.orders).toBeUndefined();
    for (const field of ['products', 'customers', 'codeDiscountNodes', 'abandonedCheckouts'])
      expect([field, shopify.stats.byField[field]]).toEqual([field, 1]);
    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    expect(store.orders.size).toBeGreaterThan(0);
  });

  it('a second start answers 200 with the completed run and says so, without one request to the shop', async () => {
    shopify.stats.reset();
    const mailchimpBefore = t.sandbox.sandbox.recorder.all().length;
    const again = await post({});
    expect(again.status).toBe(200);
    expect(again.headers.location).toBe(`/v1/backfill/${firstId}`);
    expect(again.body).toMatchObject({id: firstId, status: 'completed', alreadyCompleted: true});
    expect(again.body.detail).toMatch(/already completed on .*nothing was read or sent.*resync/);
    // The orders window of that run (all orders) covers one starting later: done as well.
    expect((await post({orders_since: '2020-01-01T00:00:00Z'})).body).toMatchObject({
      id: firstId,
      alreadyCompleted: true,
    });
    expect(shopify.stats.total).toBe(0);
    expect(t.sandbox.sandbox.recorder.all().length).toBe(mailchimpBefore);
    const runs = await t.http().get('/v1/backfill').set('Authorization', `Bearer ${t.adminToken}`);
    expect(runs.body.runs.map((r: {id: string}) => r.id)).toEqual([firstId]);
  });

  it('the CLI says it is already done and how to send again, and exits 0', async () => {
    const result = await cli(['--json']);
    expect(result.code).toBe(0);
    expect(result.err).toBe(
      `backfill: already done: run ${firstId} completed on ${(await t.connector.backfill.view(firstId)).finishedAt}; ` +
        'nothing was read or sent. Live sync keeps Mailchimp current; use --resync to read the shop again and send what differs.\n',
    );
    expect(JSON.parse(result.out)).toMatchObject({run_id: firstId, status: 'completed', already_completed: true});
    expect(shopify.stats.total).toBe(0);
  });

  it('a resync still reads the shop again, as a new run', async () => {
    const resync = await post({kind: 'resync'});
    expect(resync.status).toBe(202);
    expect(resync.body.id).not.toBe(firstId);
    expect(resync.body.alreadyCompleted).toBeUndefined();
    const run = await t.connector.backfill.wait(resync.body.id);
    expect(run).toMatchObject({kind: 'resync', status: 'completed'});
    expect(run.progress.orders).toMatchObject({read: 90});
    expect(shopify.stats.total).toBeGreaterThan(0);
    // And after it, a backfill is still the first one, done.
    expect((await post({})).body).toMatchObject({id: firstId, alreadyCompleted: true});
  });
});
