import {startTestSandbox, type TestSandbox} from '../../../test/support/sandbox.js';

describe('OAuth metadata (login.mailchimp.com/oauth2/metadata)', () => {
  let ts: TestSandbox;
  afterEach(() => ts.close());

  const metadata = (authorization?: string) => {
    const req = ts.http().get('/oauth2/metadata');
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  it("answers the account, its data center and the sandbox's own origin as api_endpoint for its access token", async () => {
    ts = await startTestSandbox();
    const token = ts.apiKey.replace(/-us1$/, '');
    const res = await metadata(`OAuth ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      dc: 'us1',
      role: 'owner',
      accountname: 'Mailchimp Sandbox',
      user_id: expect.any(Number),
      login: {
        email: 'owner@sandbox.invalid',
        avatar: null,
        login_id: expect.any(Number),
        login_name: 'sandbox',
        login_email: 'owner@sandbox.invalid',
      },
      login_url: ts.sandbox.origin(),
      api_endpoint: ts.sandbox.origin(),
    });
    // The key itself is accepted too.
    expect((await metadata(`OAuth ${ts.apiKey}`)).status).toBe(200);

    // What the metadata promises works: <api_endpoint>/3.0 with the token as Bearer.
    const ping = await ts.http().get('/3.0/ping').set('Authorization', `Bearer ${token}`);
    expect(ping.status).toBe(200);
    // HTTP Basic stays for the key (with its -dc suffix), as on Mailchimp.
    const basic = await ts
      .http()
      .get('/3.0/ping')
      .set('Authorization', `Basic ${Buffer.from(`any:${token}`).toString('base64')}`);
    expect(basic.status).toBe(401);
  });

  it('answers 401 invalid_token for an unknown token, a missing header or another scheme', async () => {
    ts = await startTestSandbox();
    for (const authorization of ['OAuth not-the-token', undefined, `Bearer ${ts.apiKey}`]) {
      const res = await metadata(authorization);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({error: 'invalid_token'});
    }
  });

  it('takes the data center from the key it was started with', async () => {
    ts = await startTestSandbox({apiKey: 'abcdef0123456789-us7'});
    const res = await metadata('OAuth abcdef0123456789');
    expect(res.status).toBe(200);
    expect(res.body.dc).toBe('us7');
  });
});
