import {inspect} from 'node:util';
import {MailchimpError} from './mailchimp-error.js';
import {dataCenterForAccessToken, fetchOAuthMetadata} from './oauth-metadata.js';
import {sendJson, startLocalHttpServer, type LocalHttpServer} from './testing/local-http-server.js';

const TOKEN = 'oauth-token-5f2b9c0e7d';
let server: LocalHttpServer;

beforeAll(async () => {
  server = await startLocalHttpServer((req, res) => {
    if (req.headers.authorization === `OAuth ${TOKEN}`) {
      return sendJson(res, 200, {
        dc: 'us12',
        role: 'owner',
        accountname: 'Shop',
        api_endpoint: 'https://us12.api.mailchimp.com',
        login_url: 'https://login.mailchimp.com',
      });
    }
    if (req.headers.authorization === 'OAuth weird') return sendJson(res, 200, {role: 'owner'});
    return sendJson(res, 401, {
      error: 'invalid_token',
      error_description: `token ${String(req.headers.authorization)} is not valid`,
    });
  });
});

afterAll(() => server.close());

describe('OAuth metadata', () => {
  const metadataUrl = () => `${server.origin}/oauth2/metadata`;

  it('gives the data center of a token, asking with Authorization: OAuth <token>', async () => {
    await expect(dataCenterForAccessToken(TOKEN, {metadataUrl: metadataUrl()})).resolves.toBe('us12');
    await expect(fetchOAuthMetadata(TOKEN, {metadataUrl: metadataUrl()})).resolves.toMatchObject({
      dc: 'us12',
      accountname: 'Shop',
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe(`OAuth ${TOKEN}`);
  });

  it('fails with an auth MailchimpError that does not contain the token', async () => {
    const bad = 'not-the-right-token-123';
    const error = await dataCenterForAccessToken(bad, {metadataUrl: metadataUrl()}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailchimpError);
    expect((error as MailchimpError).kind).toBe('auth');
    expect(JSON.stringify(error) + inspect(error, {depth: 10})).not.toContain(bad);
  });

  it('fails when the answer has no dc', async () => {
    await expect(dataCenterForAccessToken('weird', {metadataUrl: metadataUrl()})).rejects.toThrow(/no valid "dc"/);
  });
});
