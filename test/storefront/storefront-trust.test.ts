import {isIP} from 'node:net';
import type request from 'supertest';
import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import {createMember} from '../../sandbox/mailchimp/core/members.js';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, TEST_SHOP, type TestConnector, type TestConnectorOptions} from '../support/connector.js';
import {startTestSandbox} from '../support/sandbox.js';
import {checkoutPayload, consentPayload, customerPayload, orderPayload} from '../support/shopify-webhooks.js';

/**
 * What the storefront endpoints may be trusted with (issue #12 items 4, 9, 10), attacked through HTTP. `Origin` is a
 * browser's promise only, so: the checkout box's beacon takes effect only when a signed order or checkout for the same
 * address confirms it; the subscribe form asks for a confirmation e-mail unless the merchant chose single opt-in; the
 * answers never tell one person (or one shop) from another; pre-checks are rate limited and the allowed origins
 * cached; forwarded addresses, NUL characters and operator answers are handled with care.
 */

jest.setTimeout(30_000);

const ORIGIN = 'https://www.trust-shop.test';
const CONSENT_TEXT = 'By subscribing you agree to receive marketing emails from us.';
const BOX_TEXT = 'Email me news and offers\nOptional. You can unsubscribe at any time.';
const HOUR = 3_600_000;

const form = (over: Record<string, unknown> = {}) => ({
  shop: TEST_SHOP,
  email: 'ada@example-mail.com',
  consent_text: CONSENT_TEXT,
  page: `${ORIGIN}/`,
  ...over,
});
const box = (over: Record<string, unknown> = {}) => ({
  ...form({consent_text: BOX_TEXT, page: `${ORIGIN}/checkout`}),
  checked: true,
  ...over,
});
const giftCard = (id: string) => [
  {id, productId: null, variantId: null, title: 'Gift card', priceMinor: 25_00, quantity: 1},
];

