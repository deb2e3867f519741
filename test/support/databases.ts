import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {openStore, type Store} from '../../connector/src/store/database.js';

/** The machine's PostgreSQL (trust auth, database `test`); override with TEST_DATABASE_URL. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresReachable: Promise<boolean> | undefined;

export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000});
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresReachable;
}

interface EngineUnderTest {
  /** A fresh, migrated, empty store (a new schema on Postgres, a new in-memory database on SQLite). */
  open(): Promise<Store & {dropAll(): Promise<void>}>;
}

const sqliteEngine: EngineUnderTest = {
  async open() {
    const store = await openStore({url: 'sqlite::memory:'});
    return {...store, dropAll: () => store.close()};
  },
};

const postgresEngine: EngineUnderTest = {
  async open() {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const store = await openStore({url: TEST_POSTGRES_URL, schema});
    return {
      ...store,
      async dropAll() {
        await store.close();
        const client = new pg.Client({connectionString: TEST_POSTGRES_URL});
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  },
};

/** Both engines, for `describe.each`; Jest needs the list synchronously, so Postgres is probed per test. */
export const ENGINE_NAMES = ['sqlite', 'postgres'] as const;

export async function openEngine(name: (typeof ENGINE_NAMES)[number]): Promise<(Store & {dropAll(): Promise<void>}) | undefined> {
  if (name === 'sqlite') return sqliteEngine.open();
  if (await isPostgresReachable()) return postgresEngine.open();
  const reason = `PostgreSQL is not reachable at ${TEST_POSTGRES_URL.replace(/\/\/[^@]*@/, '//')}`;
  if (process.env.CI === 'true') throw new Error(`${reason}: CI requires it (start it with the command in the env notes).`);
  process.stderr.write(`[skip] Postgres case: ${reason}\n`);
  return undefined;
}
