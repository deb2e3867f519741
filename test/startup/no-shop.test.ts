import type {ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli} from '../../connector/src/cli/run-cli.js';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {startConnectorProcess} from '../support/connector-process.js';
import {startTestSandbox, type TestSandbox} from '../support/sandbox.js';

const ADMIN_TOKEN = 'no-shop-admin-token-0123456789abcdef';

async function cli(args: string[]): Promise<{code: number; out: string; err: string}> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdout: {write: (t: string) => (out += t)},
    stderr: {write: (t: string) => (err += t)},
  });
  return {code, out, err};
}

/**
 * Issue #16: Mailchimp credentials but no shop (no SHOPIFY_SHOP, no app credentials, no INGEST_TOKEN) is said in one
 * line at start and by /readyz, and the backfill says there is no connection and how to make one (not "several").
 */
describe('Mailchimp credentials and no shop', () => {
  let sandbox: TestSandbox;
  let dir: string;
  let child: ChildProcess;
  let base: string;
  let output: () => string;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), 'no-shop-'));
    const started = startConnectorProcess({
      DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
      ADMIN_TOKEN,
      MAILCHIMP_BASE_URL: sandbox.baseUrl,
      MAILCHIMP_API_KEY: sandbox.apiKey,
      MAILCHIMP_LIST_ID: createListRecord(sandbox.sandbox.state, {name: 'No-shop audience'}).id,
    });
    child = started.child;
    output = started.output;
    base = await started.base;
  }, 60_000);
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, {recursive: true, force: true});
    await sandbox.close();
  });

  it('says so in one log line at start, and /readyz gives the same line', async () => {
    const lines = output()
      .split('\n')
      .filter((line) => line.includes('no shop is'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      msg: expect.stringMatching(
        /^SHOPIFY_SHOP: Mailchimp credentials are set but no shop is, so nothing will sync; set SHOPIFY_SHOP/,
      ),
    });
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as {reasons: string[]}).reasons).toEqual([JSON.parse(lines[0]!).msg]);
    expect(output()).not.toContain('connection ready');
    expect(output()).not.toContain(sandbox.apiKey);
  });

  it('the backfill CLI says there is no connection and how to configure one', async () => {
    const result = await cli(['backfill', '--url', base, '--token', ADMIN_TOKEN]);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/^backfill: 409 No shop is connected: set SHOPIFY_SHOP/);
    expect(result.err).not.toContain('several');
  });
});
