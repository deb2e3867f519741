import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {createServer, type Server} from 'node:net';
import type {AddressInfo} from 'node:net';

/** `npm start`'s entry point with the given environment: its exit code, stderr and how long it ran. */
async function runMain(env: Record<string, string>): Promise<{code: number | null; stderr: string; ms: number}> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'connector/src/main.ts'], {
    env: {...process.env, LOG_LEVEL: 'silent', ...env},
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return {code, stderr, ms: Date.now() - started};
}

describe('start-up with the port taken', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    port = (taken.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => taken.close(resolve)));

  it('says so in one line naming the port and PORT, exits 2, before starting anything (no stack trace)', async () => {
    // Demo mode (nothing set) would otherwise start the sandboxes and the database first.
    const result = await runMain({PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:'});
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `port ${port} on 127.0.0.1 is already in use: stop what listens there, or set PORT to another port (PORT=0 picks a free one)`,
    ]);
  }, 30_000);
});
