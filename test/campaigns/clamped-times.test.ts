import type {Consent} from '../../connector/src/model/consent.js';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {consentPayload, customerPayload} from '../support/shopify-webhooks.js';
import {startCampaignHarness, type CampaignHarness} from './campaign-harness.js';

/**
 * Timestamps from outside are clamped (#12 item 3): a consent time far in the future (Shopify's
 * `consent_updated_at`, a list webhook's `fired_at`) must not pin a status so that later genuine opt-outs lose.
 * The connector's clock is moved by hand past the allowed skew between the two deliveries.
 */

// A little ahead of the Mailchimp sandbox's clock (real time), so the opt-outs are newer than its `last_changed`.
const START = new Date(Date.now() + 60_000);
const FUTURE = '2099-01-01T00:00:00Z';

describe('externally supplied times beyond the receive time do not pin consent', () => {
  let t: CampaignHarness;
  const clock = {now: START};
  const advance = (minutes: number) => {
    clock.now = new Date(clock.now.getTime() + minutes * 60_000);
  };
  const consentOf = async (email: string) => {
    const row = await t.connector.store.db
      .selectFrom('people')
      .select('consent')
      .where('email', '=', email)
      .executeTakeFirst();
    return row?.consent ? (JSON.parse(row.consent) as Consent) : undefined;
  };
  const customer = async (id: string, email: string) => {
    const at = new Date(clock.now.getTime() - 24 * 60 * 60_000).toISOString();
    const res = await t.webhook(
      'customers/create',
      customerPayload({
        id,
        email,
        firstName: 'Pat',
        lastName: 'Shopper',
        updatedAt: at,
        consent: {state: 'subscribed', updatedAt: at},
      }),
    );
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    t = await startCampaignHarness({clock});
    await customer('9001', 'pat@shop.test');
    await customer('9002', 'quin@shop.test');
    await t.settle();
    expect(t.list.members.get(subscriberHash('pat@shop.test'))?.status).toBe('subscribed');
    await t.connector.campaigns.webhooks.checkAll();
  });
  afterAll(() => t.close());

  it('a Shopify consent update dated 2099 does not outrank a genuine unsubscribe made later', async () => {
    const pat = 'pat@shop.test';
    expect(
      (
        await t.webhook(
          'customers_email_marketing_consent/update',
          consentPayload({customerId: '9001', email: pat, state: 'subscribed', updatedAt: FUTURE}),
        )
      ).status,
    ).toBe(200);
    await t.settle();
    expect((await consentOf(pat))?.state).toBe('subscribed');

    advance(10);
    const now = clock.now.toISOString();
    expect(
      (
        await t.webhook(
          'customers_email_marketing_consent/update',
          consentPayload({customerId: '9001', email: pat, state: 'unsubscribed', updatedAt: now}),
        )
      ).status,
    ).toBe(200);
    await t.settle();
    expect(await consentOf(pat)).toMatchObject({state: 'unsubscribed', source: 'shopify'});
    expect(t.list.members.get(subscriberHash(pat))?.status).toBe('unsubscribed');
  });

  it('a list webhook fired in 2099 does not pin the status either', async () => {
    const quin = 'quin@shop.test';
    const [hook] = [...t.list.webhooks.values()];
    // Mailchimp holds her as subscribed, so the delivery is true to what Mailchimp says; only its time is wrong.
    const body = new URLSearchParams({
      type: 'subscribe',
      fired_at: '2099-01-01 00:00:00',
      'data[list_id]': t.list.id,
      'data[email]': quin,
      'data[merges][EMAIL]': quin,
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
    await t.settle();
    expect((await consentOf(quin))?.state).toBe('subscribed');

    advance(10);
    const now = clock.now.toISOString();
    expect(
      (
        await t.webhook(
          'customers_email_marketing_consent/update',
          consentPayload({customerId: '9002', email: quin, state: 'unsubscribed', updatedAt: now}),
        )
      ).status,
    ).toBe(200);
    await t.settle();
    expect(await consentOf(quin)).toMatchObject({state: 'unsubscribed', source: 'shopify'});
    expect(t.list.members.get(subscriberHash(quin))?.status).toBe('unsubscribed');
  });
});
