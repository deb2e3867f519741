import type {ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli} from '../../connector/src/cli/run-cli.js';
import {startConnectorProcess} from '../support/connector-process.js';

const ADMIN_TOKEN = 'demo-restart-admin-token-0123456789abcdef';

interface Status {
  entities: Record<string, Record<string, number> | undefined>;
}
interface Panel {
  members: Array<{email: string}>;
  orders: Array<{id: string}>;
}

/** `npm run connector -- status` against the running demo. */
async function status(base: string): Promise<Status> {
  let out = '';
  const code = await runCli(['status', '--url', base, '--token', ADMIN_TOKEN], {
    stdout: {write: (t: string) => (out += t)},
    stderr: {write: () => undefined},
  });
  expect(code).toBe(0);
  return JSON.parse(out) as Status;
}

async function panel(base: string): Promise<Panel> {
  return (await (await fetch(`${base}/demo/mailchimp`)).json()) as Panel;
}

/**
 * Issue #16, demo consistency: the demo's Mailchimp sandbox is in memory, so the demo's database starts empty too
 * (demo.db beside the configured file, emptied at each start); after a restart `status` and the demo panel agree.
 */
describe('demo mode across a restart', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'demo-restart-'));
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, {recursive: true, force: true});
  });

  const start = async () => {
    const started = startConnectorProcess({DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`, ADMIN_TOKEN});
    child = started.child;
    return started.base;
  };
  async function stop(): Promise<void> {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  it('starts empty again: status and the demo panel agree, and the configured database file is never used', async () => {
    let base = await start();
    const checkout = await fetch(`${base}/demo/checkout`, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({email: 'restart@mail.example.com', quantity: '1'}),
    });
    expect(checkout.status).toBe(200);
    const deadline = Date.now() + 30_000;
    while ((await panel(base)).orders.length === 0 || (await status(base)).entities.order?.synced !== 1) {
      if (Date.now() > deadline) throw new Error('the demo order did not reach the sandbox');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    await stop();
    base = await start();
    const after = await status(base);
    const view = await panel(base);
    // Both empty: nothing claims to be synced to a sandbox that does not hold it.
    expect(view.orders).toEqual([]);
    expect(after.entities.order?.synced ?? 0).toBe(0);
    expect(Object.values(after.entities).every((byStatus) => (byStatus?.synced ?? 0) === 0)).toBe(true);
    expect(existsSync(join(dir, 'connector.db'))).toBe(false);
    expect(existsSync(join(dir, 'demo.db'))).toBe(true);
  }, 90_000);
});
