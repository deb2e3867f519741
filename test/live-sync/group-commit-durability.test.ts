import type {ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {randomBytes, randomUUID} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Agent, request} from 'node:http';
import pg from 'pg';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {openStore} from '../../connector/src/store/database.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {startConnectorProcess} from '../support/connector-process.js';
import {TEST_POSTGRES_URL} from '../support/databases.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';
import {POSTGRES, describeWithService} from '../support/services.js';
import {customerPayload, signWebhook} from '../support/shopify-webhooks.js';

const SHOP = 'durable-shop.myshopify.com';
const SECRET = 'durable-webhook-secret';
const DELIVERIES = 400;
const CONCURRENCY = 64;

/** POSTs over a keep-alive agent; resolves with the status, or undefined when the process died mid-request. */
function postWebhook(agent: Agent, base: string, headers: Record<string, string>, body: string) {
  return new Promise<number | undefined>((resolve) => {
    const req = request(`${base}/webhooks/shopify`, {method: 'POST', agent, headers}, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
      res.once('error', () => resolve(undefined));
    });
    req.once('error', () => resolve(undefined));
    req.end(body);
  });
}

/**
 * Group commit keeps the rule that a 2xx follows a durable write: concurrent deliveries are committed together,
 * each answered after the commit that holds it, so every delivery answered 200 is in the database after a SIGKILL
 * that lands while others are still in flight (SQLite WAL with synchronous=NORMAL: durable across a process crash).
 */
describe.each([
  ['sqlite', false],
  ['postgres', true],
] as const)('group commit on %s: answered means stored, across kill -9', (engine, needsPostgres) => {
  const body = () => {
    let sandbox: TestSandbox;
    let dir: string;
    let child: ChildProcess | undefined;
    const schema = `t_${randomBytes(6).toString('hex')}`;

    beforeAll(async () => {
      sandbox = await startTestSandbox();
      dir = mkdtempSync(join(tmpdir(), 'group-commit-kill-'));
    });
    afterAll(async () => {
      if (child && child.exitCode === null) child.kill('SIGKILL');
      await sandbox?.close();
      rmSync(dir, {recursive: true, force: true});
      if (needsPostgres) {
        const client = new pg.Client({connectionString: TEST_POSTGRES_URL});
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    });

    it('every delivery answered 200 is in the inbox after the process is SIGKILLed', async () => {
      const list = createListRecord(sandbox.sandbox.state, {name: 'Durable audience', double_optin: false});
      const database: Record<string, string> = needsPostgres
        ? {DATABASE_URL: TEST_POSTGRES_URL, DATABASE_SCHEMA: schema}
        : {DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`};
      const started = startConnectorProcess({
        HOST: '127.0.0.1',
        ...database,
        ENCRYPTION_KEY: SecretBox.generateKey(),
        ADMIN_TOKEN: 'durable-admin-token-0123456789abcdef',
        MAILCHIMP_API_KEY: sandbox.apiKey,
        MAILCHIMP_BASE_URL: sandbox.baseUrl,
        MAILCHIMP_LIST_ID: list.id,
        SHOPIFY_SHOP: SHOP,
        SHOPIFY_API_SECRET: SECRET,
        LAPSED_AFTER_DAYS: '36500',
      });
      child = started.child;
      const base = await started.base;

      const deliveries = Array.from({length: DELIVERIES}, (_, i) => {
        const webhookId = randomUUID();
        const signed = signWebhook(
          SECRET,
          SHOP,
          'customers/create',
          customerPayload({id: String(40_000 + i), email: `d${i}@shop.test`, updatedAt: '2026-11-01T00:00:00Z'}),
          {webhookId},
        );
        return {webhookId, signed};
      });
      const agent = new Agent({keepAlive: true, maxSockets: CONCURRENCY});
      const answered: string[] = [];
      const killAfter = Math.floor(DELIVERIES * 0.6);
      let killed = false;
      let next = 0;
      const sender = async () => {
        while (next < deliveries.length && !killed) {
          const {webhookId, signed} = deliveries[next++]!;
          const status = await postWebhook(agent, base, signed.headers, signed.body);
          if (status === 200 && !killed) {
            answered.push(webhookId);
            // Killed while the other connections still have requests in flight (some in an open group).
            if (answered.length >= killAfter) {
              killed = true;
              child!.kill('SIGKILL');
            }
          }
        }
      };
      await Promise.all(Array.from({length: CONCURRENCY}, sender));
      agent.destroy();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      expect(child.signalCode).toBe('SIGKILL');
      expect(answered.length).toBeGreaterThanOrEqual(killAfter);

      const store = await openStore({url: database.DATABASE_URL!, schema: needsPostgres ? schema : undefined});
      try {
        const keys = new Set(
          (await store.db.selectFrom('inbox_events').select('dedupe_key').execute()).map((r) => r.dedupe_key),
        );
        const missing = answered.filter((id) => !keys.has(id));
        expect(missing).toEqual([]);
      } finally {
        await store.close();
      }
    }, 90_000);
  };
  if (needsPostgres) describeWithService(POSTGRES, 'on the machine Postgres', body);
  else body();
});