describe('storefront trust (issue #12)', () => {
  let t: TestConnector;
  /** The connector's clock; real time unless a test moves it. */
  let offsetMs = 0;
  const start = async (options: TestConnectorOptions = {}) => {
    offsetMs = 0;
    t = await startTestConnector({
      now: () => new Date(Date.now() + offsetMs),
      ...options,
      env: {STOREFRONT_ORIGINS: ORIGIN, STOREFRONT_RATE_LIMIT_PER_IP: '500', ...options.env},
    });
  };
  afterEach(async () => {
    await t?.close();
  });

  const post = (
    path: string,
    body: unknown,
    opts: {origin?: string; ip?: string; type?: string} = {},
  ): request.Test => {
    let req = t
      .http()
      .post(path)
      .set('Origin', opts.origin ?? ORIGIN)
      .set('Content-Type', opts.type ?? 'application/json');
    if (opts.ip) req = req.set('X-Forwarded-For', opts.ip);
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const preflight = (origin: string, ip?: string) => {
    let req = t.http().options('/v1/subscribe').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
    if (ip) req = req.set('X-Forwarded-For', ip);
    return req;
  };
  const evidence = () => t.connector.store.db.selectFrom('consent_evidence').selectAll().orderBy('id').execute();
  const member = (email: string) => t.list.members.get(subscriberHash(email));
  const ingest = (events: unknown[]) =>
    t.http().post('/v1/events').set('Authorization', `Bearer ${t.ingestToken}`).send({events});

  describe('item 4: the checkout box counts only with an order', () => {
    it('a beacon alone never subscribes anyone: its evidence waits for an order', async () => {
      await start();
      const res = await post('/v1/consent', box({email: 'victim@example-mail.com'}), {type: 'text/plain'});
      expect(res.status).toBe(202);
      // The evidence is stored before the answer, waiting for its order.
      expect(await evidence()).toEqual([
        expect.objectContaining({
          email: 'victim@example-mail.com',
          source: 'checkout_checkbox',
          confirmation: 'awaiting_order',
          confirmed_by_type: null,
        }),
      ]);
      await t.settle();
      expect(member('victim@example-mail.com')).toBeUndefined();
      const person = await t.connector.store.db
        .selectFrom('people')
        .selectAll()
        .where('email', '=', 'victim@example-mail.com')
        .executeTakeFirst();
      expect(person?.consent ?? null).toBeNull();
    });

    it('the signed order that follows the beacon confirms it: subscribed, and the evidence names the order', async () => {
      await start();
      expect((await post('/v1/consent', box({email: 'omar@example-mail.com'}), {type: 'text/plain'})).status).toBe(202);
      await t.settle();
      expect(member('omar@example-mail.com')).toBeUndefined();
      // An order for somebody else confirms nothing.
      expect(
        (
          await t.webhook(
            'orders/create',
            orderPayload({
              id: '5550001',
              email: 'other@example-mail.com',
              lines: giftCard('61'),
              financialStatus: 'paid',
              updatedAt: new Date().toISOString(),
            }),
          )
        ).status,
      ).toBe(200);
      await t.settle();
      expect(member('omar@example-mail.com')).toBeUndefined();
      expect(
        (
          await t.webhook(
            'orders/create',
            orderPayload({
              id: '5550002',
              email: 'Omar@Example-mail.com',
              lines: giftCard('62'),
              financialStatus: 'paid',
              updatedAt: new Date().toISOString(),
            }),
          )
        ).status,
      ).toBe(200);
      await t.settle();
      expect(member('omar@example-mail.com')?.status).toBe('subscribed');
      expect(member('omar@example-mail.com')?.tags.map((tag) => tag.name)).toContain('checkout-opt-in');
      const [row] = await evidence();
      expect(row).toMatchObject({confirmation: 'confirmed', confirmed_by_type: 'order', confirmed_by_id: '5550002'});
      expect(row?.confirmed_at).toEqual(expect.any(String));
    });

    it('an order that arrived first confirms a beacon that comes after it (either order works)', async () => {
      await start();
      expect(
        (
          await t.webhook(
            'orders/create',
            orderPayload({
              id: '5550003',
              email: 'ivy@example-mail.com',
              lines: giftCard('63'),
              financialStatus: 'paid',
              updatedAt: new Date(Date.now() - 5_000).toISOString(),
            }),
          )
        ).status,
      ).toBe(200);
      await t.settle();
      expect(member('ivy@example-mail.com')?.status).toBe('transactional');
      expect((await post('/v1/consent', box({email: 'ivy@example-mail.com'}), {type: 'text/plain'})).status).toBe(202);
      await t.settle();
      expect(member('ivy@example-mail.com')?.status).toBe('subscribed');
      expect((await evidence())[0]).toMatchObject({
        confirmation: 'confirmed',
        confirmed_by_type: 'order',
        confirmed_by_id: '5550003',
      });
    });

    it('a signed checkout (Shopify) or a checkout from the generic ingest confirms too', async () => {
      await start();
      await post('/v1/consent', box({email: 'cleo@example-mail.com'}), {type: 'text/plain'});
      await post('/v1/consent', box({email: 'gus@example-mail.com'}), {type: 'text/plain'});
      const lines = [{id: 'k1', productId: null, variantId: null, title: 'Gift card', priceMinor: 10_00, quantity: 1}];
      expect(
        (
          await t.webhook(
            'checkouts/create',
            checkoutPayload({
              token: 'chk-cleo-1',
              email: 'cleo@example-mail.com',
              lines,
              updatedAt: new Date().toISOString(),
            }),
          )
        ).status,
      ).toBe(200);
      const cart = {
        id: 'cart-gus-1',
        customer: {email: 'gus@example-mail.com'},
        currency: 'USD',
        total: '10.00',
        lines: [{id: 'l1', product_id: null, variant_id: null, title: 'Gift card', quantity: 1, price: '10.00'}],
        updated_at: new Date().toISOString(),
      };
      expect(
        (await ingest([{id: 'cart-gus-1-v1', type: 'cart.upsert', occurred_at: new Date().toISOString(), data: cart}]))
          .status,
      ).toBe(202);
      await t.settle();
      expect(member('cleo@example-mail.com')?.status).toBe('subscribed');
      expect(member('gus@example-mail.com')?.status).toBe('subscribed');
      const rows = await evidence();
      expect(rows.map((r) => [r.email, r.confirmation, r.confirmed_by_type, r.confirmed_by_id])).toEqual([
        ['cleo@example-mail.com', 'confirmed', 'checkout', 'chk-cleo-1'],
        ['gus@example-mail.com', 'confirmed', 'checkout', 'cart-gus-1'],
      ]);
    });

    it('a beacon no order confirms within the window expires, and a later order subscribes nobody', async () => {
      await start({env: {STOREFRONT_CONSENT_CONFIRM_HOURS: '2'}});
      offsetMs = -3 * HOUR; // the box was ticked three hours ago
      expect((await post('/v1/consent', box({email: 'late@example-mail.com'}), {type: 'text/plain'})).status).toBe(202);
      await t.settle();
      offsetMs = 0;
      expect(
        (
          await t.webhook(
            'orders/create',
            orderPayload({
              id: '5550004',
              email: 'late@example-mail.com',
              lines: giftCard('64'),
              financialStatus: 'paid',
              updatedAt: new Date().toISOString(),
            }),
          )
        ).status,
      ).toBe(200);
      await t.settle();
      expect(member('late@example-mail.com')?.status).toBe('transactional');
      expect((await evidence())[0]).toMatchObject({
        email: 'late@example-mail.com',
        confirmation: 'expired',
        confirmed_by_type: null,
      });
      // An old order (before the window) confirms nothing either.
      offsetMs = 0;
      expect(
        (
          await t.webhook(
            'orders/create',
            orderPayload({
              id: '5550005',
              email: 'old@example-mail.com',
              lines: giftCard('65'),
              financialStatus: 'paid',
              updatedAt: new Date(Date.now() - 3 * HOUR).toISOString(),
            }),
          )
        ).status,
      ).toBe(200);
      await t.settle();
      await post('/v1/consent', box({email: 'old@example-mail.com'}), {type: 'text/plain'});
      await t.settle();
      expect(member('old@example-mail.com')?.status).toBe('transactional');
      expect((await evidence())[1]).toMatchObject({email: 'old@example-mail.com', confirmation: 'awaiting_order'});
    });
  });

  describe('item 4: the subscribe form asks for confirmation unless the merchant chose single opt-in', () => {
    it('double opt-in by default, even on a single opt-in audience: pending, and the answer says so', async () => {
      await start();
      const res = await post('/v1/subscribe', form({email: 'dina@example-mail.com'}));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({status: 'pending_confirmation'});
      await t.settle();
      expect(member('dina@example-mail.com')?.status).toBe('pending');
      expect(member('dina@example-mail.com')?.tags.map((tag) => tag.name)).toEqual(['newsletter']);
    });

    it('single opt-in only when chosen explicitly (STOREFRONT_DOUBLE_OPT_IN=false), unless the audience asks for confirmation anyway', async () => {
      await start({env: {STOREFRONT_DOUBLE_OPT_IN: 'false'}});
      const res = await post('/v1/subscribe', form({email: 'sven@example-mail.com'}));
      expect(res.body).toEqual({status: 'subscribed'});
      await t.settle();
      expect(member('sven@example-mail.com')?.status).toBe('subscribed');
      await t.close();

      await start({doubleOptIn: true, env: {STOREFRONT_DOUBLE_OPT_IN: 'false'}});
      expect((await post('/v1/subscribe', form({email: 'dora@example-mail.com'}))).body).toEqual({
        status: 'pending_confirmation',
      });
      await t.settle();
      expect(member('dora@example-mail.com')?.status).toBe('pending');
    });

    it('a person already subscribed stays subscribed (no downgrade to pending)', async () => {
      await start();
      await t.webhook(
        'customers/create',
        customerPayload({
          id: '7200001',
          email: 'sub@example-mail.com',
          updatedAt: new Date(Date.now() - 60_000).toISOString(),
        }),
      );
      await t.webhook(
        'customers_email_marketing_consent/update',
        consentPayload({
          customerId: '7200001',
          email: 'sub@example-mail.com',
          state: 'subscribed',
          updatedAt: new Date(Date.now() - 50_000).toISOString(),
        }),
      );
      await t.settle();
      expect(member('sub@example-mail.com')?.status).toBe('subscribed');
      expect((await post('/v1/subscribe', form({email: 'sub@example-mail.com'}))).body).toEqual({
        status: 'pending_confirmation',
      });
      await t.settle();
      expect(member('sub@example-mail.com')?.status).toBe('subscribed');
      const person = await t.connector.store.db
        .selectFrom('people')
        .select('consent')
        .where('email', '=', 'sub@example-mail.com')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(person.consent!)).toMatchObject({state: 'subscribed'});
    });
  });

  describe('item 4: answers that enumerate nobody', () => {
    it('answers every accepted request alike, whatever Mailchimp holds, without asking Mailchimp', async () => {
      // The sandbox's clock runs an hour behind, so the opt-out is provably older than the new consent.
      const sandbox = await startTestSandbox({now: () => new Date(Date.now() - HOUR)});
      const list = createListRecord(sandbox.sandbox.state, {name: 'Mixed', double_optin: false});
      createMember(sandbox.sandbox.state, list, {email_address: 'kim@example-mail.com', status: 'subscribed'});
      createMember(sandbox.sandbox.state, list, {email_address: 'otto@example-mail.com', status: 'unsubscribed'});
      createMember(sandbox.sandbox.state, list, {email_address: 'pia@example-mail.com', status: 'pending'});
      await start({sandbox, list});
      await t.settle();
      const before = sandbox.sandbox.recorder.all().length;
      const answers: Array<[number, unknown, string | undefined]> = [];
      for (const email of [
        'kim@example-mail.com',
        'otto@example-mail.com',
        'pia@example-mail.com',
        'new@example-mail.com',
        'kim@example-mail.com',
      ]) {
        const res = await post('/v1/subscribe', form({email}));
        answers.push([res.status, res.body, res.headers['content-length']]);
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0]).toEqual([202, {status: 'pending_confirmation'}, expect.any(String)]);
      // Nothing was asked of Mailchimp while answering.
      expect(
        sandbox.sandbox.recorder
          .all()
          .slice(before)
          .filter((r) => r.path.includes('/members')),
      ).toEqual([]);
      await t.settle();
      expect(list.members.get(subscriberHash('kim@example-mail.com'))?.status).toBe('subscribed');
      expect(list.members.get(subscriberHash('otto@example-mail.com'))?.status).toBe('pending');
      expect(list.members.get(subscriberHash('new@example-mail.com'))?.status).toBe('pending');
      // The honeypot gets what a person gets.
      const bot = await post('/v1/subscribe', form({email: 'bot@example-mail.com', website: 'https://spam.example'}));
      expect([bot.status, bot.body]).toEqual([202, {status: 'pending_confirmation'}]);
    });

    it('answers an unknown shop exactly like a refused origin or a paused shop', async () => {
      await start();
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
      const paused = await t.connector.connections.upsert(
        {
          shopDomain: 'paused-shop.test',
          platform: 'custom',
          mailchimp: {kind: 'api_key', apiKey: t.sandbox.apiKey, baseUrl: t.sandbox.baseUrl},
          mailchimpListId: t.list.id,
          settings: {storefrontOrigins: [ORIGIN]},
        },
        new Date().toISOString(),
      );
      await t.connector.connections.setStatus(paused.id, 'uninstalled', new Date().toISOString());
      const shape = (res: request.Response) => ({
        status: res.status,
        type: res.headers['content-type'],
        acao: res.headers['access-control-allow-origin'] ?? null,
        body: res.body as unknown,
      });
      const unknownShop = shape(await post('/v1/subscribe', form({shop: 'nobody.myshopify.com'})));
      const otherShopsOrigin = shape(await post('/v1/subscribe', form(), {origin: 'https://second.example'}));
      const pausedShop = shape(await post('/v1/subscribe', form({shop: 'paused-shop.test'})));
      const noShopsOrigin = shape(await post('/v1/subscribe', form(), {origin: 'https://evil.example'}));
      const unknownBeacon = shape(await post('/v1/consent', box({shop: 'nobody.myshopify.com'}), {type: 'text/plain'}));
      expect(unknownShop.status).toBe(403);
      expect(otherShopsOrigin).toEqual(unknownShop);
      expect(pausedShop).toEqual(unknownShop);
      expect(noShopsOrigin).toEqual(unknownShop);
      expect({...unknownBeacon, body: {...(unknownBeacon.body as object), instance: undefined}}).toEqual({
        ...unknownShop,
        body: {...(unknownShop.body as object), instance: undefined},
      });
      expect(await evidence()).toEqual([]);
    });
  });

  describe('item 9: pre-checks are rate limited, allowed origins cached', () => {
    it('counts preflights and refused origins against the per-IP limit', async () => {
      await start({env: {STOREFRONT_RATE_LIMIT_PER_IP: '3'}});
      for (let i = 0; i < 3; i++) expect((await preflight(ORIGIN, '203.0.113.20')).status).toBe(204);
      const limited = await preflight(ORIGIN, '203.0.113.20');
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect((await post('/v1/subscribe', form(), {ip: '203.0.113.20'})).status).toBe(429);

      for (let i = 0; i < 3; i++) expect((await preflight('https://evil.example', '203.0.113.21')).status).toBe(403);
      expect((await preflight('https://evil.example', '203.0.113.21')).status).toBe(429);
      for (let i = 0; i < 3; i++)
        expect((await post('/v1/subscribe', form(), {origin: 'https://evil.example', ip: '203.0.113.22'})).status).toBe(
          403,
        );
      expect((await post('/v1/subscribe', form(), {origin: 'https://evil.example', ip: '203.0.113.22'})).status).toBe(
        429,
      );
      // Other addresses are unaffected.
      expect((await preflight(ORIGIN, '203.0.113.23')).status).toBe(204);
    });

    it("reads the allowed origins once, not per request; a change in this process applies at once, another process's after the TTL", async () => {
      await start();
      const all = jest.spyOn(t.connector.connections, 'all');
      for (let i = 0; i < 10; i++) {
        expect((await preflight(ORIGIN)).status).toBe(204);
        expect((await preflight('https://evil.example')).status).toBe(403);
        expect(
          (await post('/v1/subscribe', form({email: `p${i}@example-mail.com`}), {origin: 'https://evil.example'}))
            .status,
        ).toBe(403);
      }
      expect(all.mock.calls.length).toBeLessThanOrEqual(1);

      // A shop connected through this process: its origin is allowed right away.
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
      expect((await preflight('https://second.example')).status).toBe(204);

      // Another process changed the settings: seen once the cache is older than its TTL.
      await t.connector.store.db
        .updateTable('connections')
        .set({settings: JSON.stringify({storefrontOrigins: ['https://third.example']})})
        .where('shop_domain', '=', 'second-shop.test')
        .execute();
      expect((await preflight('https://third.example')).status).toBe(403);
      offsetMs = 5 * 60_000;
      expect((await preflight('https://third.example')).status).toBe(204);
      expect((await preflight('https://second.example')).status).toBe(403);
    });
  });

  describe('item 10: forwarded addresses, NUL characters, operator answers', () => {
    it("stores a forwarded address as evidence only when it is an IP; otherwise the socket's address (and the per-IP limit keys on it)", async () => {
      await start({env: {STOREFRONT_DOUBLE_OPT_IN: 'false'}});
      expect((await post('/v1/subscribe', form({email: 'a1@example-mail.com'}), {ip: '198.51.100.7'})).status).toBe(
        202,
      );
      expect((await post('/v1/subscribe', form({email: 'a2@example-mail.com'}), {ip: '2001:db8::7'})).status).toBe(202);
      expect(
        (await post('/v1/subscribe', form({email: 'a3@example-mail.com'}), {ip: '<script>alert(1)</script>'})).status,
      ).toBe(202);
      expect((await post('/v1/subscribe', form({email: 'a4@example-mail.com'}), {ip: '999.1.2.3'})).status).toBe(202);
      const ips = (await evidence()).map((r) => r.ip);
      expect(ips.slice(0, 2)).toEqual(['198.51.100.7', '2001:db8::7']);
      for (const ip of ips.slice(2)) {
        expect(ip).not.toBeNull();
        expect(isIP(ip!)).not.toBe(0);
        expect(ip).toMatch(/127\.0\.0\.1|::1/);
      }
      await t.close();

      // Made-up forwarded addresses do not each get a fresh per-IP budget.
      await start({env: {STOREFRONT_RATE_LIMIT_PER_IP: '2'}});
      expect((await post('/v1/subscribe', form({email: 'b1@example-mail.com'}), {ip: 'forged-1'})).status).toBe(202);
      expect((await post('/v1/subscribe', form({email: 'b2@example-mail.com'}), {ip: 'forged-2'})).status).toBe(202);
      expect((await post('/v1/subscribe', form({email: 'b3@example-mail.com'}), {ip: 'forged-3'})).status).toBe(429);
    });

    it('refuses NUL characters in every text field of a storefront request, naming the field', async () => {
      await start();
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['/v1/subscribe', form({page: `${ORIGIN}/a\u0000b`}), 'page'],
        ['/v1/subscribe', form({website: 'x\u0000'}), 'website'],
        ['/v1/subscribe', form({first_name: 'Ada\u0000'}), 'first_name'],
        ['/v1/subscribe', form({consent_text_version: 'v\u00001'}), 'consent_text_version'],
        ['/v1/subscribe', form({attribution: {utm_source: 'mail\u0000chimp'}}), 'attribution/utm_source'],
        ['/v1/consent', box({consent_text: 'Yes\u0000'}), 'consent_text'],
        ['/v1/subscribe', form({shop: `${TEST_SHOP}\u0000`}), 'shop'],
      ];
      for (const [path, body, field] of cases) {
        const res = await post(path, body);
        expect([path, field, res.status]).toEqual([path, field, 400]);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({field})]));
      }
      expect(await evidence()).toEqual([]);
    });

    it('refuses NUL characters in every text field of the generic ingest, naming the field', async () => {
      await start();
      const at = new Date().toISOString();
      const customer = {id: 'c-nul-1', email: 'nul@example-mail.com', first_name: 'Nu\u0000l', last_name: 'Ok'};
      const res = await ingest([{id: 'evt-nul-1', type: 'customer.upsert', occurred_at: at, data: customer}]);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({field: 'events/0/data/first_name', message: expect.stringMatching(/NUL/)}),
        ]),
      );
      const order = {
        id: 'o-nul-1',
        customer: {email: 'nul@example-mail.com'},
        currency: 'USD',
        total: '1.00',
        lines: [{id: 'l1', product_id: null, variant_id: null, title: 'Gift\u0000card', quantity: 1, price: '1.00'}],
        financial_status: 'paid',
        processed_at: at,
        attributes: {'note\u0000': 'x'},
      };
      const res2 = await ingest([{id: 'evt-nul-2', type: 'order.upsert', occurred_at: at, data: order}]);
      expect(res2.status).toBe(400);
      expect(res2.body.errors.map((e: {field: string}) => e.field)).toEqual(
        expect.arrayContaining(['events/0/data/lines/0/title', 'events/0/data/attributes/note\u0000']),
      );
      expect(await t.connector.store.db.selectFrom('inbox_events').selectAll().execute()).toEqual([]);
    });

    it('answers every operator (admin-token) request with Cache-Control: no-store', async () => {
      await start();
      const auth = `Bearer ${t.adminToken}`;
      for (const path of [
        '/v1/sync/status',
        '/v1/dead-letters',
        '/v1/segments',
        '/v1/backfill',
        '/metrics',
        '/v1/mailchimp/webhook',
      ]) {
        const res = await t.http().get(path).set('Authorization', auth);
        expect([path, res.status < 500, res.headers['cache-control']]).toEqual([path, true, 'no-store']);
      }
      const replay = await t.http().post('/v1/inbox/999999/replay').set('Authorization', auth);
      expect(replay.headers['cache-control']).toBe('no-store');
      const denied = await t.http().get('/v1/sync/status');
      expect([denied.status, denied.headers['cache-control']]).toEqual([401, 'no-store']);
    });
  });
});
