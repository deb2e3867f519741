import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {missingDatabaseDirectory} from '../../connector/src/store/database-location.js';

/** `npm start`'s entry point with the given environment: its exit code and stderr. */
async function runMain(env: Record<string, string>): Promise<{code: number | null; stderr: string}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'connector/src/main.ts'], {
    env: {...process.env, LOG_LEVEL: 'silent', PORT: '0', ...env},
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return {code, stderr};
}

describe('DATABASE_URL naming a directory that does not exist', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'database-location-'));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('is refused at start in one line naming DATABASE_URL and the directory, exit 2, nothing created', async () => {
    const missing = join(dir, 'not-mounted');
    const result = await runMain({DATABASE_URL: `sqlite:${join(missing, 'connector.db')}`});
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `DATABASE_URL: the directory ${missing} does not exist; create it (or fix the path), or leave DATABASE_URL unset to use ./data/`,
    ]);
    expect(existsSync(missing)).toBe(false);
  }, 40_000);

  it('is not asked of the default ./data/ (unset, or sqlite: with an empty path), nor of memory or Postgres', () => {
    expect(missingDatabaseDirectory('sqlite:./data/connector.db')).toBeUndefined();
    expect(missingDatabaseDirectory('sqlite:')).toBeUndefined();
    expect(missingDatabaseDirectory('sqlite::memory:')).toBeUndefined();
    expect(missingDatabaseDirectory('postgres://127.0.0.1/test')).toBeUndefined();
    expect(missingDatabaseDirectory(`sqlite:${join(dir, 'connector.db')}`)).toBeUndefined();
    expect(missingDatabaseDirectory(`sqlite:${join(dir, 'nope', 'connector.db')}`)).toBe(join(dir, 'nope'));
  });
});
