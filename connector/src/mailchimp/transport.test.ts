import {Writable} from 'node:stream';
import {inspect} from 'node:util';
import {pino} from 'pino';
import {accountFromAccessToken, accountFromApiKey} from './account.js';
import {AccountLimiters} from './account-limiters.js';
import {MailchimpError} from './mailchimp-error.js';
import type {RetryOptions} from './retry-policy.js';
import {
  sendEmpty,
  sendJson,
  sendProblem,
  startLocalHttpServer,
  type Handler,
  type LocalHttpServer,
} from './testing/local-http-server.js';
import {MailchimpTransport, type CallEvent, type TransportOptions} from './transport.js';

const KEY = '0123456789abcdef0123456789abcdef-us6';
const FAST: Partial<RetryOptions> = {baseDelayMs: 5, maxDelayMs: 20, rateLimitPauseMs: 20};

let server: LocalHttpServer | undefined;
let limiters: AccountLimiters | undefined;

afterEach(async () => {
  await limiters?.close();
  await server?.close();
  limiters = undefined;
  server = undefined;
});

async function setup(handler: Handler, options: Partial<TransportOptions> & {maxConcurrent?: number} = {}) {
  server = await startLocalHttpServer(handler);
  limiters = new AccountLimiters({maxConcurrent: options.maxConcurrent ?? 4});
  const events: CallEvent[] = [];
  const transport = new MailchimpTransport({
    account: accountFromApiKey(KEY, {baseUrl: `${server.origin}/3.0`}),
    limiters,
    retry: FAST,
    onCall: (event) => events.push(event),
    ...options,
  });
  return {server, transport, events};
}

const ping = (transport: MailchimpTransport, signal?: AbortSignal) =>
  transport.request<{health_status: string}, '/ping'>({
    method: 'GET',
    route: '/ping',
    params: {},
    ...(signal ? {signal} : {}),
  });

async function failure(promise: Promise<unknown>): Promise<MailchimpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MailchimpError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Answers each request from the list in turn (the last one repeats). */
function sequence(...steps: Handler[]): Handler {
  let i = 0;
  return (req, res, raw) => steps[Math.min(i++, steps.length - 1)]!(req, res, raw);
}

const ok: Handler = (_req, res) => sendJson(res, 200, {health_status: "Everything's Chimpy!"});

