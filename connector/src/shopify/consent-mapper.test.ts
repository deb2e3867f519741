import {editFixture, readFixture} from './fixtures/read-fixture.js';
import {mapShopifyWebhook} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z'};
const topic = 'customers_email_marketing_consent/update';

describe('customers_email_marketing_consent/update', () => {
  it('maps an unsubscribe with its own date', () => {
    expect(mapShopifyWebhook(topic, readFixture('customers-email-marketing-consent-update'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'consent.update',
          customerId: '706405506930370084',
          email: 'bob@biller.com',
          consent: {
            state: 'unsubscribed',
            source: 'shopify',
            updatedAt: '2025-03-04T17:00:00.000Z',
            optInLevel: 'single_opt_in',
          },
        },
      ],
    });
  });

  it('maps the shopify.dev sample: no consent date → dated by X-Shopify-Triggered-At', () => {
    expect(
      mapShopifyWebhook(topic, readFixture('customers-email-marketing-consent-update-sample'), meta),
    ).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'consent.update',
          customerId: '706405506930370084',
          email: 'bob@biller.com',
          consent: {state: 'not_subscribed', source: 'shopify', updatedAt: '2025-07-10T16:15:47.000Z'},
        },
      ],
    });
  });

  it.each(['subscribed', 'not_subscribed', 'unsubscribed', 'pending', 'redacted', 'invalid'])(
    'keeps the state %s',
    (state) => {
      const raw = editFixture('customers-email-marketing-consent-update', (payload) => {
        payload.email_marketing_consent = {
          state: state.toUpperCase(),
          opt_in_level: 'confirmed_opt_in',
          consent_updated_at: '2025-03-04T12:00:00-05:00',
        };
      });
      const result = mapShopifyWebhook(topic, raw, meta);
      expect(result.ok && result.events[0]).toMatchObject({
        kind: 'consent.update',
        consent: {state, source: 'shopify', optInLevel: 'confirmed_opt_in'},
      });
    },
  );

  it('rejects an unknown or missing state', () => {
    const unknown = editFixture('customers-email-marketing-consent-update', (payload) => {
      payload.email_marketing_consent = {state: 'opted_in', opt_in_level: null, consent_updated_at: null};
    });
    expect(mapShopifyWebhook(topic, unknown, meta)).toEqual({
      ok: false,
      error: {field: 'email_marketing_consent.state', message: 'unknown consent state "opted_in"'},
    });
    const missing = editFixture('customers-email-marketing-consent-update', (payload) => {
      delete payload.email_marketing_consent;
    });
    expect(mapShopifyWebhook(topic, missing, meta)).toEqual({
      ok: false,
      error: {field: 'email_marketing_consent', message: 'required object is missing'},
    });
  });

  it('ignores a consent update without an email address', () => {
    const raw = editFixture('customers-email-marketing-consent-update', (payload) => {
      payload.email_address = null;
    });
    expect(mapShopifyWebhook(topic, raw, meta)).toEqual({
      ok: true,
      events: [{kind: 'ignored', reason: 'consent update for customer 706405506930370084 without an email address'}],
    });
  });

  it('cannot date a consent without consent_updated_at and without triggeredAt', () => {
    expect(
      mapShopifyWebhook(topic, readFixture('customers-email-marketing-consent-update-sample'), {
        shopDomain: meta.shopDomain,
      }),
    ).toEqual({
      ok: false,
      error: {
        field: 'email_marketing_consent.consent_updated_at',
        message: 'no consent_updated_at and no other timestamp to date the consent',
      },
    });
  });
});
