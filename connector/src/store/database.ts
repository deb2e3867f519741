import BetterSqlite3 from 'better-sqlite3';
import {mkdirSync} from 'node:fs';
import {dirname} from 'node:path';
import pg from 'pg';
import {Kysely, PostgresDialect, SqliteDialect} from 'kysely';
import type {Database} from './schema.js';
import {migrateToLatest} from './migrations.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `sqlite:<path>` (`sqlite::memory:` for a throwaway one) or `postgres://…`. */
  url: string;
  /** Postgres only: a schema to use (created if missing), so tests can share one database. */
  schema?: string;
  migrate?: boolean;
}

/** Opens the database named by DATABASE_URL and runs the migrations. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const {url} = options;
  let store: Store;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length) || './data/connector.db';
    if (path !== ':memory:') mkdirSync(dirname(path), {recursive: true});
    const sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode; fsync at checkpoints
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({dialect: new SqliteDialect({database: sqlite})});
    store = {db, engine: 'sqlite', close: () => db.destroy()};
  } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      ...(options.schema ? {options: `-c search_path=${quoteIdent(options.schema)}`} : {}),
    });
    if (options.schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
      } finally {
        client.release();
      }
    }
    const db = new Kysely<Database>({dialect: new PostgresDialect({pool})});
    store = {db, engine: 'postgres', close: () => db.destroy()};
  } else {
    throw new Error('DATABASE_URL must start with sqlite: or postgres://');
  }
  if (options.migrate ?? true) await migrateToLatest(store.db, store.engine, options.schema);
  return store;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}
