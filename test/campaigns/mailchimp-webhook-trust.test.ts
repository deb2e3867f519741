import type {Consent} from '../../connector/src/model/consent.js';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import {TEST_SHOP} from '../support/connector.js';
import {customerPayload} from '../support/shopify-webhooks.js';
import {startCampaignHarness, type CampaignHarness} from './campaign-harness.js';
import {eventually} from '../support/eventually.js';

/**
 * The list webhook is a hint, Mailchimp is the truth (#12 item 2): whoever learns the secret webhook URL can post
 * deliveries, so a delivery is applied only as far as Mailchimp confirms it when the connector reads the member.
 * Forged deliveries are posted straight to the connector's webhook URL; genuine ones are made in the Mailchimp
 * sandbox, which delivers them itself. The store is the Shopify Admin stand-in.
 */

const WEBHOOK_SECRET = 'e2e-webhook-secret';

interface StandInCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  emailMarketingConsent: {marketingState: string; consentUpdatedAt: string | null} | null;
}

const firedAt = (date = new Date()) => date.toISOString().slice(0, 19).replace('T', ' ');

describe('Mailchimp list webhook deliveries are confirmed with Mailchimp before anything is applied', () => {
  let t: CampaignHarness;
  let shopify: ShopifySandbox;
  let hookPath: string;
  const ids: Record<string, string> = {};
  const NAMES = ['ada', 'ben', 'cy', 'dot', 'eli'];

  const standIn = async (name: string) =>
    (await fetch(`${shopify.origin}/__sandbox/customers/${ids[name]}`)).json() as Promise<StandInCustomer>;
  const person = (email: string, action: string, body: Record<string, unknown> = {}) =>
    t.sandbox
      .http()
      .post(`/__sandbox/lists/${t.list.id}/members/${encodeURIComponent(email)}/${action}`)
      .send(body);
  const people = (email: string) =>
    t.connector.store.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
  const consentOf = async (email: string) => {
    const row = await people(email);
    return row?.consent ? (JSON.parse(row.consent) as Consent) : undefined;
  };
  const syncRow = (type: string, id: string) =>
    t.connector.store.db
      .selectFrom('sync_state')
      .selectAll()
      .where('entity_type', '=', type)
      .where('entity_id', '=', id)
      .executeTakeFirst();
  /** Posts a delivery to the connector's secret webhook URL, as someone who learnt it would. */
  const forge = async (fields: Record<string, string>) => {
    const body = new URLSearchParams({fired_at: firedAt(), 'data[list_id]': t.list.id, ...fields}).toString();
    const res = await t.http().post(hookPath).set('Content-Type', 'application/x-www-form-urlencoded').send(body);
    expect(res.status).toBe(200);
    return res.body as {id: number};
  };
  const quiet = async () => {
    await shopify.webhooks!.idle();
    await t.settle();
    await shopify.webhooks!.idle();
    await t.settle();
  };

  beforeAll(async () => {
    t = await startCampaignHarness({
      now: () => new Date(),
      envFor: async (origin) => {
        shopify = await startShopifySandbox({
          seed: 11,
          products: 0,
          customers: 0,
          orders: 0,
          shopDomain: TEST_SHOP,
          webhookUrl: `${origin}/webhooks/shopify`,
          apiSecret: WEBHOOK_SECRET,
          throttle: false,
        });
        return {SHOPIFY_ACCESS_TOKEN: shopify.accessToken, SHOPIFY_ADMIN_URL: shopify.adminUrl};
      },
    });
    for (const name of NAMES) {
      const res = await fetch(`${shopify.origin}/__sandbox/customers`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({
          email: `${name}@shop.test`,
          firstName: name,
          lastName: 'Shopper',
          consentState: 'SUBSCRIBED',
        }),
      });
      ids[name] = ((await res.json()) as StandInCustomer).id;
      const hook = await t.webhook(
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
      expect(hook.status).toBe(200);
    }
    await t.settle();
    for (const name of NAMES)
      expect(t.list.members.get(subscriberHash(`${name}@shop.test`))?.status).toBe('subscribed');
    await t.connector.campaigns.webhooks.checkAll();
    hookPath = new URL([...t.list.webhooks.values()][0]!.url).pathname;
    t.connector.worker.start();
  });
  afterAll(async () => {
    await t.close();
    await shopify.close();
  });

  it('a forged unsubscribe for a member subscribed in Mailchimp changes nothing, in Shopify or locally, even replayed', async () => {
    const ada = 'ada@shop.test';
    const before = await consentOf(ada);
    expect(before).toMatchObject({state: 'subscribed', source: 'shopify'});
    const stored = await forge({
      type: 'unsubscribe',
      'data[email]': ada,
      'data[action]': 'unsub',
      'data[reason]': 'manual',
    });
    await quiet();
    expect(await consentOf(ada)).toEqual(before);
    expect(await syncRow('shopify_consent', ada)).toBeUndefined();
    expect((await standIn('ada')).emailMarketingConsent?.marketingState).toBe('SUBSCRIBED');
    expect(t.list.members.get(subscriberHash(ada))?.status).toBe('subscribed');

    // An operator replay of the stored delivery goes through the same confirmation.
    expect((await t.http().post(`/v1/inbox/${stored.id}/replay`).set(t.admin)).status).toBe(202);
    await quiet();
    expect(await consentOf(ada)).toEqual(before);
    expect(await syncRow('shopify_consent', ada)).toBeUndefined();
    expect((await standIn('ada')).emailMarketingConsent?.marketingState).toBe('SUBSCRIBED');
  });

  it('a forged profile leaves the names alone in Shopify and locally', async () => {
    const ada = 'ada@shop.test';
    await forge({
      type: 'profile',
      'data[email]': ada,
      'data[merges][EMAIL]': ada,
      'data[merges][FNAME]': 'Mallory',
      'data[merges][LNAME]': 'Forged',
    });
    await quiet();
    expect(await people(ada)).toMatchObject({first_name: 'ada', last_name: 'Shopper'});
    const customer = await standIn('ada');
    expect([customer.firstName, customer.lastName]).toEqual(['ada', 'Shopper']);
  });

  it('a forged address change moves nothing, writes nothing to Shopify, and is shown to the operator as unconfirmed', async () => {
    // Even onto an address that is on the audience (anyone can sign one up): the old address is still there.
    expect((await person('mallory@evil.test', 'resubscribe')).status).toBe(200);
    await forge({
      type: 'upemail',
      'data[old_email]': 'ada@shop.test',
      'data[new_email]': 'mallory@evil.test',
      'data[new_id]': 'x',
    });
    await quiet();
    expect((await standIn('ada')).email).toBe('ada@shop.test');
    expect(await people('ada@shop.test')).toMatchObject({customer_id: ids.ada});
    // Mallory's own sign-up is known (it was genuine), but nothing of Ada's moved to her address.
    expect(await people('mallory@evil.test')).toMatchObject({customer_id: null, first_name: null});
    expect(JSON.parse((await syncRow('shopify_customer', ids.ada!))?.desired ?? '{}')).not.toHaveProperty('newEmail');
    const changes = await t.http().get('/v1/email-changes').set(t.admin);
    expect(changes.status).toBe(200);
    expect(changes.body.email_changes).toEqual([
      expect.objectContaining({
        customer_id: ids.ada,
        old_email: 'ada@shop.test',
        new_email: 'mallory@evil.test',
        confirmed: false,
        reason: 'ada@shop.test is still in the audience (subscribed)',
      }),
    ]);
  });

  it('a genuine address change is not written into Shopify: it is listed for the operator', async () => {
    const ben = 'ben@shop.test';
    expect((await person(ben, 'change-email', {new_email: 'ben.new@shop.test'})).status).toBe(200);
    await eventually(async () => ((await people('ben.new@shop.test')) ? true : undefined));
    await quiet();
    // Shopify keeps the login address; nothing queued to change it.
    expect((await standIn('ben')).email).toBe(ben);
    expect(JSON.parse((await syncRow('shopify_customer', ids.ben!))?.desired ?? '{}')).not.toHaveProperty('newEmail');
    const changes = await t.http().get('/v1/email-changes').set(t.admin);
    expect(changes.body.email_changes.filter((c: {confirmed: boolean}) => c.confirmed)).toEqual([
      {
        shop: TEST_SHOP,
        customer_id: ids.ben,
        old_email: ben,
        new_email: 'ben.new@shop.test',
        changed_at: expect.any(String),
        recorded_at: expect.any(String),
        confirmed: true,
      },
    ]);
    expect((await t.http().get('/v1/email-changes')).status).toBe(401);
  });

  it('a forged profile for a member Mailchimp holds applies what Mailchimp holds, not what was posted', async () => {
    const cy = 'cy@shop.test';
    // Mailchimp holds other names than the store (changed through the API, which raises no webhook).
    const auth = {Authorization: t.sandbox.auth};
    expect(
      (
        await t.sandbox
          .http()
          .patch(`/3.0/lists/${t.list.id}/members/${subscriberHash(cy)}`)
          .set(auth)
          .send({merge_fields: {FNAME: 'Cyrus', LNAME: 'Held'}})
      ).status,
    ).toBe(200);
    await forge({
      type: 'profile',
      'data[email]': cy,
      'data[merges][EMAIL]': cy,
      'data[merges][FNAME]': 'Mallory',
      'data[merges][LNAME]': 'Forged',
    });
    await quiet();
    expect(await people(cy)).toMatchObject({first_name: 'Cyrus', last_name: 'Held'});
    const customer = await standIn('cy');
    expect([customer.firstName, customer.lastName]).toEqual(['Cyrus', 'Held']);
  });

  it('a genuine unsubscribe, made in Mailchimp and delivered by it, still reaches Shopify', async () => {
    const dot = 'dot@shop.test';
    expect((await person(dot, 'unsubscribe', {reason: 'Too many emails'})).status).toBe(200);
    await eventually(async () =>
      (await standIn('dot')).emailMarketingConsent?.marketingState === 'UNSUBSCRIBED' ? true : undefined,
    );
    expect(await consentOf(dot)).toMatchObject({state: 'unsubscribed', source: 'mailchimp'});
  });

  it('while Mailchimp cannot be asked, a delivery is neither applied nor dropped: it is confirmed later', async () => {
    const eli = 'eli@shop.test';
    // The connector's member reads fail; the sandbox's own people actions and deliveries still work.
    await t.sandbox
      .http()
      .put('/__sandbox/faults')
      .send({routes: [{method: 'GET', pathPattern: '/members/[0-9a-f]{32}$', settings: {p503: 1}}]});
    try {
      expect((await person(eli, 'unsubscribe')).status).toBe(200);
      const row = await eventually(async () => {
        const r = await syncRow('mailchimp_confirm', eli);
        return r && r.attempts >= 2 ? r : undefined;
      });
      expect(row.status).toBe('retry');
      expect(await consentOf(eli)).toMatchObject({state: 'subscribed', source: 'shopify'});
      expect(await syncRow('shopify_consent', eli)).toBeUndefined();
    } finally {
      await t.sandbox.http().delete('/__sandbox/faults');
    }
    await eventually(async () =>
      (await standIn('eli')).emailMarketingConsent?.marketingState === 'UNSUBSCRIBED' ? true : undefined,
    );
    expect(await consentOf(eli)).toMatchObject({state: 'unsubscribed', source: 'mailchimp'});
  });
});
