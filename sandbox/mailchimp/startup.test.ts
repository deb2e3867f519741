import {spawn} from 'node:child_process';
import {startTestSandbox, type TestSandbox} from '../../test/support/sandbox.js';
import {connectorEnvBlock, createStartupAudience} from './startup.js';

/** `KEY=value` lines of an env block (comments skipped). */
function parseEnv(block: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

describe('npm run sandbox start-up: audience and connector env block', () => {
  let ts: TestSandbox | undefined;
  afterEach(async () => {
    await ts?.close();
    ts = undefined;
  });

  it('creates an audience (double opt-in off by default) whose id the env block carries', async () => {
    ts = await startTestSandbox();
    const listId = createStartupAudience(ts.sandbox);
    const env = parseEnv(connectorEnvBlock({origin: ts.sandbox.origin(), apiKey: ts.apiKey, listId}));
    expect(env).toEqual({
      MAILCHIMP_BASE_URL: ts.baseUrl,
      MAILCHIMP_API_KEY: ts.apiKey,
      MAILCHIMP_LIST_ID: listId,
    });
    const list = await ts.http().get(`/3.0/lists/${env.MAILCHIMP_LIST_ID}`).set('Authorization', ts.auth);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({name: 'Sandbox audience', double_optin: false});
    expect(ts.sandbox.state.lists.get(createStartupAudience(ts.sandbox, {doubleOptIn: true}))?.double_optin).toBe(true);
  });

  it('adds the OAuth app when one is given', () => {
    const env = parseEnv(
      connectorEnvBlock({
        origin: 'http://127.0.0.1:4010',
        apiKey: 'k-us1',
        listId: 'l1',
        oauthClient: {clientId: 'id1', clientSecret: 's1'},
      }),
    );
    expect(env).toMatchObject({
      MAILCHIMP_CLIENT_ID: 'id1',
      MAILCHIMP_CLIENT_SECRET: 's1',
      MAILCHIMP_OAUTH_URL: 'http://127.0.0.1:4010/oauth2',
    });
  });

  it('main.ts prints a block whose list id and OAuth app work against the running sandbox', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'sandbox/mailchimp/main.ts',
        '--port',
        '0',
        '--oauth-client-id',
        'cli-client',
        '--oauth-client-secret',
        'cli-secret',
        '--auto-approve',
      ],
      {stdio: ['ignore', 'pipe', 'inherit']},
    );
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (/^MAILCHIMP_OAUTH_URL=.*\n/m.test(out)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`main.ts exited (${code}): ${out}`)));
      });
      const env = parseEnv(out);
      const auth = `Basic ${Buffer.from(`any:${env.MAILCHIMP_API_KEY}`).toString('base64')}`;
      const list = await fetch(`${env.MAILCHIMP_BASE_URL}/lists/${env.MAILCHIMP_LIST_ID}`, {
        headers: {authorization: auth},
      });
      expect(list.status).toBe(200);
      expect(env.MAILCHIMP_CLIENT_ID).toBe('cli-client');
      const authorize = await fetch(
        `${env.MAILCHIMP_OAUTH_URL}/authorize?response_type=code&client_id=cli-client&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}&state=s`,
        {redirect: 'manual'},
      );
      expect(authorize.status).toBe(302);
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
