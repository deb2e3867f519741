import {randomBytes} from 'node:crypto';
import {once} from 'node:events';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {Express} from 'express';
import pg from 'pg';
import request from 'supertest';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import type {ListWebhookRecord} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {TEST_POSTGRES_URL} from '../support/databases.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {POSTGRES, describeWithService} from '../support/services.js';
import {FIXTURE_NOW} from '../../connector/src/segments/fixtures/audience.js';
import {startCampaignHarness, type CampaignHarness} from './campaign-harness.js';

const CHECK = '/v1/mailchimp/webhook/check';
const FLAGS = {
  events: {subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: false},
  sources: {user: true, admin: true, api: false},
};

/**
 * Issue #11 point 3: the list webhook is registered exactly once, however many checks run at the same time — in one
 * process (operator checks, the start-up registration) or in several processes over one database.
 */
describe('Mailchimp list webhook: exactly one, however many checks run', () => {
  let t: CampaignHarness;
  const ours = () => [...t.list.webhooks.values()].filter((w) => w.url.startsWith(`${t.origin}/webhooks/mailchimp/`));
  const check = () => t.http().post(CHECK).set(t.admin);

  beforeAll(async () => {
    t = await startCampaignHarness();
  });
  afterAll(() => t.close());

  it('five concurrent checks after the webhook was deleted in Mailchimp create exactly one', async () => {
    expect((await check()).body).toMatchObject({status: 'registered', repair: 'created'});
    const [hook] = ours();
    expect(
      (
        await t.sandbox
          .http()
          .delete(`/3.0/lists/${t.list.id}/webhooks/${hook!.id}`)
          .set({Authorization: t.sandbox.auth})
      ).status,
    ).toBe(204);
    expect(ours()).toEqual([]);

    const results = await Promise.all(Array.from({length: 5}, () => check()));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(ours().map((w) => w.url)).toEqual([hook!.url]);
    const [recreated] = ours();
    // One check created it; the others waited for it and found it healthy.
    expect(results.map((r) => r.body.repair).sort()).toEqual(['created', 'none', 'none', 'none', 'none']);
    for (const r of results) expect(r.body).toMatchObject({status: 'registered', webhookId: recreated!.id});
    expect((await t.http().get('/v1/mailchimp/webhook').set(t.admin)).body).toMatchObject({
      status: 'registered',
      webhook_id: recreated!.id,
    });
  });

  it('a duplicate with our exact URL made directly in Mailchimp is removed by the next check, keeping the first', async () => {
    const [kept] = ours();
    const auth = {Authorization: t.sandbox.auth};
    const duplicate = await t.sandbox
      .http()
      .post(`/3.0/lists/${t.list.id}/webhooks`)
      .set(auth)
      .send({url: kept!.url, ...FLAGS});
    expect(duplicate.status).toBe(200);
    // An outdated token of ours (which Mailchimp could no longer validate, so put into the sandbox's state), and
    // somebody else's webhook, which is never touched.
    const stale: ListWebhookRecord = {
      id: 'stale-token-hook',
      url: `${t.origin}/webhooks/mailchimp/an-old-token`,
      ...structuredClone(FLAGS),
      list_id: t.list.id,
    };
    const foreign: ListWebhookRecord = {
      id: 'foreign-hook',
      url: 'https://elsewhere.example/hooks/mailchimp',
      ...structuredClone(FLAGS),
      list_id: t.list.id,
    };
    t.list.webhooks.set(stale.id, stale);
    t.list.webhooks.set(foreign.id, foreign);
    expect(ours().map((w) => w.id)).toEqual([kept!.id, duplicate.body.id, stale.id]);

    const res = await check();
    expect(res.body).toMatchObject({
      status: 'registered',
      repair: 'none',
      webhookId: kept!.id,
      removedStale: 1,
      removedDuplicates: 1,
    });
    expect([...t.list.webhooks.values()].map((w) => w.id)).toEqual([kept!.id, foreign.id]);
    expect((await check()).body).toMatchObject({
      status: 'registered',
      repair: 'none',
      webhookId: kept!.id,
      removedStale: 0,
      removedDuplicates: 0,
    });
  });

  it('a check waits for a held lease instead of failing, and takes over a lease its crashed holder left', async () => {
    const registrations = t.connector.campaigns.registrations;
    const connectionId = t.connection.id;
    const now = Date.parse(FIXTURE_NOW); // the harness's clock
    const [hook] = ours();
    // Held by a running check (elsewhere) that finishes a moment later.
    expect(
      await registrations.takeCheckLease(
        connectionId,
        'running-elsewhere',
        new Date(now).toISOString(),
        new Date(now + 60_000).toISOString(),
      ),
    ).toBe(true);
    const started = Date.now();
    setTimeout(() => void registrations.releaseCheckLease(connectionId, 'running-elsewhere'), 300);
    expect((await check()).body).toMatchObject({status: 'registered', repair: 'none', webhookId: hook!.id});
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);

    // Left by a check whose process died: it has lapsed, so the next check goes ahead at once.
    expect(
      await registrations.takeCheckLease(
        connectionId,
        'crashed',
        new Date(now - 120_000).toISOString(),
        new Date(now - 60_000).toISOString(),
      ),
    ).toBe(true);
    expect((await check()).body).toMatchObject({status: 'registered', repair: 'none', webhookId: hook!.id});
    expect(await registrations.get(connectionId)).toMatchObject({check_holder: null, check_lease_until: null});
    expect(ours()).toHaveLength(1);
  });
});

