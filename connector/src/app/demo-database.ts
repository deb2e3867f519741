import {rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {DEFAULT_SQLITE_PATH, sqlitePathOf} from '../store/database-location.js';

/**
 * Demo mode's database. The demo's Mailchimp sandbox lives in memory and is new at every start, so a database kept
 * across starts would claim records are synced to a Mailchimp that no longer has them (`status` says synced, the demo
 * panel is empty). Decision: both start fresh. The demo uses a file of its own, `demo.db` beside the configured SQLite
 * file (default `./data/demo.db`), emptied at each start; the configured (production) file is never opened in demo
 * mode. An in-memory DATABASE_URL stays in memory (fresh anyway); a Postgres one is not touched (the demo uses
 * `./data/demo.db`).
 */
export function demoDatabaseUrl(configuredUrl: string): string {
  if (configuredUrl === 'sqlite::memory:') return configuredUrl;
  const configured = sqlitePathOf(configuredUrl) ?? DEFAULT_SQLITE_PATH;
  return `sqlite:${join(dirname(configured), 'demo.db')}`;
}

/** Removes the demo database and its WAL and shared-memory files, so this demo starts as empty as its sandbox. */
export function resetDemoDatabase(demoUrl: string): void {
  const path = sqlitePathOf(demoUrl);
  if (path === undefined) return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, {force: true});
}
