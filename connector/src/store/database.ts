import BetterSqlite3 from 'better-sqlite3';
import {chmodSync, closeSync, mkdirSync, openSync, statSync} from 'node:fs';
import {dirname} from 'node:path';
import pg from 'pg';
import {Kysely, PostgresDialect, SqliteDialect, sql} from 'kysely';
import type {Database} from './schema.js';
import {DEFAULT_SQLITE_PATH, missingDatabaseDirectory, missingDatabaseDirectoryMessage} from './database-location.js';
import {migrateToLatest} from './migrations.js';
import {withStatementCache} from './sqlite-statement-cache.js';

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
    const path = url.slice('sqlite:'.length) || DEFAULT_SQLITE_PATH;
    const onDisk = path !== ':memory:';
    // Only the default ./data/ is created; any other directory must exist (main.ts says so before getting here).
    const missing = missingDatabaseDirectory(url);
    if (missing !== undefined) throw new Error(missingDatabaseDirectoryMessage(missing));
    if (onDisk) {
      mkdirSync(dirname(path), {recursive: true, mode: 0o700});
      // Owner-only before SQLite opens it: SQLite creates the -wal and -shm files with the database file's mode.
      closeSync(openSync(path, 'a', 0o600));
      ownerOnly(path);
    }
    const sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode; fsync at checkpoints
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed, not left in free space: a GDPR redaction must leave no bytes behind
    // (the WAL's older frames go with the checkpoint in releaseErasedBytes).
    sqlite.pragma('secure_delete = ON');
    const db = new Kysely<Database>({dialect: new SqliteDialect({database: withStatementCache(sqlite)})});
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
  if (store.engine === 'sqlite') {
    // An install from before files were owner-only, or -wal/-shm left by a process with another umask.
    const path = url.slice('sqlite:'.length) || DEFAULT_SQLITE_PATH;
    if (path !== ':memory:') for (const file of [path, `${path}-wal`, `${path}-shm`]) ownerOnly(file);
  }
  return store;
}

/** Mode 0600 for a file that exists; a file owned by another user (a mounted volume) is left as it is. */
function ownerOnly(file: string): void {
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EPERM') throw err;
  }
}

/**
 * After personal data was erased (GDPR redaction): SQLite's WAL still holds the pages as they were before, until a
 * checkpoint copies the current pages into the database file (where `secure_delete` zeroed the erased content) and
 * TRUNCATE empties the WAL. Postgres keeps dead row versions until (auto)vacuum and in its own WAL; nothing to do
 * here for it. Best effort: a checkpoint another connection blocks (`busy`) completes at a later redaction.
 */
export async function releaseErasedBytes(db: Kysely<Database>, engine: Engine): Promise<{busy: boolean}> {
  if (engine !== 'sqlite') return {busy: false};
  const result = await sql<{busy: number}>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  return {busy: Number(result.rows[0]?.busy ?? 0) !== 0};
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

/** Whether the database answers (readiness). */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
