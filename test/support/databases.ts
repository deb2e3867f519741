import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {openStore, type Store} from '../../connector/src/store/database.js';

/** The machine's PostgreSQL (trust auth, database `test`, see services.ts POSTGRES); override with TEST_DATABASE_URL. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

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

export type EngineName = 'sqlite' | 'postgres';

/** A fresh store on the engine; Postgres availability is checked by the caller (test/support/services.ts). */
export function openEngine(name: EngineName): Promise<Store & {dropAll(): Promise<void>}> {
  return name === 'sqlite' ? sqliteEngine.open() : postgresEngine.open();
}
