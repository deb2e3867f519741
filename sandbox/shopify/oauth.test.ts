import {createHmac} from 'node:crypto';
import {startShopifySandbox, type ShopifySandbox} from './index.js';
import {adminRequest} from './testing/admin-request.js';

const API_KEY = 'sandbox-app-key';
const SECRET = 'shpss_oauth_secret';
const REDIRECT = 'https://app.example/auth/callback';
const SHOP_QUERY = '{ shop { name } }';

/** The callback's signature as an app checks it: every parameter but hmac, sorted, `k=v&…`, HMAC-SHA256 hex. */
function expectedHmac(params: URLSearchParams): string {
  const message = [...params.entries()]
    .filter(([key]) => key !== 'hmac')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return createHmac('sha256', SECRET).update(message).digest('hex');
}

describe('Shopify stand-in: OAuth (authorization code grant, expiring offline tokens)', () => {
  let sandbox: ShopifySandbox;

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 3,
      products: 2,
      customers: 3,
      orders: 2,
      apiKey: API_KEY,
      apiSecret: SECRET,
      autoApprove: true,
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const authorizeUrl = (clientId = API_KEY) =>
    `${sandbox.origin}/admin/oauth/authorize?` +
    new URLSearchParams({
      client_id: clientId,
      scope: 'read_customers,write_customers,read_orders',
      redirect_uri: REDIRECT,
      state: 'nonce-123',
    }).toString();

  async function authorize(): Promise<URL> {
    const response = await fetch(authorizeUrl(), {redirect: 'manual'});
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  const tokenRequest = async (body: Record<string, unknown>, form = false) => {
    const response = await fetch(`${sandbox.origin}/admin/oauth/access_token`, {
      method: 'POST',
      headers: {'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json'},
      body: form
        ? new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString()
        : JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return {status: response.status, body: (await response.json()) as any};
  };

  const exchange = (code: string, expiring: boolean, form = false) =>
    tokenRequest({client_id: API_KEY, client_secret: SECRET, code, ...(expiring ? {expiring: 1} : {})}, form);
  const refresh = (refreshToken: string) =>
    tokenRequest({
      client_id: API_KEY,
      client_secret: SECRET,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });

  it('redirects to the app with a code and parameters signed with the app secret', async () => {
    const callback = await authorize();
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    const params = callback.searchParams;
    expect(params.get('shop')).toBe(sandbox.shopDomain);
    expect(params.get('state')).toBe('nonce-123');
    expect(Buffer.from(params.get('host')!, 'base64url').toString()).toBe(`${sandbox.shopDomain}/admin`);
    expect(Number(params.get('timestamp'))).toBeCloseTo(sandbox.now() / 1000, -1);
    expect(params.get('code')).toMatch(/^[0-9a-f]{32}$/);
    expect(params.get('hmac')).toBe(expectedHmac(params));
  });

  it('refuses an unknown client_id with a 400', async () => {
    const response = await fetch(authorizeUrl('someone-else'), {redirect: 'manual'});
    expect(response.status).toBe(400);
  });

  it('exchanges a code once for a 60-minute token that works until the clock passes its expiry', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const grant = await exchange(code, true);
    expect(grant.status).toBe(200);
    expect(grant.body).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      scope: 'read_customers,write_customers,read_orders',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
      refresh_token_expires_in: expect.any(Number),
    });
    const again = await exchange(code, true);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_request');

    const ok = await adminRequest(sandbox, SHOP_QUERY, {}, grant.body.access_token);
    expect(ok.status).toBe(200);
    expect(ok.body.data.shop.name).toEqual(expect.any(String));

    const clock = await fetch(`${sandbox.origin}/__sandbox/clock`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({advance_seconds: 3601}),
    });
    expect(clock.status).toBe(200);
    const expired = await adminRequest(sandbox, SHOP_QUERY, {}, grant.body.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
  });

  it('rotates the refresh token: the replaced one is refused once its successor has been used', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const first = (await exchange(code, true)).body;
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(second.body.expires_in).toBe(3600);
    expect((await adminRequest(sandbox, SHOP_QUERY, {}, second.body.access_token)).status).toBe(200);

    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
    const stale = await refresh(first.refresh_token);
    expect(stale.status).toBe(400);
    expect(stale.body).toEqual({error: 'invalid_grant', error_description: expect.any(String)});
  });

  it('gives a non-expiring offline token without expiring=1 (form body)', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const grant = await exchange(code, false, true);
    expect(grant.status).toBe(200);
    expect(grant.body).toEqual({access_token: expect.stringMatching(/^shpat_/), scope: expect.any(String)});
    sandbox.advanceClock(10 * 24 * 3600);
    expect((await adminRequest(sandbox, SHOP_QUERY, {}, grant.body.access_token)).status).toBe(200);
  });

  it('refuses a wrong client secret and an expired code', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const wrong = await tokenRequest({client_id: API_KEY, client_secret: 'nope', code});
    expect(wrong.status).toBe(400);
    const late = (await authorize()).searchParams.get('code')!;
    sandbox.advanceClock(3600);
    expect((await exchange(late, true)).status).toBe(400);
  });

  it('reports the shop and app in /__sandbox/info', async () => {
    const info = await (await fetch(`${sandbox.origin}/__sandbox/info`)).json();
    expect(info).toMatchObject({shop_domain: sandbox.shopDomain, currency: 'USD', api_key: API_KEY});
  });
});

describe('Shopify stand-in: OAuth consent page', () => {
  let sandbox: ShopifySandbox;
  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 3,
      products: 1,
      customers: 1,
      orders: 0,
      apiKey: API_KEY,
      apiSecret: SECRET,
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('shows an Install form that redirects with a signed code', async () => {
    const params = {client_id: API_KEY, scope: 'read_orders', redirect_uri: REDIRECT, state: 's1'};
    const page = await fetch(`${sandbox.origin}/admin/oauth/authorize?${new URLSearchParams(params)}`, {
      redirect: 'manual',
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/admin/oauth/authorize">');
    expect(html).toContain('Install');
    const install = await fetch(`${sandbox.origin}/admin/oauth/authorize`, {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({...params, approve: '1'}).toString(),
      redirect: 'manual',
    });
    expect(install.status).toBe(302);
    const callback = new URL(install.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe('s1');
    expect(callback.searchParams.get('hmac')).toBe(expectedHmac(callback.searchParams));
  });
});
