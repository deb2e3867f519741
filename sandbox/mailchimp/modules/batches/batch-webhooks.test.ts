import {once} from 'node:events';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';

/** A local receiver that answers 200 and keeps every form-encoded POST it gets, by path. */
async function startReceiver(): Promise<{
  url: string;
  calls: Array<{path: string; contentType: string; form: URLSearchParams}>;
  close(): Promise<void>;
}> {
  const calls: Array<{path: string; contentType: string; form: URLSearchParams}> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      calls.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        form: new URLSearchParams(body),
      });
      res.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const {port} = server.address() as AddressInfo;
  return {url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve()))};
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('batch webhooks', () => {
  let ts: TestSandbox;
  afterEach(() => ts.close());
  const api = (method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
    ts.http()[method](`/3.0${path}`).set('Authorization', ts.auth);

  it('adds, lists, reads, updates and deletes batch webhooks; url is required; at most 20', async () => {
    ts = await startTestSandbox();
    const missing = await api('post', '/batch-webhooks').send({});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      title: 'Invalid Resource',
      errors: [{field: '', message: 'Required fields were not provided: url'}],
    });
    const bad = await api('post', '/batch-webhooks').send({url: 'not a url'});
    expect(bad.status).toBe(400);

    const created = await api('post', '/batch-webhooks').send({url: 'http://127.0.0.1:9/first'});
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({url: 'http://127.0.0.1:9/first', enabled: true});
    expect(created.body._links.map((l: {rel: string}) => l.rel)).toEqual(['parent', 'self', 'update', 'delete']);
    const id = created.body.id as string;

    expect((await api('get', `/batch-webhooks/${id}`)).body).toMatchObject({id, url: 'http://127.0.0.1:9/first'});
    const patched = await api('patch', `/batch-webhooks/${id}`).send({
      url: 'http://127.0.0.1:9/second',
      enabled: false,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({id, url: 'http://127.0.0.1:9/second', enabled: false});
    expect((await api('patch', `/batch-webhooks/${id}`).send({url: ''})).status).toBe(400);

    for (let i = 1; i < 20; i++)
      expect((await api('post', '/batch-webhooks').send({url: `http://127.0.0.1:9/n${i}`})).status).toBe(200);
    const tooMany = await api('post', '/batch-webhooks').send({url: 'http://127.0.0.1:9/n21'});
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toBe('You may only have a maximum of 20 batch webhooks.');

    const list = await api('get', '/batch-webhooks').query({count: 5});
    expect(list.body.total_items).toBe(20);
    expect(list.body.webhooks).toHaveLength(5);
    expect(list.body.webhooks[0]).toMatchObject({id, enabled: false});

    expect((await api('delete', `/batch-webhooks/${id}`)).status).toBe(204);
    expect((await api('get', `/batch-webhooks/${id}`)).status).toBe(404);
    expect((await api('delete', `/batch-webhooks/${id}`)).status).toBe(404);
    expect((await api('get', '/batch-webhooks')).body.total_items).toBe(19);
  });

  it('calls every enabled batch webhook with a form-encoded batch_operation_completed when a batch finishes', async () => {
    ts = await startTestSandbox();
    const receiver = await startReceiver();
    try {
      await api('post', '/batch-webhooks').send({url: `${receiver.url}/enabled`});
      await api('post', '/batch-webhooks').send({url: `${receiver.url}/disabled`, enabled: false});
      const submitted = await api('post', '/batches').send({
        operations: [
          {method: 'GET', path: '/ping', operation_id: 'a'},
          {method: 'GET', path: '/nowhere', operation_id: 'b'},
        ],
      });
      const call = await waitFor(() => receiver.calls[0]);
      const batch = (await api('get', `/batches/${submitted.body.id}`)).body;
      expect(call.path).toBe('/enabled');
      expect(call.contentType).toBe('application/x-www-form-urlencoded');
      expect(call.form.get('type')).toBe('batch_operation_completed');
      expect(call.form.get('fired_at')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(Object.fromEntries([...call.form].filter(([k]) => k.startsWith('data[')))).toEqual({
        'data[id]': batch.id,
        'data[status]': 'finished',
        'data[total_operations]': '2',
        'data[finished_operations]': '2',
        'data[errored_operations]': '1',
        'data[submitted_at]': batch.submitted_at,
        'data[completed_at]': batch.completed_at,
        'data[response_body_url]': batch.response_body_url,
      });
      const deliveries = await waitFor(async () => {
        const res = await ts.http().get('/__sandbox/batch-webhook-deliveries');
        return res.body.deliveries.length > 0 ? res.body.deliveries : undefined;
      });
      expect(deliveries).toEqual([
        expect.objectContaining({url: `${receiver.url}/enabled`, batch_id: batch.id, status: 200}),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(receiver.calls).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
