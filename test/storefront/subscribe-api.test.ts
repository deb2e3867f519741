import type request from 'supertest';
import {createMember} from '../../sandbox/mailchimp/core/members.js';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, TEST_SHOP, type TestConnector, type TestConnectorOptions} from '../support/connector.js';
import {startTestSandbox} from '../support/sandbox.js';
import {orderPayload} from '../support/shopify-webhooks.js';

/**
 * The storefront endpoints through HTTP: `POST /v1/subscribe`, the consent beacon `POST /v1/consent` and
 * `/widget.js`. What is refused stores nothing; what is accepted is stored with its evidence before the answer and
 * reaches Mailchimp through the inbox, the projector and the sync worker.
 */

const ORIGIN = 'https://www.e2e-shop.test';
const CONSENT_TEXT = 'By subscribing you agree to receive marketing emails from us. You can unsubscribe at any time.';

function subscribeBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    shop: TEST_SHOP,
    email: 'ada@example-mail.com',
    consent_text: CONSENT_TEXT,
    locale: 'en',
    page: `${ORIGIN}/products/beanie`,
    ...over,
  };
}

function checkboxBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...subscribeBody(),
    consent_text: 'Email me news and offers\nOptional. You can unsubscribe at any time.',
    checked: true,
    ...over,
  };
}

interface PostOptions {
  origin?: string | null;
  ip?: string;
  type?: string;
  userAgent?: string;
}

