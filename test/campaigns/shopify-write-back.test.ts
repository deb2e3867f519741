import type {Consent} from '../../connector/src/model/consent.js';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {TEST_SHOP} from '../support/connector.js';
import {customerPayload} from '../support/shopify-webhooks.js';
import {startCampaignHarness, type CampaignHarness} from './campaign-harness.js';
import {eventually} from '../support/eventually.js';

/** The app secret test/support/connector.ts gives the test shop: the stand-in signs its webhooks with it. */
const WEBHOOK_SECRET = 'e2e-webhook-secret';

interface StandInCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  emailMarketingConsent: {
    marketingState: string;
    marketingOptInLevel: string | null;
    consentUpdatedAt: string | null;
  } | null;
}

describe('Mailchimp changes written back to Shopify (the Admin GraphQL stand-in), with no echo', () => {
  let t: CampaignHarness;
  let shopify: ShopifySandbox;
  const ids: Record<string, string> = {};

  const standIn = async (id: string) =>
    (await fetch(`${shopify.origin}/__sandbox/customers/${id}`)).json() as Promise<StandInCustomer>;
  const person = (email: string, action: string, body: Record<string, unknown> = {}) =>
    t.sandbox
      .http()
      .post(`/__sandbox/lists/${t.list.id}/members/${encodeURIComponent(email)}/${action}`)
      .send(body);
  const consentOf = async (email: string) => {
    const row = await t.connector.store.db
      .selectFrom('people')
      .select('consent')
      .where('email', '=', email)
      .executeTakeFirst();
    return row?.consent ? (JSON.parse(row.consent) as Consent) : undefined;
  };
  const mailchimpWritesSince = (mark: number, email: string) =>
    t.sandbox.sandbox.recorder
      .all()
      .slice(mark)
      .filter(
        (r) =>
          r.method !== 'GET' &&
          (r.path.includes(subscriberHash(email)) ||
            JSON.stringify(r.body ?? '')
              .toLowerCase()
              .includes(email)),
      );
  /** Waits until the stand-in delivered its webhooks and the connector processed everything. */
  const quiet = async () => {
    await shopify.webhooks!.idle();
    await t.settle();
  };

  beforeAll(async () => {
    t = await startCampaignHarness({
      now: () => new Date(),
      envFor: async (origin) => {
        shopify = await startShopifySandbox({
          seed: 7,
          products: 0,
          customers: 0,
          orders: 0,
          shopDomain: TEST_SHOP,
          webhookUrl: `${origin}/webhooks/shopify`,
          apiSecret: WEBHOOK_SECRET,
          throttle: false,
        });
        // Address changes are written into Shopify only when the operator turns it on (it is the customer's login).
        return {
          SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
          SHOPIFY_ADMIN_URL: shopify.adminUrl,
          MAILCHIMP_EMAIL_CHANGE_WRITE_BACK: 'true',
        };
      },
    });
    expect(t.webhookSecret).toBe(WEBHOOK_SECRET);
    const create = async (name: string, consentState: string) => {
      const res = await fetch(`${shopify.origin}/__sandbox/customers`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({email: `${name}@shop.test`, firstName: name, lastName: 'Shopper', consentState}),
      });
      ids[name] = ((await res.json()) as StandInCustomer).id;
    };
    await create('ada', 'SUBSCRIBED');
    await create('ben', 'SUBSCRIBED');
    // A guest: Shopify keeps a customer record for her checkout, but the connector only ever learns her address.
    await create('gwen', 'NOT_SUBSCRIBED');
    for (const name of ['ada', 'ben']) {
      const res = await t.webhook(
        'customers/create',
        customerPayload({
          id: ids[name]!,
          email: `${name}@shop.test`,
          firstName: name,
          lastName: 'Shopper',
          updatedAt: '2026-01-01T00:00:00Z',
          consent: {state: 'subscribed', updatedAt: '2026-01-01T00:00:00Z'},
        }),
      );
      expect(res.status).toBe(200);
    }
    await t.settle();
    expect(t.list.members.get(subscriberHash('ada@shop.test'))?.status).toBe('subscribed');
    await t.connector.campaigns.webhooks.checkAll();
    t.connector.worker.start();
  });
  afterAll(async () => {
    await t.close();
    await shopify.close();
  });

  it('creates the promo code as a Shopify discount too, under the ids the promo sync gives it in Mailchimp', async () => {
    const segment = await t
      .http()
      .post('/v1/segments')
      .set(t.admin)
      .send({name: 'Subscribers', match: 'all', conditions: [{type: 'subscribed'}]});
    expect(segment.status).toBe(201);
    const body = {
      segment_id: segment.body.id,
      code: 'SHOP20',
      discount: {type: 'percentage', amount: 20},
      subject: '20 % off',
      from_name: 'Shop',
      reply_to: 'shop@shop.test',
      shopify_discount: true,
    };
    const res = await t
      .http()
      .post('/v1/promo-sends')
      .set(t.admin)
      .set('Idempotency-Key', 'shopify-discount-1')
      .send(body);
    expect(res.status).toBe(201);
    const discounts = (
      (await (await fetch(`${shopify.origin}/__sandbox/discounts?createdViaApi=true`)).json()) as {
        discounts: Array<{id: string; codes: string[]; value: unknown}>;
      }
    ).discounts;
    expect(discounts).toEqual([
      expect.objectContaining({codes: ['SHOP20'], value: {type: 'percentage', percentage: 0.2}}),
    ]);
    expect(res.body.shopify_discount).toMatchObject({discount_id: discounts[0]!.id, reused: false});
    expect(res.body.promo_rule.id).toBe(discounts[0]!.id);
    expect(res.body.campaign.status).toBe('sent');
    const again = await t
      .http()
      .post('/v1/promo-sends')
      .set(t.admin)
      .set('Idempotency-Key', 'shopify-discount-1')
      .send(body);
    expect(again.status).toBe(200);
    const taken = await t
      .http()
      .post('/v1/promo-sends')
      .set(t.admin)
      .set('Idempotency-Key', 'shopify-discount-2')
      .send({...body, subject: 'Same code, other promo'});
    expect(taken.status).toBe(409);
    expect(taken.body.type).toMatch(/shopify-code-taken$/);
    expect(
      (
        (await (await fetch(`${shopify.origin}/__sandbox/discounts?createdViaApi=true`)).json()) as {
          discounts: unknown[];
        }
      ).discounts,
    ).toHaveLength(1);
  });

  it('an unsubscribe in Mailchimp reaches the Shopify customer within seconds, and its echo causes no Mailchimp write', async () => {
    const ada = 'ada@shop.test';
    const mark = t.sandbox.sandbox.recorder.all().length;
    const started = Date.now();
    expect((await person(ada, 'unsubscribe')).status).toBe(200);
    const written = await eventually(async () => {
      const c = await standIn(ids.ada!);
      return c.emailMarketingConsent?.marketingState === 'UNSUBSCRIBED' ? c : undefined;
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    const local = await consentOf(ada);
    expect(local).toMatchObject({state: 'unsubscribed', source: 'mailchimp'});
    // Shopify records the time the person unsubscribed in Mailchimp.
    expect(Date.parse(written.emailMarketingConsent!.consentUpdatedAt!)).toBe(Date.parse(local!.updatedAt));

    await quiet();
    const echo = await t.connector.store.db
      .selectFrom('inbox_events')
      .selectAll()
      .where('source', '=', 'shopify')
      .where('topic', '=', 'customers_email_marketing_consent/update')
      .execute();
    expect(echo).toEqual([expect.objectContaining({status: 'processed'})]);
    expect(await consentOf(ada)).toEqual(local);
    expect(mailchimpWritesSince(mark, ada)).toEqual([]);
    expect(t.list.members.get(subscriberHash(ada))?.status).toBe('unsubscribed');
  });

  it('writes back a guest known only by address, both ways', async () => {
    const gwen = 'gwen@shop.test';
    const mark = t.sandbox.sandbox.recorder.all().length;
    // She signs up with Mailchimp's form: a subscribe the store learns about.
    expect((await person(gwen, 'resubscribe')).status).toBe(200);
    await eventually(async () =>
      (await standIn(ids.gwen!)).emailMarketingConsent?.marketingState === 'SUBSCRIBED' ? true : undefined,
    );
    expect(await consentOf(gwen)).toMatchObject({state: 'subscribed', source: 'mailchimp'});
    await person(gwen, 'unsubscribe');
    await eventually(async () =>
      (await standIn(ids.gwen!)).emailMarketingConsent?.marketingState === 'UNSUBSCRIBED' ? true : undefined,
    );
    await quiet();
    expect(await consentOf(gwen)).toMatchObject({state: 'unsubscribed', source: 'mailchimp'});
    expect(mailchimpWritesSince(mark, gwen)).toEqual([]);
  });

  it('a profile edit, and with MAILCHIMP_EMAIL_CHANGE_WRITE_BACK an address change, in Mailchimp update the Shopify customer', async () => {
    await person('ben@shop.test', 'update-profile', {merge_fields: {FNAME: 'Benedict', LNAME: 'Renamed'}});
    await eventually(async () => ((await standIn(ids.ben!)).firstName === 'Benedict' ? true : undefined));
    expect((await standIn(ids.ben!)).lastName).toBe('Renamed');
    // Shopify's echo of the names (customers/update) makes an e-commerce customer write for ben@: done before he
    // moves, or it would put his old address back on the audience and the move could not be confirmed.
    await quiet();
    await person('ben@shop.test', 'change-email', {new_email: 'ben.new@shop.test'});
    await eventually(async () => ((await standIn(ids.ben!)).email === 'ben.new@shop.test' ? true : undefined));
    await quiet();
    expect((await standIn(ids.ben!)).emailMarketingConsent?.marketingState).toBe('SUBSCRIBED');
  });

  it('never overwrites a newer consent the store holds', async () => {
    const now = new Date();
    const patched = await fetch(`${shopify.origin}/__sandbox/customers/${ids.ben}`, {
      method: 'PATCH',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({consent: {state: 'SUBSCRIBED', updatedAt: now.toISOString()}}),
    });
    expect(patched.status).toBe(200);
    // He is unsubscribed in Mailchimp (through the API: no delivery of its own), and a delivery that Mailchimp fired
    // an hour before the store's consent arrives late: Mailchimp confirms it, but it is older than the store's.
    const auth = {Authorization: t.sandbox.auth};
    expect(
      (
        await t.sandbox
          .http()
          .patch(`/3.0/lists/${t.list.id}/members/${subscriberHash('ben.new@shop.test')}`)
          .set(auth)
          .send({status: 'unsubscribed'})
      ).status,
    ).toBe(200);
    const [hook] = [...t.list.webhooks.values()];
    const firedAt = new Date(now.getTime() - 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const body = new URLSearchParams({
      type: 'unsubscribe',
      fired_at: firedAt,
      'data[list_id]': t.list.id,
      'data[email]': 'ben.new@shop.test',
      'data[action]': 'unsub',
      'data[reason]': 'manual',
    }).toString();
    expect(
      (
        await t
          .http()
          .post(new URL(hook!.url).pathname)
          .set('Content-Type', 'application/x-www-form-urlencoded')
          .send(body)
      ).status,
    ).toBe(200);
    await quiet();
    const row = await t.connector.store.db
      .selectFrom('sync_state')
      .selectAll()
      .where('entity_type', '=', 'shopify_consent')
      .where('entity_id', '=', 'ben.new@shop.test')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('synced');
    expect((await standIn(ids.ben!)).emailMarketingConsent).toMatchObject({
      marketingState: 'SUBSCRIBED',
      consentUpdatedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  });
});
