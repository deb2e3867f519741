import {createListRecord} from '../../sandbox/mailchimp/core/lists.js';
import type {ListRecord} from '../../sandbox/mailchimp/core/state.js';
import {eventually} from '../support/eventually.js';
import {startMultiShopConnector, type InstalledShop, type MultiShopConnector} from '../support/multi-shop.js';

/**
 * The shop's page JSON API (`/app/api/*`) on one multi-shop connector with two installed shops, each with its own
 * Shopify stand-in, Mailchimp account and audience: each merchant sees and changes only their own shop, and the
 * operator (ADMIN_TOKEN) sees both.
 */
describe('merchant API: onboarding two shops on one connector', () => {
  let m: MultiShopConnector;
  let a: InstalledShop;
  let b: InstalledShop;
  let listA: ListRecord;
  let listB: ListRecord;
  let runA: string;
  let runB: string;

  const size = {products: 4, customers: 8, orders: 12, carts: 1};
  const problemOf = (res: {status: number; headers: Record<string, string>; body: unknown; text: string}) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return JSON.parse(res.text) as {status: number; type: string; detail: string};
  };

  beforeAll(async () => {
    m = await startMultiShopConnector();
    m.connector.start();
    a = await m.installShop('a.myshopify.com', {
      shopify: {seed: 11, shopName: 'Shop A', ...size},
      mailchimp: {accountName: 'Acme A'},
    });
    b = await m.installShop('b.myshopify.com', {
      shopify: {seed: 12, shopName: 'Shop B', ...size},
      mailchimp: {accountName: 'Acme B'},
    });
    listA = createListRecord(a.mailchimp!.sandbox.state, {name: 'A newsletter', double_optin: false});
    listB = createListRecord(b.mailchimp!.sandbox.state, {name: 'B newsletter', double_optin: true});
    expect(listB.id).not.toBe(listA.id);
  });
  afterAll(async () => {
    await m?.close();
  });

  it('answers 401 problem+json without a session, or with a forged one', async () => {
    for (const res of [
      await m.http().get('/app/api/shop'),
      await m.http().get('/app/api/audiences'),
      await m.http().get('/app/api/backfill'),
      await m.http().post('/app/api/setup').send({list_id: listA.id}),
      await m.http().post('/app/api/backfill').send({}),
      await m
        .http()
        .get('/app/api/shop')
        .set('Cookie', `${a.cookie.slice(0, -2)}xx`),
      // A session signed with another key.
      await m
        .http()
        .get('/app/api/shop')
        .set(
          'Cookie',
          `msb_session=${Buffer.from('{"shop":"a.myshopify.com","connectionId":"x","exp":9999999999}').toString('base64url')}.AAAA`,
        ),
    ]) {
      expect(res.status).toBe(401);
      expect(problemOf(res).type).toMatch(/no-session$/);
    }
  });

  it('refuses POST bodies that are not application/json with 415', async () => {
    const form = await m.http().post('/app/api/setup').set('Cookie', a.cookie).type('form').send(`list_id=${listA.id}`);
    expect(form.status).toBe(415);
    expect(problemOf(form).type).toMatch(/unsupported-media-type$/);
    const text = await m
      .http()
      .post('/app/api/backfill')
      .set('Cookie', a.cookie)
      .set('Content-Type', 'text/plain')
      .send('{}');
    expect(text.status).toBe(415);
    const none = await m.http().post('/app/api/backfill').set('Cookie', a.cookie);
    expect(none.status).toBe(415);
  });

  it('answers 400 problem+json to a JSON body that does not parse', async () => {
    const res = await m
      .http()
      .post('/app/api/setup')
      .set('Cookie', a.cookie)
      .set('Content-Type', 'application/json')
      .send('{"list_id":');
    expect(res.status).toBe(400);
    expect(problemOf(res).type).toMatch(/invalid-json$/);
  });

  it('serves the page and its assets with a strict CSP and no inline script', async () => {
    const page = await m.http().get('/app');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/);
    expect(page.text).not.toMatch(/ on[a-z]+="/);
    for (const asset of ['/app/merchant.js', '/app/merchant.css']) expect((await m.http().get(asset)).status).toBe(200);
  });

  it('shows a shop without Mailchimp as not connected; audiences and setup wait for it (409)', async () => {
    const c = await m.installShop('c.myshopify.com');
    const shop = await m.http().get('/app/api/shop').set('Cookie', c.cookie);
    expect(shop.status).toBe(200);
    expect(shop.body).toMatchObject({
      shop: 'c.myshopify.com',
      status: 'active',
      mailchimp: {status: 'not_connected', account_name: null, oauth_available: false},
      audience: null,
      webhooks: null,
      syncable: false,
      sync: {pending: 0, retry: 0, synced: 0, dead: 0},
    });
    expect(shop.body.store).toMatchObject({created: false, currency: null});
    const audiences = await m.http().get('/app/api/audiences').set('Cookie', c.cookie);
    expect(audiences.status).toBe(409);
    expect(problemOf(audiences).type).toMatch(/mailchimp-not-connected$/);
    const setup = await m.http().post('/app/api/setup').set('Cookie', c.cookie).send({list_id: listA.id});
    expect(setup.status).toBe(409);
    const backfill = await m.http().post('/app/api/backfill').set('Cookie', c.cookie).send({});
    expect(backfill.status).toBe(409);
    expect(problemOf(backfill).type).toMatch(/setup-incomplete$/);
  });

  it('shows a reconnect needed with its detail, and waits for the reconnect (409)', async () => {
    const d = await m.installShop('d.myshopify.com', {mailchimp: {accountName: 'Acme D'}});
    await m.connector.connections.markMailchimpReconnectNeeded(
      d.connection.id,
      d.connection.mailchimpAccount,
      'Mailchimp answered 401: API key revoked',
      new Date().toISOString(),
    );
    const shop = await m.http().get('/app/api/shop').set('Cookie', d.cookie);
    expect(shop.body.mailchimp).toEqual({
      status: 'reconnect_needed',
      account_name: 'Acme D',
      detail: 'Mailchimp answered 401: API key revoked',
      oauth_available: false,
    });
    const audiences = await m.http().get('/app/api/audiences').set('Cookie', d.cookie);
    expect(audiences.status).toBe(409);
    expect(problemOf(audiences).type).toMatch(/mailchimp-reconnect-needed$/);
  });

  it('needs the Admin API to create an audience; an existing one works without it (store named after the domain)', async () => {
    const e = await m.installShop('e.myshopify.com', {mailchimp: {accountName: 'Acme E'}});
    const create = await m.http().post('/app/api/setup').set('Cookie', e.cookie).send({create_list: {}});
    expect(create.status).toBe(409);
    expect(problemOf(create).type).toMatch(/shopify-not-connected$/);
    const listE = createListRecord(e.mailchimp!.sandbox.state, {name: 'E list', double_optin: true});
    const chosen = await m.http().post('/app/api/setup').set('Cookie', e.cookie).send({list_id: listE.id});
    expect(chosen.status).toBe(200);
    expect(chosen.body.store.name).toBe('e.myshopify.com');
    expect(chosen.body.syncable).toBe(true);
    // No Admin API: there is no history to read.
    const backfill = await m.http().post('/app/api/backfill').set('Cookie', e.cookie).send({});
    expect(backfill.status).toBe(409);
    expect(problemOf(backfill).type).toMatch(/backfill-unavailable$/);
  });

  it("lists only the session's Mailchimp account's audiences, with member counts", async () => {
    const resA = await m.http().get('/app/api/audiences').set('Cookie', a.cookie);
    expect(resA.status).toBe(200);
    expect(resA.body.audiences).toEqual([{id: listA.id, name: 'A newsletter', member_count: 0, double_optin: false}]);
    const resB = await m.http().get('/app/api/audiences').set('Cookie', b.cookie);
    expect(resB.body.audiences.map((l: {id: string}) => l.id)).toEqual([listB.id]);
  });

  it('validates the setup body (400 problem+json with errors[])', async () => {
    const both = await m
      .http()
      .post('/app/api/setup')
      .set('Cookie', a.cookie)
      .send({list_id: listA.id, create_list: {}});
    expect(both.status).toBe(400);
    const long = await m
      .http()
      .post('/app/api/setup')
      .set('Cookie', a.cookie)
      .send({list_id: listA.id, tag_prefix: 'x'.repeat(21)});
    expect(long.status).toBe(400);
    expect(long.body.errors[0].field).toBe('tag_prefix');
    const neither = await m.http().post('/app/api/setup').set('Cookie', a.cookie).send({double_opt_in: true});
    expect(neither.status).toBe(400);
    expect(problemOf(neither).type).toMatch(/audience-required$/);
  });

  it("keeps a merchant to their own shop: another shop's name or audience id is 404", async () => {
    const otherList = await m.http().post('/app/api/setup').set('Cookie', a.cookie).send({list_id: listB.id});
    expect(otherList.status).toBe(404);
    expect(problemOf(otherList).type).toMatch(/unknown-audience$/);
    const otherShop = await m.http().get('/app/api/shop?shop=b.myshopify.com').set('Cookie', a.cookie);
    expect(otherShop.status).toBe(404);
    const otherBody = await m
      .http()
      .post('/app/api/setup')
      .set('Cookie', a.cookie)
      .send({shop: 'b.myshopify.com', list_id: listA.id});
    expect(otherBody.status).toBe(404);
    const otherBackfill = await m
      .http()
      .post('/app/api/backfill')
      .set('Cookie', a.cookie)
      .send({shop: 'b.myshopify.com'});
    expect(otherBackfill.status).toBe(404);
    // Nothing of B changed.
    const shopB = await m.http().get('/app/api/shop').set('Cookie', b.cookie);
    expect(shopB.body.audience).toBeNull();
  });

  it('sets up shop A with an existing audience: double opt-in on by default, its tag prefix, the shop as store name', async () => {
    const res = await m
      .http()
      .post('/app/api/setup')
      .set('Cookie', a.cookie)
      .send({list_id: listA.id, tag_prefix: 'a:'});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      shop: 'a.myshopify.com',
      mailchimp: {status: 'connected', account_name: 'Acme A'},
      audience: {list_id: listA.id, name: 'A newsletter', double_opt_in: true},
      tag_prefix: 'a:',
      store: {name: 'Shop A', created: false},
      syncable: true,
    });
  });

  it("sets up shop B with a new audience carrying the shop's name and address", async () => {
    const res = await m
      .http()
      .post('/app/api/setup')
      .set('Cookie', b.cookie)
      .send({create_list: {from_email: 'news@shop-b.example'}, double_opt_in: false});
    expect(res.status).toBe(200);
    const created = [...b.mailchimp!.sandbox.state.lists.values()].find((l) => l.id !== listB.id)!;
    expect(created).toBeDefined();
    expect(res.body.audience).toEqual({list_id: created.id, name: 'Shop B', double_opt_in: false});
    expect(created.name).toBe('Shop B');
    expect(created.double_optin).toBe(false);
    expect(created.contact).toMatchObject({
      company: 'Shop B',
      address1: '12 Harbour Street',
      city: 'Portland',
      state: 'ME',
      zip: '04101',
      country: 'US',
    });
    expect(created.campaign_defaults).toMatchObject({from_name: 'Shop B', from_email: 'news@shop-b.example'});
    // A's account got no audience from B's setup.
    expect([...a.mailchimp!.sandbox.state.lists.keys()]).toEqual([listA.id]);
  });

  it('runs the initial sync of shop A to the end, its progress per phase as the operator API shows it', async () => {
    const before = await m.http().get('/app/api/backfill').set('Cookie', a.cookie);
    expect(before.status).toBe(200);
    expect(before.body.run).toBeNull();
    expect(before.body.phases[0]).toBe('store_syncing_on');

    const started = await m.http().post('/app/api/backfill').set('Cookie', a.cookie).send({});
    expect(started.status).toBe(202);
    runA = started.body.run.id as string;
    expect(started.headers.location).toBe(`/app/api/backfill/${runA}`);
    expect(started.body.run.connectionId).toBe(a.connection.id);
    const again = await m.http().post('/app/api/backfill').set('Cookie', a.cookie).send({});
    expect(again.status).toBe(409);
    expect(problemOf(again).type).toMatch(/backfill-running$/);

    const finished = await eventually(async () => {
      const res = await m.http().get('/app/api/backfill').set('Cookie', a.cookie);
      return res.body.run?.status === 'completed' ? res.body : undefined;
    }, 20_000);
    expect(finished.run.phase).toBe('done');
    expect(finished.run.progress.orders.read).toBe(12);
    expect(finished.run.progress.customers.read).toBe(8);
    const operator = await m.http().get(`/v1/backfill/${runA}`).set('Authorization', `Bearer ${m.adminToken}`);
    expect(operator.body.progress).toEqual(finished.run.progress);
    // Started again once done: nothing runs; the completed run comes back, saying so (the page offers a resync).
    const done = await m.http().post('/app/api/backfill').set('Cookie', a.cookie).send({});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({already_completed: true, run: {id: runA, status: 'completed'}});
    expect(done.body.detail).toMatch(
      /^The initial sync of a\.myshopify\.com already completed on .* start a resync\.$/,
    );

    await m.connector.settle();
    const shop = await m.http().get('/app/api/shop').set('Cookie', a.cookie);
    expect(shop.body.store).toMatchObject({created: true, name: 'Shop A', currency: 'USD'});
    expect(shop.body.sync.synced).toBeGreaterThan(0);
    const store = a.mailchimp!.sandbox.state.stores.get(a.connection.mailchimpStoreId)!;
    expect(store).toMatchObject({name: 'Shop A', list_id: listA.id, domain: 'a.myshopify.com', currency_code: 'USD'});
    // The shop's own tag prefix is on every tag the connector wrote.
    const tags = [...listA.members.values()].flatMap((member) => member.tags.map((t) => t.name));
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag.startsWith('a:')).toBe(true);
  });

  it('refuses to move a shop whose Mailchimp store exists to another audience (409)', async () => {
    const other = createListRecord(a.mailchimp!.sandbox.state, {name: 'A other', double_optin: false});
    const res = await m.http().post('/app/api/setup').set('Cookie', a.cookie).send({list_id: other.id});
    expect(res.status).toBe(409);
    expect(problemOf(res).type).toMatch(/audience-locked$/);
    const create = await m.http().post('/app/api/setup').set('Cookie', a.cookie).send({create_list: {}});
    expect(create.status).toBe(409);
    // Options of the same audience still change.
    const same = await m
      .http()
      .post('/app/api/setup')
      .set('Cookie', a.cookie)
      .send({list_id: listA.id, double_opt_in: false});
    expect(same.status).toBe(200);
    expect(same.body.audience.double_opt_in).toBe(false);
    expect(same.body.tag_prefix).toBe('a:');
  });

  it("runs shop B's sync; neither merchant reads the other's run; the operator sees both shops", async () => {
    const started = await m.http().post('/app/api/backfill').set('Cookie', b.cookie).send({});
    expect(started.status).toBe(202);
    runB = started.body.run.id as string;
    await eventually(async () => {
      const res = await m.http().get(`/app/api/backfill/${runB}`).set('Cookie', b.cookie);
      return res.body.run?.status === 'completed' ? true : undefined;
    }, 20_000);
    await m.connector.settle();

    expect((await m.http().get(`/app/api/backfill/${runB}`).set('Cookie', a.cookie)).status).toBe(404);
    expect((await m.http().get(`/app/api/backfill/${runA}`).set('Cookie', b.cookie)).status).toBe(404);
    expect((await m.http().get('/app/api/backfill/not-a-uuid').set('Cookie', a.cookie)).status).toBe(404);
    const own = await m.http().get('/app/api/backfill').set('Cookie', b.cookie);
    expect(own.body.run.id).toBe(runB);

    // B's records went to B's account only.
    const storeB = b.mailchimp!.sandbox.state.stores.get(b.connection.mailchimpStoreId)!;
    expect(storeB.name).toBe('Shop B');
    expect(a.mailchimp!.sandbox.state.stores.has(b.connection.mailchimpStoreId)).toBe(false);
    expect(b.mailchimp!.sandbox.state.stores.has(a.connection.mailchimpStoreId)).toBe(false);

    const admin = {Authorization: `Bearer ${m.adminToken}`};
    const runs = await m.http().get('/v1/backfill').set(admin);
    expect(runs.status).toBe(200);
    const connections = new Set(runs.body.runs.map((r: {connectionId: string}) => r.connectionId));
    expect(connections).toEqual(new Set([a.connection.id, b.connection.id]));
    for (const shop of [a, b]) {
      const status = await m.http().get(`/v1/sync/status?shop=${shop.shop}`).set(admin);
      expect(status.status).toBe(200);
      expect(status.body.store).toMatchObject({id: shop.connection.mailchimpStoreId});
    }
    const status = await m.http().get('/v1/sync/status').set(admin);
    expect(status.body.entities.customer.synced).toBe(16);
  });
});

describe('merchant API: OAuth offered when the Mailchimp app is configured', () => {
  it('says oauth_available when MAILCHIMP_CLIENT_ID is set', async () => {
    const m = await startMultiShopConnector({
      env: {MAILCHIMP_CLIENT_ID: 'client-id', MAILCHIMP_CLIENT_SECRET: 'secret'},
    });
    try {
      const shop = await m.installShop('f.myshopify.com');
      const res = await m.http().get('/app/api/shop').set('Cookie', shop.cookie);
      expect(res.body.mailchimp).toEqual({status: 'not_connected', account_name: null, oauth_available: true});
    } finally {
      await m.close();
    }
  });
});
