import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {randomBytes} from 'node:crypto';
import {SecretBox} from '../../connector/src/security/secret-box.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {freePort} from '../support/free-port.js';

/**
 * Issue #12, items 7 and 8, attacked from outside: guessing the admin token over HTTP is rate-limited per client IP;
 * a production start without ENCRYPTION_KEY or with a guessable ADMIN_TOKEN is refused with one clear line; the
 * SQLite database, its WAL and shared-memory files and the generated key file are readable by their owner only.
 */

describe('admin token guessing is rate-limited per client IP', () => {
  let t: TestConnector;
  beforeEach(async () => {
    t = await startTestConnector();
  });
  afterEach(() => t.close());

  it('answers 429 problem+json with Retry-After after 10 failed tokens a minute; the right token still works', async () => {
    const wrong = (i: number) =>
      t
        .http()
        .get('/v1/sync/status')
        .set('Authorization', `Bearer guess-${i}-${randomBytes(12).toString('hex')}`);
    for (let i = 0; i < 10; i++) expect((await wrong(i)).status).toBe(401);
    const limited = await wrong(10);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({status: 429, title: 'Too Many Requests'});
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Even the right token would not tell a guesser anything now: it is never limited, and the guess is not checked.
    expect((await t.http().get('/v1/sync/status').set('Authorization', `Bearer ${t.adminToken}`)).status).toBe(200);
    expect((await wrong(11)).status).toBe(429);
    // Another client (a proxy on loopback forwards for it) has its own budget.
    expect(
      (
        await t
          .http()
          .get('/v1/sync/status')
          .set('X-Forwarded-For', '198.51.100.7')
          .set('Authorization', 'Bearer still-wrong-token-000000000')
      ).status,
    ).toBe(401);
    // Requests that present no token at all are not guesses: a plain 401.
    expect((await t.http().get('/v1/sync/status')).status).toBe(401);
  });
});

/** Environment for a connector child process: nothing inherited that configures it. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(MAILCHIMP_|SHOPIFY_|ADMIN_TOKEN|ENCRYPTION_KEY|DATABASE_|INGEST_TOKEN|NODE_ENV|PORT|HOST|PUBLIC_URL|REDIS_URL)/.test(
        key,
      )
    )
      continue;
    env[key] = value;
  }
  return {...env, LOG_LEVEL: 'error', ...extra};
}

function startMain(env: NodeJS.ProcessEnv): {child: ChildProcess; stderr: () => string; exit: Promise<number | null>} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'connector/src/main.ts'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {child, stderr: () => stderr, exit};
}

/** The exit code, or `running` if it is still up after `ms` (then it is stopped). */
async function exitWithin(run: ReturnType<typeof startMain>, ms: number): Promise<number | null | 'running'> {
  let timeout: NodeJS.Timeout | undefined;
  const timer = new Promise<'running'>((resolve) => {
    timeout = setTimeout(() => resolve('running'), ms);
  });
  const result = await Promise.race([run.exit, timer]);
  clearTimeout(timeout);
  if (result === 'running') {
    run.child.kill('SIGKILL');
    await run.exit;
  }
  return result;
}

describe('start-up refusals and file modes (connector/src/main.ts as a process)', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'startup-security-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, {recursive: true, force: true});
  });

  const production = async (extra: Record<string, string>) =>
    childEnv({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
      ADMIN_TOKEN: randomBytes(24).toString('base64url'),
      MAILCHIMP_API_KEY: 'abc123def456-us6',
      MAILCHIMP_BASE_URL: 'http://127.0.0.1:9/3.0',
      MAILCHIMP_LIST_ID: 'list1',
      INGEST_TOKEN: randomBytes(24).toString('base64url'),
      ...extra,
    });

  it('refuses to start in production without ENCRYPTION_KEY, with one line, and writes no key file', async () => {
    const run = startMain(await production({}));
    children.push(run.child);
    expect(await exitWithin(run, 20_000)).toBe(2);
    const problems = run
      .stderr()
      .split('\n')
      .filter((line) => line.trim().startsWith('- '));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/ENCRYPTION_KEY: .*production/);
    expect(existsSync(join(dir, 'encryption.key'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a low-entropy ADMIN_TOKEN with one line', async () => {
    for (const token of [
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'password-password-password-password',
      'abcdefghijklmnopqrstuvwxyz0123456789',
    ]) {
      const run = startMain(await production({ENCRYPTION_KEY: SecretBox.generateKey(), ADMIN_TOKEN: token}));
      children.push(run.child);
      expect(await exitWithin(run, 20_000)).toBe(2);
      const problems = run
        .stderr()
        .split('\n')
        .filter((line) => line.trim().startsWith('- '));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/ADMIN_TOKEN: .*(guess|entropy)/);
      expect(run.stderr()).not.toContain(token);
    }
  });

  it('creates the database, its WAL and SHM, and the generated key file with mode 0600 (development, demo mode)', async () => {
    const port = await freePort();
    // An explicit DATABASE_URL's directory must exist (only the default ./data/ is created); demo mode keeps its own
    // database, demo.db, beside the configured file (connector/src/app/demo-database.ts).
    mkdirSync(join(dir, 'data'));
    const dbPath = join(dir, 'data', 'demo.db');
    const run = startMain(
      childEnv({
        NODE_ENV: 'development',
        PORT: String(port),
        DATABASE_URL: `sqlite:${join(dir, 'data', 'connector.db')}`,
      }),
    );
    children.push(run.child);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (run.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`connector did not start: ${run.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, join(dir, 'data', 'encryption.key')];
    const modes = Object.fromEntries(
      files.map((f) => [f.slice(dir.length), existsSync(f) ? (statSync(f).mode & 0o777).toString(8) : 'missing']),
    );
    expect(modes).toEqual(Object.fromEntries(files.map((f) => [f.slice(dir.length), '600'])));
    run.child.kill('SIGTERM');
    await run.exit;
  });
});
