import {chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {SecretBox} from './secret-box.js';
import {sqlitePathOf} from '../store/database-location.js';

/**
 * The key that seals stored credentials. ENCRYPTION_KEY wins. Without it, an embedded SQLite install keeps a
 * generated key in `encryption.key` (mode 0600) beside the database, so `npm start` works with no setup; Postgres
 * deployments must set ENCRYPTION_KEY (config validation enforces it) because every process needs the same key, and
 * so must production (NODE_ENV=production): a key file beside the database sits in the same backups as the data.
 */
export function resolveSecretBox(
  encryptionKey: string | undefined,
  databaseUrl: string,
): {box: SecretBox; generatedAt?: string} {
  if (encryptionKey) return {box: SecretBox.fromBase64(encryptionKey)};
  // `sqlite:` with an empty path is the default file in ./data/ (store/database-location.ts).
  const dbPath = sqlitePathOf(databaseUrl);
  if (dbPath === undefined) return {box: SecretBox.fromBase64(SecretBox.generateKey())};
  const keyPath = join(dirname(dbPath), 'encryption.key');
  if (existsSync(keyPath)) {
    // A key file from an older install or a copy may be readable by others: owner-only, like the database.
    if ((statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
    return {box: SecretBox.fromBase64(readFileSync(keyPath, 'utf8').trim())};
  }
  mkdirSync(dirname(keyPath), {recursive: true, mode: 0o700});
  writeFileSync(keyPath, `${SecretBox.generateKey()}\n`, {mode: 0o600, flag: 'wx'});
  chmodSync(keyPath, 0o600);
  return {box: SecretBox.fromBase64(readFileSync(keyPath, 'utf8').trim()), generatedAt: keyPath};
}
