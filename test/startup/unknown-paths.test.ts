import {startTestConnector, type TestConnector} from '../support/connector.js';

describe('paths that are not routes', () => {
  let t: TestConnector;
  beforeAll(async () => {
    t = await startTestConnector();
  });
  afterAll(() => t.close());

  it('answer 404 problem+json, not the admin 401, outside the operator paths', async () => {
    for (const path of ['/nothing-here', '/wp-login.php', '/app/nothing']) {
      const res = await t.http().get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({status: 404, instance: path});
    }
  });

  it('keep the admin token on operator paths, known or not', async () => {
    expect((await t.http().get('/v1/sync/status')).status).toBe(401);
    expect((await t.http().get('/v1/unknown')).status).toBe(401);
    expect((await t.http().get('/metrics')).status).toBe(401);
    const known = await t.http().get('/v1/unknown').set('Authorization', `Bearer ${t.adminToken}`);
    expect(known.status).toBe(404);
  });

  it('answer /favicon.ico with an empty 204', async () => {
    const res = await t.http().get('/favicon.ico');
    expect(res.status).toBe(204);
  });
});

describe('the front page', () => {
  let t: TestConnector;
  beforeAll(async () => {
    t = await startTestConnector();
  });
  afterAll(() => t.close());

  it('says what this is and links the demo, the shop page, the operator page and health', async () => {
    const res = await t.http().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    for (const href of ['/demo', '/app', '/operator', '/healthz']) expect(res.text).toContain(`href="${href}"`);
    expect((await t.http().get('/front.css')).status).toBe(200);
  });
});
