import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {SecretBox} from './secret-box.js';

/**
 * The key that seals stored credentials. ENCRYPTION_KEY wins. Without it, an embedded SQLite install keeps a
 * generated key in `encryption.key` (mode 0600) beside the database, so `npm start` works with no setup; Postgres
 * deployments must set ENCRYPTION_KEY (config validation enforces it) because every process needs the same key.
 */
export function resolveSecretBox(encryptionKey: string | undefined, databaseUrl: string): {box: SecretBox; generatedAt?: string} {
  if (encryptionKey) return {box: SecretBox.fromBase64(encryptionKey)};
  const dbPath = databaseUrl.slice('sqlite:'.length);
  if (!databaseUrl.startsWith('sqlite:') || dbPath === ':memory:') return {box: SecretBox.fromBase64(SecretBox.generateKey())};
  const keyPath = join(dirname(dbPath), 'encryption.key');
  if (existsSync(keyPath)) return {box: SecretBox.fromBase64(readFileSync(keyPath, 'utf8').trim())};
  mkdirSync(dirname(keyPath), {recursive: true});
  writeFileSync(keyPath, `${SecretBox.generateKey()}\n`, {mode: 0o600});
  chmodSync(keyPath, 0o600);
  return {box: SecretBox.fromBase64(readFileSync(keyPath, 'utf8').trim()), generatedAt: keyPath};
}
