import {startTestSandbox, type TestSandbox} from '../../../test/support/sandbox.js';
import {sendJson, startLocalHttpServer, type LocalHttpServer} from '../mailchimp/testing/local-http-server.js';
import {runCli} from './run-cli.js';

function buffers() {
  const out: string[] = [];
  const err: string[] = [];
  return {io: {stdout: {write: (t: string) => out.push(t)}, stderr: {write: (t: string) => err.push(t)}}, out, err};
}

let server: LocalHttpServer;

beforeAll(async () => {
  server = await startLocalHttpServer((req, res) =>
    req.headers.authorization === 'OAuth good-token'
      ? sendJson(res, 200, {dc: 'us21'})
      : sendJson(res, 401, {error: 'invalid_token'}),
  );
});

afterAll(() => server.close());

describe('npm run connector -- mailchimp-dc', () => {
  it('prints the data center of a token', async () => {
    const {io, out} = buffers();
    const code = await runCli(
      ['mailchimp-dc', '--token', 'good-token', '--metadata-url', `${server.origin}/oauth2/metadata`],
      io,
    );
    expect(code).toBe(0);
    expect(out.join('')).toBe('us21\n');
  });

  it('says the token was refused, without printing it', async () => {
    const {io, err} = buffers();
    const code = await runCli(
      ['mailchimp-dc', '--token', 'secret-bad-token', '--metadata-url', `${server.origin}/oauth2/metadata`],
      io,
    );
    expect(code).toBe(1);
    expect(err.join('')).toContain('the token was refused');
    expect(err.join('')).not.toContain('secret-bad-token');
  });

  describe('against the Mailchimp sandbox', () => {
    let ts: TestSandbox;
    beforeAll(async () => {
      ts = await startTestSandbox();
    });
    afterAll(() => ts.close());
    const metadataUrl = () => `${ts.sandbox.origin()}/oauth2/metadata`;

    it("prints the sandbox's data center for its access token (its key without -dc)", async () => {
      const {io, out, err} = buffers();
      const token = ts.apiKey.replace(/-us1$/, '');
      expect(await runCli(['mailchimp-dc', '--token', token, '--metadata-url', metadataUrl()], io)).toBe(0);
      expect(err.join('')).toBe('');
      expect(out.join('')).toBe('us1\n');
    });

    it('says a token the sandbox did not issue was refused', async () => {
      const {io, err} = buffers();
      expect(
        await runCli(['mailchimp-dc', '--token', 'not-a-sandbox-token', '--metadata-url', metadataUrl()], io),
      ).toBe(1);
      expect(err.join('')).toContain('the token was refused');
    });
  });

  it('needs --token and rejects unknown options', async () => {
    const missing = buffers();
    expect(await runCli(['mailchimp-dc'], missing.io)).toBe(2);
    expect(missing.err.join('')).toContain('--token is required');
    const unknown = buffers();
    expect(await runCli(['mailchimp-dc', '--token', 't', '--nope'], unknown.io)).toBe(2);
    expect(unknown.err.join('')).toMatch(/usage: mailchimp-dc/);
  });

  it('lists the commands for --help and rejects an unknown command', async () => {
    const help = buffers();
    expect(await runCli(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('mailchimp-dc');
    const unknown = buffers();
    expect(await runCli(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.err.join('')).toContain('unknown command: frobnicate');
  });
});
