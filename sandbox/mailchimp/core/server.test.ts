import request from 'supertest';
import {createMailchimpSandbox, type Sandbox} from '../index.js';

const basic = (key: string) => `Basic ${Buffer.from(`anystring:${key}`).toString('base64')}`;

describe('sandbox core', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = createMailchimpSandbox({seed: 7});
    await sandbox.listen();
  });
  afterEach(() => sandbox.close());

  it('answers /ping with Basic or Bearer auth and 401 problem+json for a wrong key', async () => {
    const ok = await request(sandbox.origin()).get('/3.0/ping').set('Authorization', basic(sandbox.apiKey));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({health_status: "Everything's Chimpy!"});
    const bearer = await request(sandbox.origin()).get('/3.0/ping').set('Authorization', `Bearer ${sandbox.apiKey}`);
    expect(bearer.status).toBe(200);
    const bad = await request(sandbox.origin()).get('/3.0/ping').set('Authorization', basic('wrong-us1'));
    expect(bad.status).toBe(401);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({status: 401, title: 'API Key Invalid'});
    expect(bad.headers['x-request-id']).toBe(bad.body.instance);
    const missing = await request(sandbox.origin()).get('/3.0/ping');
    expect(missing.status).toBe(401);
    expect(missing.body.title).toBe('API Key Missing');
  });

  it('answers 404 problem for unknown routes and 405 with Allow for a wrong method', async () => {
    const notFound = await request(sandbox.origin())
      .get('/3.0/nothing-here')
      .set('Authorization', basic(sandbox.apiKey));
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({title: 'Resource Not Found', status: 404});
    const wrong = await request(sandbox.origin()).delete('/3.0/ping').set('Authorization', basic(sandbox.apiKey));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
  });

  it('rejects malformed JSON with a JSON Parse Error', async () => {
    const res = await request(sandbox.origin())
      .post('/3.0/ping')
      .set('Authorization', basic(sandbox.apiKey))
      .send('{"broken":');
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('JSON Parse Error');
  });

  it('answers 429 beyond 10 simultaneous requests and reports the peak', async () => {
    await request(sandbox.origin()).put('/__sandbox/faults').send({latencyMs: 150});
    const results = await Promise.all(
      Array.from({length: 14}, () =>
        request(sandbox.origin()).get('/3.0/ping').set('Authorization', basic(sandbox.apiKey)),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    const rejected = results.find((r) => r.status === 429)!;
    expect(rejected.body.detail).toBe('You have exceeded the limit of 10 simultaneous connections.');
    const stats = await request(sandbox.origin()).get('/__sandbox/stats');
    // Rejected requests are answered at once, so the peak is the 10 held plus those arriving meanwhile.
    expect(stats.body.maxInFlight).toBeGreaterThan(10);
    expect(stats.body.maxInFlight).toBeLessThanOrEqual(14);
    expect(stats.body.byStatus).toMatchObject({'200': 10, '429': 4});
  });

  it('injects faults deterministically for a seed and records every request as JSON lines', async () => {
    const run = async () => {
      await request(sandbox.origin()).post('/__sandbox/reset');
      await request(sandbox.origin()).put('/__sandbox/faults').send({seed: 42, p429: 0.2, p403: 0.1, p500: 0.1});
      const out: number[] = [];
      for (let i = 0; i < 30; i++)
        out.push((await request(sandbox.origin()).get('/3.0/ping').set('Authorization', basic(sandbox.apiKey))).status);
      return out;
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(second);
    expect(new Set(first)).toEqual(new Set([200, 429, 403, 500]));
    const lines = (await request(sandbox.origin()).get('/__sandbox/requests')).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(30);
    expect(lines[0]).toMatchObject({method: 'GET', path: '/3.0/ping', template: '/ping', via: 'http'});
  });

  it('cuts requests slower than the timeout with 504 and drops connections on a reset fault', async () => {
    await sandbox.close();
    sandbox = createMailchimpSandbox({requestTimeoutMs: 200});
    await sandbox.listen();
    await request(sandbox.origin()).put('/__sandbox/faults').send({pSlow: 1});
    const slow = await request(sandbox.origin()).get('/3.0/ping').set('Authorization', basic(sandbox.apiKey));
    expect(slow.status).toBe(504);
    await request(sandbox.origin()).put('/__sandbox/faults').send({pReset: 1});
    await expect(
      request(sandbox.origin()).get('/3.0/ping').set('Authorization', basic(sandbox.apiKey)),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
