import {createListRecord} from '../core/lists.js';
import {startTestSandbox, type TestSandbox} from '../../../test/support/sandbox.js';

const CLIENT = {clientId: 'sandbox-client-1', clientSecret: 'sandbox-secret-1'};
const REDIRECT_URI = 'http://127.0.0.1:3000/auth/mailchimp/callback';

describe('OAuth 2 flow (login.mailchimp.com/oauth2/authorize and /token)', () => {
  let ts: TestSandbox;
  afterEach(() => ts.close());

  const authorizeQuery = (overrides: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    state: 'st-123',
    ...overrides,
  });

  /** Runs the auto-approved authorize step and returns the redirect's code. */
  async function authorize(): Promise<string> {
    const res = await ts.http().get('/oauth2/authorize').query(authorizeQuery());
    expect(res.status).toBe(302);
    return new URL(res.headers.location as string).searchParams.get('code')!;
  }

  const exchange = (code: string, overrides: Record<string, string> = {}) =>
    ts
      .http()
      .post('/oauth2/token')
      .type('form')
      .send({
        grant_type: 'authorization_code',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        redirect_uri: REDIRECT_URI,
        code,
        ...overrides,
      });

  it('auto-approve redirects at once to redirect_uri with a code and the state unchanged', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
    const res = await ts
      .http()
      .get('/oauth2/authorize')
      .query(authorizeQuery({redirect_uri: `${REDIRECT_URI}?keep=1`}));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('keep')).toBe('1');
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('code')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('without auto-approve shows an Allow page whose form redirects the same way (Cancel: access_denied)', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT]});
    const page = await ts
      .http()
      .get('/oauth2/authorize')
      .query(authorizeQuery({state: 'a"<b>'}));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post" action="/oauth2/authorize">');
    expect(page.text).toContain('value="allow">Allow</button>');
    expect(page.text).toContain('value="a&#34;&#60;b&#62;"');

    const form = {...authorizeQuery({state: 'a"<b>'})};
    const allowed = await ts
      .http()
      .post('/oauth2/authorize')
      .type('form')
      .send({...form, decision: 'allow'});
    expect(allowed.status).toBe(302);
    const location = new URL(allowed.headers.location as string);
    expect(location.searchParams.get('state')).toBe('a"<b>');
    const token = await exchange(location.searchParams.get('code')!);
    expect(token.status).toBe(200);

    const denied = await ts
      .http()
      .post('/oauth2/authorize')
      .type('form')
      .send({...form, decision: 'deny'});
    expect(denied.status).toBe(302);
    const deniedAt = new URL(denied.headers.location as string);
    expect(deniedAt.searchParams.get('error')).toBe('access_denied');
    expect(deniedAt.searchParams.get('code')).toBeNull();
  });

  it('refuses an unknown client_id, a bad response_type or redirect_uri with 400 and no redirect', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
    const cases: Array<[Record<string, string>, string]> = [
      [{client_id: 'someone-else'}, 'invalid_client'],
      [{response_type: 'token'}, 'unsupported_response_type'],
      [{redirect_uri: 'not a url'}, 'invalid_request'],
    ];
    for (const [overrides, error] of cases) {
      const res = await ts.http().get('/oauth2/authorize').query(authorizeQuery(overrides));
      expect(res.status).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.body.error).toBe(error);
    }
  });

  it('exchanges the code (form POST) for a token that sees the same account as the API key, on /3.0 and metadata', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
    createListRecord(ts.sandbox.state, {name: 'Sandbox audience'});
    const res = await exchange(await authorize());
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({access_token: expect.stringMatching(/^[0-9a-f]{32}$/), expires_in: 0, scope: null});
    const token = res.body.access_token as string;

    const ping = await ts.http().get('/3.0/ping').set('Authorization', `Bearer ${token}`);
    expect(ping.status).toBe(200);
    const withToken = await ts.http().get('/3.0/lists').set('Authorization', `OAuth ${token}`);
    const withKey = await ts.http().get('/3.0/lists').set('Authorization', ts.auth);
    expect(withToken.status).toBe(200);
    expect(withToken.body.lists.map((l: {id: string}) => l.id)).toEqual(
      withKey.body.lists.map((l: {id: string}) => l.id),
    );
    expect(withToken.body.lists).toHaveLength(1);

    const metadata = await ts.http().get('/oauth2/metadata').set('Authorization', `OAuth ${token}`);
    expect(metadata.status).toBe(200);
    expect(metadata.body).toMatchObject({
      dc: 'us1',
      api_endpoint: ts.sandbox.origin(),
      accountname: 'Mailchimp Sandbox',
      login: {email: 'owner@sandbox.invalid'},
    });
  });

  it('uses a code once', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
    const code = await authorize();
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('binds the code to its redirect_uri and expires it after 10 minutes', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true, now: () => new Date(now)});
    const other = await exchange(await authorize(), {redirect_uri: 'http://127.0.0.1:3000/elsewhere'});
    expect(other.status).toBe(400);
    expect(other.body.error).toBe('invalid_grant');

    const code = await authorize();
    now += 10 * 60_000 + 1;
    const late = await exchange(code);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
  });

  it('refuses a wrong client secret or unknown client (401 invalid_client) and keeps the code usable', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
    const code = await authorize();
    const wrong = await exchange(code, {client_secret: 'not-the-secret'});
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect((await exchange(code, {client_id: 'someone-else'})).status).toBe(401);
    expect((await exchange(code)).status).toBe(200);
  });

  it('refuses other grant types, missing parameters and a JSON body', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
    const code = await authorize();
    expect((await exchange(code, {grant_type: 'refresh_token'})).body.error).toBe('unsupported_grant_type');
    const missing = await exchange(code, {client_secret: ''});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({error: 'invalid_request', error_description: 'Missing client_secret'});
    const json = await ts.http().post('/oauth2/token').send({grant_type: 'authorization_code', code});
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
  });

  it('revoking a token makes /3.0 and metadata answer 401; the API key keeps working', async () => {
    ts = await startTestSandbox({oauthClients: [CLIENT], oauthAutoApprove: true});
    const token = (await exchange(await authorize())).body.access_token as string;
    const revoke = (t: string) => ts.http().post('/__sandbox/oauth/revoke').send({token: t});
    expect((await revoke(token)).status).toBe(204);

    const ping = await ts.http().get('/3.0/ping').set('Authorization', `Bearer ${token}`);
    expect(ping.status).toBe(401);
    const metadata = await ts.http().get('/oauth2/metadata').set('Authorization', `OAuth ${token}`);
    expect(metadata.status).toBe(401);
    expect((await ts.http().get('/3.0/ping').set('Authorization', ts.auth)).status).toBe(200);

    // The standing token (the key without -dc) can be revoked too; unknown tokens and the key itself cannot.
    const standing = ts.apiKey.replace(/-us1$/, '');
    expect((await revoke(standing)).status).toBe(204);
    expect((await ts.http().get('/3.0/ping').set('Authorization', `Bearer ${standing}`)).status).toBe(401);
    expect((await revoke('never-issued')).status).toBe(404);
    expect((await revoke(ts.apiKey)).status).toBe(404);
    expect((await ts.http().post('/__sandbox/oauth/revoke').send({})).status).toBe(400);
  });

  it('refuses every client_id when no OAuth client is configured', async () => {
    ts = await startTestSandbox({oauthAutoApprove: true});
    const res = await ts.http().get('/oauth2/authorize').query(authorizeQuery());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_client');
  });
});
