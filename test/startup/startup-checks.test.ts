import type {ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {runCli} from '../../connector/src/cli/run-cli.js';
import {startConnectorProcess} from '../support/connector-process.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';

/**
 * Issue #16, "Start-up tells the truth": the connector checks the environment's Mailchimp and Shopify credentials at
 * start, serves anyway, logs "connection ready" only when the checks pass, and /readyz answers 503 problem+json with
 * one line per failure (naming the variable and what Mailchimp or Shopify answered, never the secret) until they do.
 */
const ADMIN_TOKEN = 'startup-admin-token-0123456789abcdef';
const INGEST_TOKEN = 'startup-ingest-token-0123456789abcdef';

/** `npm run connector -- <args>` in-process: its exit code and what it printed. */
async function cli(args: string[]): Promise<{code: number; out: string; err: string}> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: {write: (t: string) => (out += t)},
    stderr: {write: (t: string) => (err += t)},
  });
  return {code, out, err};
}

interface Readyz {
  status: number;
  contentType: string;
  body: {reasons?: string[]; state?: string; status?: unknown};
}

async function readyz(base: string): Promise<Readyz> {
  const res = await fetch(`${base}/readyz`);
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: (await res.json()) as Readyz['body'],
  };
}

/** /readyz once the first run of the checks is over (it says "still running" before). */
async function settledReadyz(base: string): Promise<Readyz> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await readyz(base);
    if (answer.body.state !== 'checking') return answer;
    if (Date.now() > deadline) throw new Error('the start-up checks did not finish');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('start-up checks of the environment connection', () => {
  let sandbox: TestSandbox;
  let listId: string;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    listId = createListRecord(sandbox.sandbox.state, {name: 'Startup audience'}).id;
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'startup-checks-'));
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, {recursive: true, force: true});
  });
  afterAll(() => sandbox.close());

  const start = (env: Record<string, string>) => {
    const started = startConnectorProcess({
      DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
      ADMIN_TOKEN,
      INGEST_TOKEN,
      MAILCHIMP_BASE_URL: sandbox.baseUrl,
      MAILCHIMP_API_KEY: sandbox.apiKey,
      MAILCHIMP_LIST_ID: listId,
      ...env,
    });
    children.push(started.child);
    return started;
  };

  it('a refused API key: 503 with one line naming MAILCHIMP_API_KEY and Mailchimp’s answer, no "connection ready", no key', async () => {
    const wrongKey = '0123456789abcdef0123456789abcdef-us9';
    const {base, output} = start({MAILCHIMP_API_KEY: wrongKey});
    const answer = await settledReadyz(await base);
    expect(answer.status).toBe(503);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body.reasons).toHaveLength(1);
    expect(answer.body.reasons![0]).toMatch(/^MAILCHIMP_API_KEY: Mailchimp answered 401 ".+" for ping$/);
    expect(output()).toContain(answer.body.reasons![0]!.replace(/"/g, '\\"'));
    expect(output()).not.toContain('connection ready');
    expect(output()).not.toContain(wrongKey);
    expect(JSON.stringify(answer.body)).not.toContain(wrongKey);
  }, 60_000);

  it('a missing list and a refused Shopify token: both reasons, each in Mailchimp’s or Shopify’s words', async () => {
    const shop: ShopifySandbox = await startShopifySandbox({
      seed: 1,
      products: 1,
      customers: 1,
      orders: 0,
      accessToken: 'shpat_right0000000000000000000000000',
    });
    try {
      const {base} = start({
        MAILCHIMP_LIST_ID: 'abc123',
        SHOPIFY_SHOP: shop.shopDomain,
        SHOPIFY_API_SECRET: 'startup-shopify-secret',
        SHOPIFY_ACCESS_TOKEN: 'shpat_wrong0000000000000000000000000',
        SHOPIFY_ADMIN_URL: shop.adminUrl,
      });
      const answer = await settledReadyz(await base);
      expect(answer.status).toBe(503);
      expect(answer.body.reasons).toEqual([
        'MAILCHIMP_LIST_ID: Mailchimp answered 404 "The requested resource could not be found." for list abc123',
        expect.stringMatching(new RegExp(`^SHOPIFY_ACCESS_TOKEN: Shopify answered 401 for shop ${shop.shopDomain}`)),
      ]);
      expect(JSON.stringify(answer.body)).not.toContain('shpat_wrong');
    } finally {
      await shop.close();
    }
  }, 60_000);

  it('an unreachable Mailchimp is told apart from a refusal', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const {base} = start({MAILCHIMP_BASE_URL: `http://127.0.0.1:${port}/3.0`, MAILCHIMP_MAX_ATTEMPTS: '1'});
    const answer = await settledReadyz(await base);
    expect(answer.status).toBe(503);
    expect(answer.body.reasons).toEqual([
      'MAILCHIMP_BASE_URL: Mailchimp could not be reached (ECONNREFUSED) while checking ping; checked again periodically',
    ]);
  }, 60_000);

  it('a store of another list fails until it is gone; the operator’s re-check turns the connector ready', async () => {
    const otherList = createListRecord(sandbox.sandbox.state, {name: 'Another audience'}).id;
    const storeId = `msb_startup_${Date.now()}`;
    const created = await sandbox
      .http()
      .post('/3.0/ecommerce/stores')
      .set('Authorization', sandbox.auth)
      .send({id: storeId, list_id: otherList, name: 'Other store', currency_code: 'USD'});
    expect(created.status).toBe(200);
    const {base: started, output} = start({MAILCHIMP_STORE_ID: storeId});
    const base = await started;
    const answer = await settledReadyz(base);
    expect(answer.status).toBe(503);
    expect(answer.body.reasons).toEqual([
      `MAILCHIMP_LIST_ID: the Mailchimp store ${storeId} belongs to list ${otherList}, not ${listId} (a store cannot change lists: set MAILCHIMP_LIST_ID=${otherList}, or MAILCHIMP_STORE_ID to a new id)`,
    ]);
    expect(output()).not.toContain('connection ready');

    const notYet = await cli(['readiness', '--url', base, '--token', ADMIN_TOKEN]);
    expect(notYet.code).toBe(1);
    expect(notYet.err).toContain(`readiness: 503 ${answer.body.reasons![0]!}`);

    const removed = await sandbox.http().delete(`/3.0/ecommerce/stores/${storeId}`).set('Authorization', sandbox.auth);
    expect(removed.status).toBe(204);
    // The operator's re-check (`npm run connector -- readiness`) instead of waiting for the periodic one.
    const recheck = await cli(['readiness', '--url', base, '--token', ADMIN_TOKEN]);
    expect(recheck.code).toBe(0);
    expect(JSON.parse(recheck.out)).toEqual({status: 'ready'});
    expect((await readyz(base)).status).toBe(200);
    expect(output()).toContain('connection ready');
  }, 60_000);

  it('demo mode passes the checks: ready, and "connection ready" logged', async () => {
    const started = startConnectorProcess({DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`});
    children.push(started.child);
    const answer = await settledReadyz(await started.base);
    expect(answer).toMatchObject({status: 200, body: {status: 'ready'}});
    expect(started.output()).toContain('connection ready');
  }, 60_000);
});