describe('MailchimpTransport', () => {
  it('never has more than maxConcurrent requests at the server under hundreds of calls', async () => {
    // Each answer waits (up to 50 ms) for four requests to be in progress, so that the slots are really used.
    const {server, transport} = await setup(
      async (_req, res) => {
        const until = performance.now() + 50;
        while (server.inFlight() < 4 && performance.now() < until) await new Promise((r) => setTimeout(r, 1));
        sendJson(res, 200, {health_status: 'ok'});
      },
      {maxConcurrent: 4},
    );
    await Promise.all(Array.from({length: 250}, () => ping(transport)));
    expect(server.requests).toHaveLength(250);
    expect(server.peakInFlight()).toBeLessThanOrEqual(4);
    expect(server.peakInFlight()).toBe(4);
  });

  it('sends Basic auth, the User-Agent, JSON bodies and fields/exclude_fields', async () => {
    const {server, transport} = await setup((_req, res) => sendJson(res, 200, {id: 'x'}));
    await transport.request({
      method: 'PUT',
      route: '/lists/{list_id}/members/{subscriber_hash}',
      params: {list_id: 'l 1', subscriber_hash: 'h/2'},
      body: {email_address: 'a@example-mail.org'},
      select: {fields: ['id', 'status'], excludeFields: ['_links']},
      query: {skip_merge_validation: true, no: undefined},
    });
    const [req] = server.requests;
    expect(req?.method).toBe('PUT');
    expect(req?.url).toBe(
      '/3.0/lists/l%201/members/h%2F2?skip_merge_validation=true&fields=id%2Cstatus&exclude_fields=_links',
    );
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from(`anystring:${KEY}`).toString('base64')}`);
    expect(req?.headers['user-agent']).toMatch(/^mailchimp-store-bridge\/\d+\.\d+\.\d+/);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({email_address: 'a@example-mail.org'});
  });

  it('sends Bearer for an OAuth token', async () => {
    server = await startLocalHttpServer(ok);
    limiters = new AccountLimiters();
    const transport = new MailchimpTransport({
      account: accountFromAccessToken('tok-abc', 'us2', {baseUrl: `${server.origin}/3.0`}),
      limiters,
    });
    await ping(transport);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-abc');
  });

  it('retries a 429, then succeeds, and reports the call once with its attempts', async () => {
    const {server, transport, events} = await setup(
      sequence(
        (_q, res) =>
          sendProblem(res, 429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'),
        ok,
      ),
    );
    await expect(ping(transport)).resolves.toEqual({health_status: "Everything's Chimpy!"});
    expect(server.requests).toHaveLength(2);
    expect(events).toEqual([
      expect.objectContaining({method: 'GET', route: '/ping', outcome: 'success', status: 200, attempts: 2}),
    ]);
    expect(events[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('retries a bare 403 (no JSON body), then succeeds', async () => {
    const {server, transport} = await setup(sequence((_q, res) => sendEmpty(res, 403), ok));
    await expect(ping(transport)).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 403 that carries a problem document: that is an auth failure', async () => {
    const {server, transport} = await setup((_q, res) =>
      sendProblem(res, 403, 'Forbidden', 'You are not permitted to access this resource.'),
    );
    const error = await failure(ping(transport));
    expect(error.kind).toBe('auth');
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a 400, and keeps the problem document', async () => {
    const {server, transport, events} = await setup((_q, res) =>
      sendProblem(res, 400, 'Invalid Resource', 'Your merge fields were invalid.', {
        errors: [{field: 'FNAME', message: 'Please enter a value'}],
      }),
    );
    const error = await failure(ping(transport));
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({
      kind: 'invalid_resource',
      status: 400,
      title: 'Invalid Resource',
      detail: 'Your merge fields were invalid.',
      instance: 'test-instance',
      type: 'https://mailchimp.com/developer/marketing/docs/errors/',
      errors: [{field: 'FNAME', message: 'Please enter a value'}],
      method: 'GET',
      route: '/ping',
      attempts: 1,
    });
    expect(events).toEqual([
      expect.objectContaining({outcome: 'failure', status: 400, kind: 'invalid_resource', attempts: 1}),
    ]);
  });

  it('waits at least Retry-After between attempts (measured at the server)', async () => {
    const {server, transport} = await setup(sequence((_q, res) => sendEmpty(res, 429, {'Retry-After': '1'}), ok));
    await ping(transport);
    const [first, second] = server.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('times out a hung request and retries it', async () => {
    const {server, transport, events} = await setup(
      sequence(() => undefined, ok),
      {timeoutMs: 400},
    );
    await expect(ping(transport)).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
    expect(events[0]).toMatchObject({outcome: 'success', attempts: 2});
  });

  it('retries a connection reset', async () => {
    const {server, transport} = await setup(
      sequence((_q, _res, raw) => {
        raw.socket.destroy();
      }, ok),
    );
    await expect(ping(transport)).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
  });

  it('stops at the attempt cap with a typed, retryable error', async () => {
    const {server, transport, events} = await setup(
      (_q, res) => sendProblem(res, 503, 'Service Unavailable', 'Try later.'),
      {retry: {...FAST, maxAttempts: 3}},
    );
    const error = await failure(ping(transport));
    expect(server.requests).toHaveLength(3);
    expect(error).toMatchObject({kind: 'retryable', retryable: true, status: 503, attempts: 3});
    expect(events).toEqual([
      expect.objectContaining({outcome: 'failure', status: 503, attempts: 3, kind: 'retryable'}),
    ]);
  });

  it('reports a timeout that never recovers with its error code', async () => {
    const {transport, events} = await setup(() => undefined, {timeoutMs: 50, retry: {...FAST, maxAttempts: 2}});
    const error = await failure(ping(transport));
    expect(error).toMatchObject({kind: 'retryable', code: 'ETIMEDOUT', status: undefined, attempts: 2});
    expect(events[0]).toMatchObject({outcome: 'failure', errorCode: 'ETIMEDOUT'});
  });

  it('does not hold a concurrency slot while a retry waits (maxConcurrent 1)', async () => {
    const order: string[] = [];
    const {server, transport} = await setup(
      (req, res) => {
        if (
          req.url.startsWith('/3.0/lists/a') &&
          server.requests.filter((r) => r.url.startsWith('/3.0/lists/a')).length === 1
        ) {
          sendProblem(res, 500, 'Internal Server Error', 'Boom.');
        } else sendJson(res, 200, {});
      },
      {maxConcurrent: 1, retry: {baseDelayMs: 1000, maxDelayMs: 1000, random: () => 0.999}},
    );
    const a = transport
      .request({method: 'GET', route: '/lists/{list_id}', params: {list_id: 'a'}})
      .then(() => order.push('A'));
    const b = ping(transport).then(() => order.push('B'));
    await Promise.all([a, b]);
    expect(order).toEqual(['B', 'A']);
    expect(server.requests.map((r) => r.url)).toEqual(['/3.0/lists/a', '/3.0/ping', '/3.0/lists/a']);
  });

  it('pauses every call of the account after a 429, queued ones included', async () => {
    const {server, transport} = await setup(
      sequence(
        (_q, res) => sendEmpty(res, 429),
        (_q, res) => sendJson(res, 200, {}),
      ),
      {maxConcurrent: 1, retry: {...FAST, rateLimitPauseMs: 300}},
    );
    await Promise.all([
      transport.request({method: 'GET', route: '/lists/{list_id}', params: {list_id: 'a'}}),
      ping(transport),
    ]);
    const first429 = server.requests[0]!;
    const later = server.requests.slice(1);
    expect(later).toHaveLength(2);
    for (const request of later) expect(request.at - first429.at).toBeGreaterThanOrEqual(300);
  });

  it('ends with kind aborted when the caller cancels during a backoff', async () => {
    const {server, transport} = await setup((_q, res) => sendEmpty(res, 500), {
      retry: {baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 0.5},
    });
    const controller = new AbortController();
    const call = failure(ping(transport, controller.signal));
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await call;
    expect(error).toMatchObject({kind: 'aborted', code: 'ABORTED', attempts: 1});
  });

  it('never lets the key into errors, their JSON, util.inspect or the logs — even when the server echoes it', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({level: 'trace'}, sink);
    const basic = Buffer.from(`anystring:${KEY}`).toString('base64');
    const {transport} = await setup(
      sequence(
        (req, res) => sendEmpty(res, 503, {'X-Echo': String(req.headers.authorization)}),
        (req, res) =>
          sendProblem(
            res,
            401,
            'API Key Invalid',
            `Your API key ${KEY} (${String(req.headers.authorization)}) may be invalid`,
            {errors: [{field: KEY, message: basic}]},
          ),
      ),
      {logger},
    );
    const error = await failure(ping(transport));
    expect(error.kind).toBe('auth');
    const renderings = [
      JSON.stringify(error),
      inspect(error, {depth: 20, showHidden: true}),
      String(error),
      error.stack ?? '',
      error.message,
      lines.join(''),
    ];
    for (const text of renderings) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('0123456789abcdef0123456789abcdef');
      expect(text).not.toContain(basic);
    }
    expect(error.detail).toContain('[redacted]');
    expect(lines.length).toBeGreaterThan(0);
  });

  it('keeps the key out of network errors too', async () => {
    const {server, transport} = await setup(ok, {retry: {...FAST, maxAttempts: 2}});
    await server.close();
    const error = await failure(ping(transport));
    expect(error.kind).toBe('retryable');
    expect(error.code).toBe('ECONNREFUSED');
    expect(JSON.stringify(error) + inspect(error, {depth: 20, showHidden: true})).not.toContain('0123456789abcdef');
  });
});
