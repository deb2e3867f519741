import type {Consent} from '../../connector/src/model/consent.js';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {emailOf, loadFixtureStore, startCampaignHarness, type CampaignHarness} from './campaign-harness.js';
import {eventually} from '../support/eventually.js';

/** Polls until `check` holds (the webhook path is asynchronous on both sides), at most `ms`. */
describe('Mailchimp list webhook: unsubscribes and profile changes back into the store', () => {
  let t: CampaignHarness;
  let token: string;
  const people = (email: string) =>
    t.connector.store.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
  const consentOf = async (email: string) => {
    const row = await people(email);
    return row?.consent ? (JSON.parse(row.consent) as Consent) : undefined;
  };
  const person = (email: string, action: string, body: Record<string, unknown> = {}) =>
    t.sandbox
      .http()
      .post(`/__sandbox/lists/${t.list.id}/members/${encodeURIComponent(email)}/${action}`)
      .send(body);
  /** Requests the connector sent to the sandbox since `mark` that wrote something (anything but GET). */
  const writesSince = (mark: number) =>
    t.sandbox.sandbox.recorder
      .all()
      .slice(mark)
      .filter((r) => r.method !== 'GET');
  const mentions = (r: {path: string; body: unknown}, email: string) =>
    r.path.includes(subscriberHash(email)) ||
    JSON.stringify(r.body ?? '')
      .toLowerCase()
      .includes(email);

  beforeAll(async () => {
    t = await startCampaignHarness();
    await loadFixtureStore(t);
    // Deliveries are applied once Mailchimp confirms them, which the sync worker does: it runs as in production.
    t.connector.worker.start();
  });
  afterAll(() => t.close());

  it("registers its webhook with a secret URL that answers Mailchimp's validator", async () => {
    const result = await t.connector.campaigns.webhooks.checkAll();
    expect(Object.values(result)).toEqual([expect.objectContaining({status: 'registered', repair: 'created'})]);
    const hooks = [...t.list.webhooks.values()];
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.url).toMatch(new RegExp(`^${t.origin}/webhooks/mailchimp/[A-Za-z0-9_-]{32}$`));
    expect(hooks[0]!.events).toEqual({
      subscribe: true,
      unsubscribe: true,
      profile: true,
      cleaned: true,
      upemail: true,
      campaign: false,
    });
    expect(hooks[0]!.sources).toEqual({user: true, admin: true, api: false});
    token = hooks[0]!.url.split('/').pop()!;

    expect((await t.http().get(`/webhooks/mailchimp/${token}`)).status).toBe(200);
    expect((await t.http().get('/webhooks/mailchimp/not-the-token')).status).toBe(404);
    const status = await t.http().get('/v1/mailchimp/webhook').set(t.admin);
    expect(status.body).toMatchObject({
      status: 'registered',
      webhook_id: hooks[0]!.id,
      url_base: t.origin,
      last_repair: 'created',
    });
    expect(JSON.stringify(status.body)).not.toContain(token);
    // A second check finds it healthy.
    expect((await t.http().post('/v1/mailchimp/webhook/check').set(t.admin)).body).toMatchObject({
      status: 'registered',
      repair: 'none',
    });
  });

  it('an unsubscribe in Mailchimp reaches local consent within seconds, stored first, with no Mailchimp write for that person', async () => {
    const ada = emailOf('ada');
    expect((await consentOf(ada))?.state).toBe('subscribed');
    const mark = t.sandbox.sandbox.recorder.all().length;
    const started = Date.now();
    expect((await person(ada, 'unsubscribe', {reason: 'Too many emails'})).status).toBe(200);

    const consent = await eventually(async () => {
      const c = await consentOf(ada);
      return c?.state === 'unsubscribed' ? c : undefined;
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(consent).toMatchObject({state: 'unsubscribed', source: 'mailchimp'});
    const stored = await t.connector.store.db
      .selectFrom('inbox_events')
      .selectAll()
      .where('source', '=', 'mailchimp')
      .execute();
    expect(stored).toEqual([expect.objectContaining({topic: 'unsubscribe', status: 'processed'})]);
    expect(stored[0]!.payload).toContain(`data%5Bemail%5D=${encodeURIComponent(ada)}`);

    // Nothing is left to send for her, and nothing was sent.
    await t.settle();
    const member = await t.connector.store.db
      .selectFrom('sync_state')
      .selectAll()
      .where('entity_type', '=', 'member')
      .where('entity_id', '=', ada)
      .executeTakeFirstOrThrow();
    expect(member.status).toBe('synced');
    expect(writesSince(mark).filter((r) => mentions(r, ada))).toEqual([]);
    expect(t.list.members.get(subscriberHash(ada))!.status).toBe('unsubscribed');
    // This shop has no Admin API token: the write-back to the store cannot happen, and says so as a dead letter.
    const letters = await t.http().get('/v1/dead-letters').set(t.admin);
    expect(letters.body.deadLetters).toEqual([
      expect.objectContaining({
        entity_type: 'shopify_consent',
        entity_id: ada,
        problem: expect.objectContaining({title: 'No Shopify Admin access'}),
      }),
    ]);

    // A later order of hers syncs, and still does not resubscribe her.
    const order = {
      id: 'evt-o-ada-2',
      type: 'order.upsert',
      occurred_at: '2026-03-01T11:00:00Z',
      data: {
        id: 'o-ada-2',
        customer: {id: 'cus-ada', email: ada},
        currency: 'USD',
        total: '12.00',
        financial_status: 'paid',
        fulfillment_status: 'fulfilled',
        processed_at: '2026-03-01T11:00:00Z',
        is_test: false,
        refunds: [],
        lines: [
          {id: 'o-ada-2-l1', product_id: 'p-mug', variant_id: 'v-mug', title: 'Camp Mug', quantity: 1, price: '12.00'},
        ],
      },
    };
    await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${t.ingestToken}`)
      .send({events: [order]});
    await t.settle();
    // (The same filter does see the writes a store event causes: the check above is not vacuous.)
    expect(writesSince(mark).filter((r) => mentions(r, ada)).length).toBeGreaterThan(0);
    expect(t.list.members.get(subscriberHash(ada))!.status).toBe('unsubscribed');
  });

  it('a hard bounce (cleaned) unsubscribes locally too; a profile edit and an address change update the person without a Mailchimp write', async () => {
    const ben = emailOf('ben');
    const gus = emailOf('gus');
    const eve = emailOf('eve');
    const mark = t.sandbox.sandbox.recorder.all().length;
    await person(ben, 'bounce', {type: 'hard'});
    await eventually(async () => ((await consentOf(ben))?.state === 'unsubscribed' ? true : undefined));

    await person(gus, 'update-profile', {merge_fields: {FNAME: 'Gustav', LNAME: 'Renamed'}});
    await eventually(async () => ((await people(gus))?.first_name === 'Gustav' ? true : undefined));
    expect((await people(gus))?.last_name).toBe('Renamed');

    await person(eve, 'change-email', {new_email: 'eve.new@shop.test'});
    await eventually(async () => ((await people('eve.new@shop.test')) ? true : undefined));
    expect(await people(eve)).toBeUndefined();
    const purchases = await t.connector.store.db
      .selectFrom('purchases')
      .select('order_id')
      .where('email', '=', 'eve.new@shop.test')
      .execute();
    expect(purchases.map((p) => p.order_id).sort()).toEqual(['o5', 'o6']);
    expect((await consentOf('eve.new@shop.test'))?.state).toBe('subscribed');

    await t.settle();
    expect(writesSince(mark).filter((r) => [ben, gus, eve, 'eve.new@shop.test'].some((e) => mentions(r, e)))).toEqual(
      [],
    );
    const topics = await t.connector.store.db
      .selectFrom('inbox_events')
      .select(['topic', 'status'])
      .where('source', '=', 'mailchimp')
      .orderBy('id')
      .execute();
    expect(topics).toEqual([
      {topic: 'unsubscribe', status: 'processed'},
      {topic: 'cleaned', status: 'processed'},
      {topic: 'profile', status: 'processed'},
      {topic: 'upemail', status: 'processed'},
    ]);
  });

  it('stores a retried delivery once, refuses garbage and unknown tokens, and ignores other audiences', async () => {
    const cleoBefore = await consentOf(emailOf('cleo'));
    const body = new URLSearchParams({
      type: 'unsubscribe',
      fired_at: '2026-03-01 10:00:00',
      'data[list_id]': t.list.id,
      'data[email]': emailOf('cleo'),
      'data[action]': 'unsub',
      'data[reason]': 'manual',
    }).toString();
    const post = (path: string, text: string) =>
      t.http().post(path).set('Content-Type', 'application/x-www-form-urlencoded').send(text);
    const first = await post(`/webhooks/mailchimp/${token}`, body);
    const second = await post(`/webhooks/mailchimp/${token}`, body);
    expect([first.status, first.body.duplicate, second.status, second.body.duplicate]).toEqual([200, false, 200, true]);
    expect((await post('/webhooks/mailchimp/wrong-token', body)).status).toBe(404);
    const garbage = await post(`/webhooks/mailchimp/${token}`, 'hello=world');
    expect(garbage.status).toBe(400);
    const other = new URLSearchParams({
      type: 'unsubscribe',
      fired_at: '2026-03-01 10:00:00',
      'data[list_id]': 'another-list',
      'data[email]': emailOf('dan'),
      'data[action]': 'unsub',
    }).toString();
    expect((await post(`/webhooks/mailchimp/${token}`, other)).status).toBe(200);
    await t.settle();
    // Mailchimp does not hold her as unsubscribed: the (hand-made) delivery is stored once and changes nothing.
    expect(await consentOf(emailOf('cleo'))).toEqual(cleoBefore);
    expect((await consentOf(emailOf('dan')))?.state).toBe('subscribed');
    const rows = await t.connector.store.db
      .selectFrom('inbox_events')
      .select(['topic'])
      .where('source', '=', 'mailchimp')
      .execute();
    expect(rows.map((r) => r.topic).filter((topic) => topic === 'foreign-list')).toHaveLength(1);
  });

  it('repairs a webhook that was deleted or switched off', async () => {
    const [hook] = [...t.list.webhooks.values()];
    const auth = {Authorization: t.sandbox.auth};
    expect(
      (
        await t.sandbox
          .http()
          .patch(`/3.0/lists/${t.list.id}/webhooks/${hook!.id}`)
          .set(auth)
          .send({events: {unsubscribe: false, cleaned: false}})
      ).status,
    ).toBe(200);
    expect((await t.http().post('/v1/mailchimp/webhook/check').set(t.admin)).body).toMatchObject({
      status: 'registered',
      repair: 'updated',
    });
    expect(t.list.webhooks.get(hook!.id)!.events).toMatchObject({unsubscribe: true, cleaned: true});

    expect((await t.sandbox.http().delete(`/3.0/lists/${t.list.id}/webhooks/${hook!.id}`).set(auth)).status).toBe(204);
    const repaired = await t.http().post('/v1/mailchimp/webhook/check').set(t.admin);
    expect(repaired.body).toMatchObject({status: 'registered', repair: 'created'});
    expect([...t.list.webhooks.values()].map((w) => w.url)).toEqual([hook!.url]);

    // Still delivering: the next unsubscribe arrives.
    await person(emailOf('gus'), 'unsubscribe');
    await eventually(async () => ((await consentOf(emailOf('gus')))?.state === 'unsubscribed' ? true : undefined));
  });
});
