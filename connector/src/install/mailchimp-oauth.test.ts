import {inspect} from 'node:util';
import {sendJson, startLocalHttpServer, type LocalHttpServer} from '../mailchimp/testing/local-http-server.js';
import {
  authorizeUrl,
  describeToken,
  exchangeCode,
  MailchimpOAuthError,
  mailchimpRedirectUri,
  pingApiKey,
  type MailchimpOAuthApp,
} from './mailchimp-oauth.js';

const SECRET = 'client-secret-7c1d9e2f4a';
const CODE = 'code-3b8e6a0f1c';
const TOKEN = 'token-a1b2c3d4e5f6';
const KEY = '0123456789abcdef0123456789abcdef-us7';

let server: LocalHttpServer;
let answer: {status: number; body: unknown} = {status: 200, body: {}};

beforeAll(async () => {
  server = await startLocalHttpServer((req, res) => {
    if (req.url === '/oauth2/metadata') {
      if (req.headers.authorization === `OAuth ${TOKEN}`)
        return sendJson(res, 200, {dc: 'us7', accountname: 'Shop Co', api_endpoint: 'https://us7.api.mailchimp.com'});
      if (req.headers.authorization === 'OAuth no-endpoint')
        return sendJson(res, 200, {dc: 'us3', login: {email: 'a@b.c'}});
      return sendJson(res, 401, {error: 'invalid_token'});
    }
    if (req.url.startsWith('/3.0/')) {
      const ok = req.headers.authorization === `Basic ${Buffer.from(`anystring:${KEY}`).toString('base64')}`;
      // A server that echoes what it was given: the answer must still not carry the key.
      const presented = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      if (!ok)
        return sendJson(res, 401, {title: 'API Key Invalid', detail: `Your API key ${presented} may be invalid`});
      return sendJson(
        res,
        200,
        req.url === '/3.0/ping' ? {health_status: "Everything's Chimpy!"} : {account_name: 'Key Co'},
      );
    }
    return sendJson(res, answer.status, answer.body);
  });
});
afterAll(() => server.close());

const app = (): MailchimpOAuthApp => ({
  clientId: 'cid',
  clientSecret: SECRET,
  oauthUrl: `${server.origin}/oauth2/`,
  redirectUri: mailchimpRedirectUri('https://connector.example/'),
});

describe('Mailchimp OAuth 2 helpers', () => {
  it('builds the authorize URL: response_type=code, client_id, redirect_uri under PUBLIC_URL, state', () => {
    const url = new URL(authorizeUrl(app(), 'nonce-1'));
    expect(`${url.origin}${url.pathname}`).toBe(`${server.origin}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: 'https://connector.example/mailchimp/callback',
      state: 'nonce-1',
    });
  });

  it('exchanges a code with a form-encoded POST and takes expires_in 0 as a token that does not expire', async () => {
    answer = {status: 200, body: {access_token: TOKEN, expires_in: 0, scope: null}};
    await expect(exchangeCode(app(), CODE)).resolves.toBe(TOKEN);
    const sent = server.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/oauth2/token');
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'cid',
      client_secret: SECRET,
      redirect_uri: 'https://connector.example/mailchimp/callback',
      code: CODE,
    });
  });

  it('a refused exchange is an error naming the answer, without the secret or the code', async () => {
    answer = {status: 400, body: {error: 'invalid_grant', error_description: `code ${CODE} for ${SECRET} is used`}};
    const error = await exchangeCode(app(), CODE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailchimpOAuthError);
    expect(error).toMatchObject({step: 'token', status: 400, oauthError: 'invalid_grant'});
    const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
    expect(text).toContain('invalid_grant');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CODE);
  });

  it('describes a token from the metadata: dc, <api_endpoint>/3.0, the account name', async () => {
    await expect(describeToken(app(), TOKEN)).resolves.toMatchObject({
      credentials: {kind: 'oauth', accessToken: TOKEN, dc: 'us7', baseUrl: 'https://us7.api.mailchimp.com/3.0'},
      accountName: 'Shop Co',
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe(`OAuth ${TOKEN}`);
    await expect(describeToken(app(), 'no-endpoint')).resolves.toMatchObject({
      credentials: {dc: 'us3', baseUrl: 'https://us3.api.mailchimp.com/3.0'},
      accountName: 'a@b.c',
    });
    const error = await describeToken(app(), 'bad-token-123').catch((e: unknown) => e);
    expect(error).toMatchObject({step: 'metadata', status: 401});
    expect(inspect(error)).not.toContain('bad-token-123');
  });

  it('checks a pasted key with /ping (and reads the account name); a refused key names the answer, not the key', async () => {
    await expect(pingApiKey(KEY, `${server.origin}/3.0`)).resolves.toEqual({ok: true, accountName: 'Key Co'});
    const wrong = 'ffffffffffffffffffffffffffffffff-us7';
    const refused = await pingApiKey(wrong, `${server.origin}/3.0`);
    expect(refused).toMatchObject({ok: false, status: 401});
    expect(refused.ok ? '' : refused.answer).toMatch(/^Mailchimp answered 401 \(API Key Invalid: /);
    expect(JSON.stringify(refused)).not.toContain(wrong);
  });
});