describeWithService(POSTGRES, 'Mailchimp list webhook: two connector processes over one Postgres schema', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let sandbox: TestSandbox;
  let a: TestConnector;
  let b: TestConnector;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    // One public address in front of both processes, as a load balancer: requests alternate between them (each
    // answers Mailchimp's validator for the shared token, since both read the same database).
    const apps: Express[] = [];
    let next = 0;
    server = createServer((req, res) => {
      const app = apps[next++ % Math.max(apps.length, 1)];
      if (app) app(req, res);
      else res.writeHead(503).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const encryptionKey = SecretBox.generateKey();
    const env = {DATABASE_SCHEMA: schema, PUBLIC_URL: origin};
    a = await startTestConnector({sandbox, databaseUrl: TEST_POSTGRES_URL, encryptionKey, env});
    b = await startTestConnector({sandbox, list: a.list, databaseUrl: TEST_POSTGRES_URL, encryptionKey, env});
    apps.push(a.connector.app, b.connector.app);
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await b?.close({keepSandbox: true});
    await a?.close();
    const client = new pg.Client({connectionString: TEST_POSTGRES_URL});
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('the start-up registration of both and operator checks through both at once leave one webhook', async () => {
    expect(b.connection.id).toBe(a.connection.id);
    const ours = () => [...a.list.webhooks.values()].filter((w) => w.url.startsWith(`${origin}/webhooks/mailchimp/`));
    const admin = {Authorization: `Bearer ${a.adminToken}`};
    const [startA, startB, ...checks] = await Promise.all([
      a.connector.campaigns.webhooks.checkAll(),
      b.connector.campaigns.webhooks.checkAll(),
      ...Array.from({length: 6}, (_, i) =>
        request((i % 2 === 0 ? a : b).connector.app)
          .post(CHECK)
          .set(admin),
      ),
    ]);
    expect(checks.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(ours()).toHaveLength(1);
    const [hook] = ours();
    const results = [startA[a.connection.id], startB[a.connection.id], ...checks.map((r) => r.body)];
    for (const r of results) expect(r).toMatchObject({status: 'registered', webhookId: hook!.id});
    expect(results.filter((r) => r.repair === 'created')).toHaveLength(1);

    // Deleted in Mailchimp, then checked through both processes at once: one again.
    expect(
      (await sandbox.http().delete(`/3.0/lists/${a.list.id}/webhooks/${hook!.id}`).set({Authorization: sandbox.auth}))
        .status,
    ).toBe(204);
    const again = await Promise.all(
      Array.from({length: 4}, (_, i) =>
        request((i % 2 === 0 ? a : b).connector.app)
          .post(CHECK)
          .set(admin),
      ),
    );
    expect(ours()).toHaveLength(1);
    expect(again.map((r) => r.body.repair).sort()).toEqual(['created', 'none', 'none', 'none']);
  });
});
