import {ConfigError, loadConfig} from './config.js';
import {SecretBox} from '../security/secret-box.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const STRONG = 'Vq3xN8r-LkT2pZ7wYc5bHm9sJd4fG6aE';

describe('security settings (issue #12, items 7 and 8)', () => {
  it('requires ENCRYPTION_KEY in production, once, whatever the database', () => {
    expect(problemsOf({NODE_ENV: 'production', ADMIN_TOKEN: STRONG})).toEqual([
      expect.stringMatching(/^ENCRYPTION_KEY: is required in production/),
    ]);
    expect(
      problemsOf({NODE_ENV: 'production', ADMIN_TOKEN: STRONG, DATABASE_URL: 'postgres://x@127.0.0.1/db'}),
    ).toEqual([expect.stringMatching(/^ENCRYPTION_KEY: is required with a Postgres/)]);
    expect(problemsOf({NODE_ENV: 'production', ADMIN_TOKEN: STRONG, ENCRYPTION_KEY: SecretBox.generateKey()})).toEqual(
      [],
    );
    // Development and test (and so demo mode) may keep the generated key file beside the database.
    expect(problemsOf({NODE_ENV: 'development'})).toEqual([]);
    expect(problemsOf({NODE_ENV: 'test'})).toEqual([]);
  });

  it('refuses a guessable ADMIN_TOKEN with one line that does not repeat it', () => {
    for (const token of [
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'password-password-password-password',
      '012345678901234567890123456789',
    ]) {
      const problems = problemsOf({ADMIN_TOKEN: token});
      expect(problems).toEqual([expect.stringMatching(/^ADMIN_TOKEN: is too easy to guess/)]);
      expect(problems[0]).not.toContain(token);
    }
    // Too short says so, once.
    expect(problemsOf({ADMIN_TOKEN: 'aaaa'})).toEqual(['ADMIN_TOKEN: must be at least 24 characters']);
    expect(problemsOf({ADMIN_TOKEN: STRONG})).toEqual([]);
  });
});
