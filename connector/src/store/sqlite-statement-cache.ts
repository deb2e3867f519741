import type BetterSqlite3 from 'better-sqlite3';
import type {SqliteDatabase} from 'kysely';

/** Distinct SQL texts kept prepared (queries with `IN (?, …)` lists of many lengths come and go). */
const DEFAULT_CAPACITY = 1_000;

/**
 * The database as Kysely's SQLite dialect sees it, with prepared statements reused by SQL text. Kysely prepares
 * every query anew; in a backfill, where each record costs a handful of small statements, preparing them took a
 * tenth of the connector's CPU. Least recently used statements are dropped beyond `capacity`; a statement still
 * being iterated (a streamed query) is never handed out twice: a fresh one is prepared for that call.
 */
export function withStatementCache(db: BetterSqlite3.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Map order is insertion order: moving the entry to the end keeps the least recently used first.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      if (cached) return statement;
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
