import {existsSync} from 'node:fs';
import {dirname, resolve} from 'node:path';

/** Where `npm start` keeps its SQLite database when DATABASE_URL is unset (or `sqlite:` with an empty path). */
export const DEFAULT_SQLITE_PATH = './data/connector.db';

/** The file of a `sqlite:` DATABASE_URL; undefined for Postgres and for `sqlite::memory:`. */
export function sqlitePathOf(url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length) || DEFAULT_SQLITE_PATH;
  return path === ':memory:' ? undefined : path;
}

/** Whether the file lives in the default data directory (`./data/`), which is created when missing. */
export function isInDefaultDirectory(path: string): boolean {
  return resolve(dirname(path)) === resolve(dirname(DEFAULT_SQLITE_PATH));
}

/**
 * The directory of an explicitly placed SQLite file that does not exist, else undefined. Only the default `./data/`
 * is created: a mistyped path elsewhere (a volume not mounted, `/var/lib/conector/`) would otherwise start a new,
 * empty database silently, and the connector would sync as if it had never seen the shop.
 */
export function missingDatabaseDirectory(url: string): string | undefined {
  const path = sqlitePathOf(url);
  if (path === undefined || isInDefaultDirectory(path)) return undefined;
  const directory = dirname(path);
  return existsSync(directory) ? undefined : directory;
}

/** The one line start-up prints for missingDatabaseDirectory. */
export function missingDatabaseDirectoryMessage(directory: string): string {
  return `DATABASE_URL: the directory ${directory} does not exist; create it (or fix the path), or leave DATABASE_URL unset to use ./data/`;
}
