import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

/**
 * Tests that need a real service on this machine (Redis, Postgres). In CI a missing service fails the run loudly;
 * on a developer machine the tests are skipped with the reason printed.
 */
export interface LocalService {
  name: string;
  host: string;
  port: number;
  /** What to do about it, printed with the reason. */
  hint: string;
}

export const REDIS: LocalService = {
  name: 'Redis',
  host: '127.0.0.1',
  port: 6379,
  hint: 'start redis-server on 127.0.0.1:6379',
};
export const REDIS_TEST_URL = `redis://${REDIS.host}:${REDIS.port}`;
export const POSTGRES: LocalService = {
  name: 'PostgreSQL',
  host: '127.0.0.1',
  port: 5432,
  hint: 'start it with the pg_ctlcluster command in the env notes',
};

/**
 * A synchronous TCP probe: Jest decides between describe and describe.skip while it collects tests, before any
 * async hook runs, so the check runs in a short child process.
 */
export function isReachable(service: LocalService, timeoutMs = 1_000): boolean {
  const script = [
    `const s = require('node:net').connect(${service.port}, ${JSON.stringify(service.host)});`,
    `s.setTimeout(${timeoutMs}, () => process.exit(1));`,
    `s.on('connect', () => process.exit(0));`,
    `s.on('error', () => process.exit(1));`,
  ].join('');
  const result = spawnSync(process.execPath, ['-e', script], {timeout: timeoutMs + 2_000, stdio: 'ignore'});
  return result.status === 0;
}

/** A program the tests run (a browser), found by its path. */
export interface LocalProgram {
  name: string;
  path: string;
  hint: string;
}

/** Debian's Chromium (`.ci/run` installs it); the browser tests drive it with playwright-core, never a downloaded one. */
export const CHROMIUM: LocalProgram = {
  name: 'Chromium',
  path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  hint: 'apt-get install -y chromium',
};

/**
 * `describe` when the service answers (or the program is installed); a failing test in CI when it does not;
 * `describe.skip` with a reason otherwise.
 */
export function describeWithService(service: LocalService | LocalProgram, name: string, body: () => void): void {
  const available = 'path' in service ? existsSync(service.path) : isReachable(service);
  if (available) {
    describe(name, body);
    return;
  }
  const reason =
    'path' in service
      ? `${service.name} is not installed at ${service.path}`
      : `${service.name} is not reachable at ${service.host}:${service.port}`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${service.name}`, () => {
        throw new Error(`${reason}; CI must provide it (${service.hint})`);
      });
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${reason} (${service.hint})\n`);
  describe.skip(name, body);
}
