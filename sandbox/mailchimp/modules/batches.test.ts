import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import {createGunzip} from 'node:zlib';
import {extract} from 'tar-stream';
import request from 'supertest';
import {startTestSandbox, type TestSandbox} from '../../../test/support/sandbox.js';

interface ResultEntry {
  status_code: number;
  operation_id: string | null;
  response: string;
}

async function readArchive(archive: Buffer): Promise<Array<{name: string; type: string; entries: ResultEntry[]}>> {
  const files: Array<{name: string; type: string; entries: ResultEntry[]}> = [];
  const untar = extract();
  const reading = (async () => {
    for await (const entry of untar) {
      const parts: Buffer[] = [];
      for await (const data of entry) parts.push(data as Buffer);
      const text = Buffer.concat(parts).toString('utf8');
      files.push({
        name: entry.header.name,
        type: entry.header.type ?? 'file',
        entries: entry.header.type === 'file' ? (JSON.parse(text) as ResultEntry[]) : [],
      });
    }
  })();
  await pipeline(Readable.from([archive]), createGunzip(), untar);
  await reading;
  return files;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('batches', () => {
  let ts: TestSandbox;
  let open: TestSandbox | undefined;
  afterEach(() => open?.close());
  const start = async (options: Parameters<typeof startTestSandbox>[0] = {}) => {
    ts = await startTestSandbox(options);
    open = ts;
  };

  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
    ts.http()[method](`/3.0${path}`).set('Authorization', ts.auth);
  const finished = (id: string) =>
    waitFor(async () => {
      const res = await api('get', `/batches/${id}`);
      return res.body.status === 'finished' ? (res.body as Record<string, unknown>) : undefined;
    });

  it('runs the operations through the API and serves a tar.gz of JSON result files without auth', async () => {
    await start();
    const pings = Array.from({length: 230}, (_, i) => ({method: 'GET', path: '/ping', operation_id: `ping-${i}`}));
    const operations = [
      {
        method: 'POST',
        path: 'batch-webhooks',
        body: JSON.stringify({url: 'http://127.0.0.1:9/hook', enabled: false}),
        operation_id: 'create-hook',
      },
      {method: 'GET', path: '/batch-webhooks', params: {fields: 'total_items'}, operation_id: 'count-hooks'},
      {method: 'GET', path: '/lists/does-not-exist/nothing', operation_id: 'missing'},
      {method: 'POST', path: '/batch-webhooks', body: '{"url":', operation_id: 'broken-json'},
      ...pings,
    ];
    const submitted = await api('post', '/batches').send({operations});
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      status: 'pending',
      total_operations: 0,
      finished_operations: 0,
      errored_operations: 0,
      completed_at: '',
      response_body_url: '',
    });
    expect(submitted.body.id).toMatch(/^[a-z0-9]{10}$/);
    expect(submitted.body.submitted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

    const done = await finished(submitted.body.id);
    expect(done).toMatchObject({total_operations: 234, finished_operations: 234, errored_operations: 2});
    expect(done.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

    const list = await api('get', '/batches');
    expect(list.body.total_items).toBe(1);
    expect(list.body.batches[0]).toMatchObject({id: submitted.body.id, status: 'finished'});

    const url = new URL(done.response_body_url as string);
    const download = await request(url.origin)
      .get(url.pathname)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    const files = await readArchive(download.body as Buffer);
    const folder = files.find((f) => f.type === 'directory');
    expect(folder?.name).toBe(`${submitted.body.id}-response/`);
    const jsonFiles = files.filter((f) => f.type === 'file');
    expect(jsonFiles).toHaveLength(3);
    for (const f of jsonFiles) expect(f.name).toMatch(new RegExp(`^${submitted.body.id}-response/[0-9a-f]+\\.json$`));
    expect(jsonFiles.map((f) => f.entries.length).sort((a, b) => a - b)).toEqual([34, 100, 100]);

    const byId = new Map(jsonFiles.flatMap((f) => f.entries).map((e) => [e.operation_id, e]));
    expect(byId.size).toBe(234);
    for (const entry of byId.values()) expect(typeof entry.response).toBe('string');
    expect(byId.get('create-hook')!.status_code).toBe(200);
    expect(JSON.parse(byId.get('create-hook')!.response)).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      enabled: false,
    });
    expect(JSON.parse(byId.get('count-hooks')!.response)).toEqual({total_items: 1});
    expect(byId.get('missing')!.status_code).toBe(404);
    expect(JSON.parse(byId.get('missing')!.response)).toMatchObject({title: 'Resource Not Found', status: 404});
    expect(byId.get('broken-json')!.status_code).toBe(400);
    expect(JSON.parse(byId.get('broken-json')!.response)).toMatchObject({title: 'JSON Parse Error'});
    expect(JSON.parse(byId.get('ping-229')!.response)).toEqual({health_status: "Everything's Chimpy!"});

    // The operations ran for real and are recorded for the conformance run as batch calls.
    const hooks = await api('get', '/batch-webhooks');
    expect(hooks.body.total_items).toBe(1);
    const recorded = ts.sandbox.recorder.all().filter((r) => r.via === 'batch');
    expect(recorded).toHaveLength(234);
    expect(recorded[0]).toMatchObject({
      method: 'POST',
      path: '/batch-webhooks',
      template: '/batch-webhooks',
      status: 200,
      body: {url: 'http://127.0.0.1:9/hook', enabled: false},
    });
    expect(recorded[1]).toMatchObject({method: 'GET', query: {fields: 'total_items'}});
  });

  it('moves through pending, preprocessing, started, finalizing and finished, counting as it goes', async () => {
    await start({batchStepMs: 150});
    const operations = Array.from({length: 3000}, (_, i) => ({method: 'GET', path: '/ping', operation_id: String(i)}));
    const submitted = await api('post', '/batches').send({operations});
    const seen: Array<{status: string; finished_operations: number; total_operations: number}> = [];
    await waitFor(async () => {
      const res = await api('get', `/batches/${submitted.body.id}`);
      seen.push(res.body);
      return res.body.status === 'finished' ? true : undefined;
    });
    const order = ['pending', 'preprocessing', 'started', 'finalizing', 'finished'];
    const statuses = seen.map((s) => s.status).filter((s, i, all) => all[i - 1] !== s);
    expect(statuses).toEqual(expect.arrayContaining(['pending', 'preprocessing', 'finalizing', 'finished']));
    expect(statuses.map((s) => order.indexOf(s))).toEqual(
      [...statuses.map((s) => order.indexOf(s))].sort((a, b) => a - b),
    );
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.finished_operations).toBeGreaterThanOrEqual(seen[i - 1]!.finished_operations);
    for (const s of seen) {
      expect(s.total_operations).toBe(s.status === 'pending' ? 0 : 3000);
      if (s.status === 'pending' || s.status === 'preprocessing') expect(s.finished_operations).toBe(0);
      if (s.status === 'finalizing' || s.status === 'finished') expect(s.finished_operations).toBe(3000);
    }
  });

  it('refuses an operation body given as an object, like Mailchimp', async () => {
    await start();
    const res = await api('post', '/batches').send({
      operations: [
        {method: 'GET', path: '/ping'},
        {method: 'POST', path: '/batch-webhooks', body: {url: 'http://127.0.0.1:9/x'}},
      ],
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      title: 'Invalid Resource',
      status: 400,
      errors: [{field: 'operations.item:1.body', message: 'Schema describes string, object found instead'}],
    });
    const unwrapped = await api('post', '/batches').send([{method: 'GET', path: '/ping'}]);
    expect(unwrapped.status).toBe(400);
    expect(unwrapped.body.errors[0].message).toBe('Schema describes object, array found instead');
    expect((await api('get', '/batches')).body.total_items).toBe(0);
  });

  it('answers 429 for the 501st unfinished batch', async () => {
    await start({batchStepMs: 10_000});
    const ids: string[] = [];
    for (let round = 0; round < 50; round++) {
      const batch = await Promise.all(
        Array.from({length: 10}, () => api('post', '/batches').send({operations: [{method: 'GET', path: '/ping'}]})),
      );
      for (const res of batch) {
        expect(res.status).toBe(200);
        ids.push(res.body.id);
      }
    }
    const refused = await api('post', '/batches').send({operations: [{method: 'GET', path: '/ping'}]});
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({title: 'Too Many Requests', status: 429});
    expect(refused.body.detail).toMatch(/500 pending batches/);
    const listed = await api('get', '/batches').query({count: 1000});
    expect(listed.body.total_items).toBe(500);
    expect(listed.body.batches.every((b: {status: string}) => b.status === 'pending')).toBe(true);

    expect((await api('delete', `/batches/${ids[0]}`)).status).toBe(204);
    expect((await api('post', '/batches').send({operations: []})).status).toBe(200);
  });

  it('deletes a batch: status and results are gone', async () => {
    await start();
    const submitted = await api('post', '/batches').send({operations: [{method: 'GET', path: '/ping'}]});
    const done = await finished(submitted.body.id);
    const url = new URL(done.response_body_url as string);
    expect((await request(url.origin).get(url.pathname)).status).toBe(200);
    expect((await api('delete', `/batches/${submitted.body.id}`)).status).toBe(204);
    expect((await api('get', `/batches/${submitted.body.id}`)).status).toBe(404);
    expect((await api('delete', `/batches/${submitted.body.id}`)).status).toBe(404);
    expect((await request(url.origin).get(url.pathname)).status).toBe(404);
  });

  it('stops background work when the sandbox closes', async () => {
    await start({batchStepMs: 50});
    const submitted = await api('post', '/batches').send({
      operations: [{method: 'POST', path: '/batch-webhooks', body: '{"url":"http://127.0.0.1:9/x"}'}],
    });
    const {sandbox} = ts;
    open = undefined;
    await ts.close();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(sandbox.state.batches.get(submitted.body.id)?.status).toBe('pending');
    expect(sandbox.state.batchWebhooks.size).toBe(0);
  });
});