describe('storefront endpoints', () => {
  let t: TestConnector;
  const start = async (options: TestConnectorOptions = {}) => {
    t = await startTestConnector({
      ...options,
      env: {
        STOREFRONT_ORIGINS: `${ORIGIN}, https://other.e2e-shop.test/`,
        STOREFRONT_RATE_LIMIT_PER_IP: '100',
        ...options.env,
      },
    });
  };
  afterEach(() => t.close());

  const post = (path: string, body: unknown, options: PostOptions = {}): request.Test => {
    let req = t.http().post(path);
    if (options.origin !== null) req = req.set('Origin', options.origin ?? ORIGIN);
    if (options.ip) req = req.set('X-Forwarded-For', options.ip);
    if (options.userAgent) req = req.set('User-Agent', options.userAgent);
    req = req.set('Content-Type', options.type ?? 'application/json');
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const stored = async () => ({
    inbox: await t.connector.store.db
      .selectFrom('inbox_events')
      .selectAll()
      .where('source', '=', 'storefront')
      .execute(),
    evidence: await t.connector.store.db.selectFrom('consent_evidence').selectAll().execute(),
  });
  const member = (email: string) => t.list.members.get(subscriberHash(email));
  const expectProblem = (res: request.Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(status);
  };

  describe('refusals store nothing', () => {
    beforeEach(() => start());

    it('answers a preflight from an allowed origin, refuses one from an unknown origin', async () => {
      const ok = await t
        .http()
        .options('/v1/subscribe')
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');
      expect(ok.status).toBe(204);
      expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(ok.headers['access-control-allow-methods']).toBe('POST');
      expect(ok.headers['access-control-allow-headers']).toMatch(/content-type/i);
      expect(ok.headers.vary).toMatch(/Origin/);
      // The Shopify shop's own storefront domain is allowed without being listed.
      const shopify = await t
        .http()
        .options('/v1/consent')
        .set('Origin', `https://${TEST_SHOP}`)
        .set('Access-Control-Request-Method', 'POST');
      expect(shopify.status).toBe(204);

      const evil = await t
        .http()
        .options('/v1/subscribe')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expectProblem(evil, 403);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    });

    it("refuses a POST from an unknown origin, without an origin, or from another shop's origin", async () => {
      const evil = await post('/v1/subscribe', subscribeBody(), {origin: 'https://evil.example'});
      expectProblem(evil, 403);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      expectProblem(await post('/v1/subscribe', subscribeBody(), {origin: null}), 403);
      // A prefix or another scheme of an allowed origin is another origin.
      expectProblem(await post('/v1/subscribe', subscribeBody(), {origin: 'http://www.e2e-shop.test'}), 403);

      // Another shop's page may call the endpoints for its own shop only.
      await t.connector.connections.upsert(
        {
          shopDomain: 'second-shop.test',
          platform: 'custom',
          mailchimp: {kind: 'api_key', apiKey: t.sandbox.apiKey, baseUrl: t.sandbox.baseUrl},
          mailchimpListId: t.list.id,
          settings: {storefrontOrigins: ['https://second.example']},
        },
        new Date().toISOString(),
      );
      const crossShop = await post('/v1/subscribe', subscribeBody(), {origin: 'https://second.example'});
      expectProblem(crossShop, 403);
      expect(crossShop.body.type).toMatch(/origin-not-allowed$/);
      expect((await stored()).inbox).toHaveLength(0);
      const ownShop = await post('/v1/subscribe', subscribeBody({shop: 'second-shop.test'}), {
        origin: 'https://second.example',
      });
      expect(ownShop.status).toBe(202);
      expect(ownShop.headers['access-control-allow-origin']).toBe('https://second.example');
      expect((await stored()).inbox).toHaveLength(1);
    });

    it('answers bad requests with problem+json (CORS headers kept so the widget can read them)', async () => {
      const wrongType = await post('/v1/subscribe', subscribeBody(), {type: 'text/plain'});
      expectProblem(wrongType, 415);
      expect(wrongType.headers['access-control-allow-origin']).toBe(ORIGIN);
      expectProblem(
        await post('/v1/consent', 'email=ada%40example.com', {type: 'application/x-www-form-urlencoded'}),
        415,
      );

      const malformed = await post('/v1/subscribe', '{"shop": "x", "email":');
      expectProblem(malformed, 400);
      expect(malformed.body.type).toMatch(/malformed-json$/);
      expectProblem(await post('/v1/subscribe', '[1, 2]'), 400);

      const oversize = await post('/v1/subscribe', subscribeBody({consent_text: 'x'.repeat(9 * 1024)}));
      expectProblem(oversize, 413);
      expect(oversize.headers['access-control-allow-origin']).toBe(ORIGIN);

      const invalid = await post(
        '/v1/subscribe',
        subscribeBody({email: 'not-an-address', extra: 1, page: 'javascript:alert(1)'}),
      );
      expectProblem(invalid, 400);
      expect(invalid.body.errors.map((e: {field: string}) => e.field).sort()).toEqual(['', 'email', 'page']);
      const missing = await post('/v1/subscribe', {shop: TEST_SHOP, email: 'ada@example-mail.com'});
      expect(missing.body.errors).toEqual([{field: 'consent_text', message: 'is required'}]);

      // The beacon records a ticked box only.
      const unticked = await post('/v1/consent', checkboxBody({checked: false}), {type: 'text/plain;charset=UTF-8'});
      expectProblem(unticked, 400);
      expect(unticked.body.errors.map((e: {field: string}) => e.field)).toEqual(['checked']);
      expectProblem(await post('/v1/consent', checkboxBody({checked: undefined})), 400);

      // An unknown shop is answered like a refused origin (nothing tells which shops are connected).
      const unknownShop = await post('/v1/subscribe', subscribeBody({shop: 'unknown-shop.myshopify.com'}));
      expectProblem(unknownShop, 403);
      expect(unknownShop.body.type).toMatch(/origin-not-allowed$/);
      expect(await stored()).toEqual({inbox: [], evidence: []});
    });

    it('tells a bot that filled the honeypot what a person would hear, and stores nothing', async () => {
      const res = await post('/v1/subscribe', subscribeBody({website: 'https://spam.example'}));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({status: 'pending_confirmation'});
      expect(await stored()).toEqual({inbox: [], evidence: []});
      await t.settle();
      expect(member('ada@example-mail.com')).toBeUndefined();
    });
  });

  describe('rate limits', () => {
    it('limits requests per client IP (X-Forwarded-For from the loopback proxy), other IPs unaffected', async () => {
      await start({env: {STOREFRONT_RATE_LIMIT_PER_IP: '3', STOREFRONT_RATE_LIMIT_PER_EMAIL: '50'}});
      for (let i = 0; i < 3; i++) {
        expect(
          (await post('/v1/subscribe', subscribeBody({email: `p${i}@example-mail.com`}), {ip: '203.0.113.7'})).status,
        ).toBe(202);
      }
      const limited = await post('/v1/subscribe', subscribeBody({email: 'p9@example-mail.com'}), {ip: '203.0.113.7'});
      expectProblem(limited, 429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.headers['access-control-allow-origin']).toBe(ORIGIN);
      // The beacon shares the per-IP budget; invalid requests count too.
      expectProblem(await post('/v1/consent', checkboxBody(), {ip: '203.0.113.7'}), 429);
      expect(
        (await post('/v1/subscribe', subscribeBody({email: 'p9@example-mail.com'}), {ip: '198.51.100.1'})).status,
      ).toBe(202);
      expect((await stored()).inbox).toHaveLength(4);
    });

    it('limits accepted requests per shop and address, whatever the IP', async () => {
      await start({env: {STOREFRONT_RATE_LIMIT_PER_EMAIL: '2'}});
      expect((await post('/v1/subscribe', subscribeBody(), {ip: '203.0.113.1'})).status).toBe(202);
      expect(
        (await post('/v1/consent', checkboxBody({email: 'ADA@example-mail.com'}), {ip: '203.0.113.2'})).status,
      ).toBe(202);
      expectProblem(await post('/v1/subscribe', subscribeBody(), {ip: '203.0.113.3'}), 429);
      expect(
        (await post('/v1/subscribe', subscribeBody({email: 'grace@example-mail.com'}), {ip: '203.0.113.3'})).status,
      ).toBe(202);
      expect((await stored()).evidence.map((e) => e.email)).toEqual([
        'ada@example-mail.com',
        'ada@example-mail.com',
        'grace@example-mail.com',
      ]);
    });
  });

  describe('accepted requests', () => {
    it('stores the request and its evidence before answering, then subscribes with the newsletter tag (single opt-in chosen)', async () => {
      await start({env: {STOREFRONT_DOUBLE_OPT_IN: 'false'}});
      const res = await post(
        '/v1/subscribe',
        subscribeBody({
          email: 'Ada@Example-mail.com',
          first_name: 'Ada',
          request_id: 'req-0001-abcdef',
          attribution: {mc_cid: '0123456789', utm_source: 'mailchimp'},
        }),
        {
          ip: '203.0.113.9',
          userAgent: 'E2E browser/1.0',
        },
      );
      expect(res.status).toBe(202);
      expect(res.body).toEqual({status: 'subscribed'});
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      // Stored before the answer (the inbox processor may have mapped it since; Mailchimp has not heard of it yet).
      const {inbox, evidence} = await stored();
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toMatchObject({source: 'storefront', topic: 'storefront/subscribe'});
      expect(evidence).toEqual([
        expect.objectContaining({
          inbox_event_id: inbox[0]!.id,
          email: 'ada@example-mail.com',
          source: 'subscribe_form',
          state: 'subscribed',
          text: CONSENT_TEXT,
          text_version: expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
          locale: 'en',
          ip: '203.0.113.9',
          user_agent: 'E2E browser/1.0',
          page: `${ORIGIN}/products/beanie`,
          attribution: JSON.stringify({mc_cid: '0123456789', utm_source: 'mailchimp'}),
        }),
      ]);
      // The same submission again (a retry) is stored once.
      expect(
        (await post('/v1/subscribe', subscribeBody({email: 'ada@example-mail.com', request_id: 'req-0001-abcdef'})))
          .status,
      ).toBe(202);
      expect((await stored()).evidence).toHaveLength(1);

      await t.settle();
      const m = member('ada@example-mail.com');
      expect(m?.status).toBe('subscribed');
      expect(m?.merge_fields.FNAME).toBe('Ada');
      expect(m?.tags.map((tag) => tag.name)).toEqual(['newsletter']);
      expect((await t.connector.inbox.get(inbox[0]!.id))?.status).toBe('processed');
      // Subscribed now: the answer is the same as for anybody (it never tells who is on the audience).
      expect((await post('/v1/subscribe', subscribeBody())).body).toEqual({status: 'subscribed'});
    });

    it('keeps both storefront tags (behind TAG_PREFIX) when a buyer who ticked the checkout box later uses the form', async () => {
      await start({env: {TAG_PREFIX: 'shop:'}});
      const beacon = await post('/v1/consent', checkboxBody({email: 'lin@example-mail.com'}), {
        type: 'text/plain;charset=UTF-8',
      });
      expect(beacon.status).toBe(202);
      expect(beacon.body).toEqual({status: 'awaiting_order'});
      // The box counts once the signed order for the same address arrives.
      const lines = [{id: '71', productId: null, variantId: null, title: 'Gift card', priceMinor: 25_00, quantity: 1}];
      expect(
        (
          await t.webhook(
            'orders/create',
            orderPayload({
              id: '6610001',
              email: 'lin@example-mail.com',
              lines,
              financialStatus: 'paid',
              updatedAt: new Date().toISOString(),
            }),
          )
        ).status,
      ).toBe(200);
      await t.settle();
      const storefrontTags = () =>
        member('lin@example-mail.com')
          ?.tags.map((tag) => tag.name)
          .filter((name) => /newsletter|opt-in/.test(name))
          .sort();
      expect(member('lin@example-mail.com')?.status).toBe('subscribed');
      expect(storefrontTags()).toEqual(['shop:checkout-opt-in']);
      const [evidence] = (await stored()).evidence;
      expect(evidence).toMatchObject({
        source: 'checkout_checkbox',
        text: 'Email me news and offers\nOptional. You can unsubscribe at any time.',
      });

      await post('/v1/subscribe', subscribeBody({email: 'lin@example-mail.com'}));
      await t.settle();
      expect(member('lin@example-mail.com')?.status).toBe('subscribed');
      expect(storefrontTags()).toEqual(['shop:checkout-opt-in', 'shop:newsletter']);
    });

    it('asks for confirmation (pending) on a double opt-in audience', async () => {
      await start({doubleOptIn: true});
      const res = await post('/v1/subscribe', subscribeBody({email: 'dora@example-mail.com'}));
      expect(res.body).toEqual({status: 'pending_confirmation'});
      await t.settle();
      expect(member('dora@example-mail.com')?.status).toBe('pending');
      // Still waiting for the confirmation: the answer stays the same, never "already subscribed".
      expect((await post('/v1/subscribe', subscribeBody({email: 'dora@example-mail.com'}))).body).toEqual({
        status: 'pending_confirmation',
      });
    });

    it('never resubscribes a member who unsubscribed: they are asked to confirm (pending) instead', async () => {
      // The sandbox's clock runs an hour behind, so the opt-out is provably older than the new consent.
      const sandbox = await startTestSandbox({now: () => new Date(Date.now() - 3_600_000)});
      const {createListRecord} = await import('../../sandbox/mailchimp/core/lists.js');
      const list = createListRecord(sandbox.sandbox.state, {name: 'Opted out', double_optin: false});
      createMember(sandbox.sandbox.state, list, {email_address: 'otto@example-mail.com', status: 'unsubscribed'});
      await start({sandbox, list});
      // The connector never heard of that unsubscribe; the answer still says what will happen (issue #11 point 2).
      const res = await post('/v1/subscribe', subscribeBody({email: 'otto@example-mail.com'}));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({status: 'pending_confirmation'});
      await t.settle();
      expect(list.members.get(subscriberHash('otto@example-mail.com'))?.status).toBe('pending');
    });

    it('answers a member subscribed in Mailchimp exactly like a new reader (no lookup, no enumeration)', async () => {
      const sandbox = await startTestSandbox();
      const {createListRecord} = await import('../../sandbox/mailchimp/core/lists.js');
      const list = createListRecord(sandbox.sandbox.state, {name: 'Known', double_optin: false});
      createMember(sandbox.sandbox.state, list, {email_address: 'kim@example-mail.com', status: 'subscribed'});
      await start({sandbox, list});
      expect((await post('/v1/subscribe', subscribeBody({email: 'kim@example-mail.com'}))).body).toEqual({
        status: 'pending_confirmation',
      });
      expect((await post('/v1/subscribe', subscribeBody({email: 'new.reader@example-mail.com'}))).body).toEqual({
        status: 'pending_confirmation',
      });
      await t.settle();
      expect(list.members.get(subscriberHash('kim@example-mail.com'))?.status).toBe('subscribed');
      expect(list.members.get(subscriberHash('new.reader@example-mail.com'))?.status).toBe('pending');
    });

    it('answers at once even when Mailchimp is slow (nothing is asked of it), and stores the request', async () => {
      const sandbox = await startTestSandbox();
      const {createListRecord} = await import('../../sandbox/mailchimp/core/lists.js');
      const list = createListRecord(sandbox.sandbox.state, {name: 'Slow', double_optin: false});
      createMember(sandbox.sandbox.state, list, {email_address: 'slow@example-mail.com', status: 'subscribed'});
      await start({sandbox, list});
      await t.connector.settle(); // the store exists; from now on every Mailchimp call hangs
      await sandbox.http().put('/__sandbox/faults').send({pSlow: 1, slowMs: 4_000});
      const started = Date.now();
      const res = await post('/v1/subscribe', subscribeBody({email: 'slow@example-mail.com'}));
      expect(res.body).toEqual({status: 'pending_confirmation'});
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((await stored()).evidence.map((e) => e.email)).toContain('slow@example-mail.com');
      await sandbox.http().put('/__sandbox/faults').send({});
    });

    it('forgets the evidence with the person (GDPR redaction)', async () => {
      await start();
      await post('/v1/subscribe', subscribeBody({email: 'gone@example-mail.com'}));
      await post('/v1/subscribe', subscribeBody({email: 'kept@example-mail.com'}));
      await t.settle();
      const redact = {
        id: 'redact-1',
        type: 'person.redact',
        occurred_at: new Date().toISOString(),
        data: {email: 'gone@example-mail.com'},
      };
      expect(
        (
          await t
            .http()
            .post('/v1/events')
            .set('Authorization', `Bearer ${t.ingestToken}`)
            .send({events: [redact]})
        ).status,
      ).toBe(202);
      await t.settle();
      expect((await stored()).evidence.map((e) => e.email)).toEqual(['kept@example-mail.com']);
    });
  });

  describe('/widget.js', () => {
    beforeEach(() => start());

    it('serves the bundle with a content-hash ETag, gzip, cache headers and a versioned immutable URL', async () => {
      const plain = await t.http().get('/widget.js').set('Accept-Encoding', 'identity');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
      expect(plain.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
      const version = plain.headers['x-widget-version'] as string;
      expect(version).toMatch(/^[0-9a-f]{16}$/);
      expect(plain.headers.etag).toBe(`"${version}"`);
      expect(plain.headers['access-control-allow-origin']).toBe('*');
      expect(plain.text).toContain('/v1/subscribe');

      const gzipped = await t
        .http()
        .get('/widget.js')
        .set('Accept-Encoding', 'gzip')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      // supertest inflates the body; the header still tells the size on the wire.
      expect(Number(gzipped.headers['content-length'])).toBeLessThan(Buffer.byteLength(plain.text) / 2);
      expect((gzipped.body as Buffer).toString('utf8')).toBe(plain.text);

      const notModified = await t.http().get('/widget.js').set('If-None-Match', `"${version}"`);
      expect(notModified.status).toBe(304);

      const versioned = await t.http().get(`/widget/${version}.js`).set('Accept-Encoding', 'identity');
      expect(versioned.status).toBe(200);
      expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(versioned.text).toBe(plain.text);
      expectProblem(await t.http().get('/widget/0000000000000000.js'), 404);
    });
  });
});

describe('storefront endpoints in demo mode', () => {
  it("allow the connector's own origin (its /demo page) for the demo shop only", async () => {
    const t = await startTestConnector({demo: true});
    try {
      const own = 'http://127.0.0.1:3999';
      const res = await t
        .http()
        .post('/v1/subscribe')
        .set('Host', '127.0.0.1:3999')
        .set('Origin', own)
        .send(subscribeBody({email: 'demo@example-mail.com'}));
      expect(res.status).toBe(202);
      const foreign = await t
        .http()
        .post('/v1/subscribe')
        .set('Host', '127.0.0.1:3999')
        .set('Origin', 'http://127.0.0.1:4000')
        .send(subscribeBody());
      expect(foreign.status).toBe(403);
      const page = await t.http().get('/demo');
      expect(page.status).toBe(200);
      expect(page.text).toContain(`data-shop="${TEST_SHOP}"`);
    } finally {
      await t.close();
    }
  });
});
