import fc from 'fast-check';
import type {Customer} from '../model/entities.js';
import {editFixture, readFixture} from './fixtures/read-fixture.js';
import {mapShopifyWebhook, type MapResult} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z'};

function customerOf(result: MapResult): Customer {
  if (!result.ok) throw new Error(`mapping failed: ${JSON.stringify(result.error)}`);
  const [event, ...rest] = result.events;
  if (event?.kind !== 'customer.upsert' || rest.length > 0)
    throw new Error(`unexpected events ${JSON.stringify(result.events)}`);
  return event.customer;
}

describe('customer topics', () => {
  it('customers/create (API ≥ 2025-01 sample): no consent in the payload → consent undefined, never "not subscribed"', () => {
    const customer = customerOf(mapShopifyWebhook('customers/create', readFixture('customers-create'), meta));
    expect(customer).toStrictEqual({
      id: '706405506930370084',
      email: 'bob@biller.com',
      firstName: 'Bob',
      lastName: 'Biller',
      address: {
        name: 'Bob Biller',
        address1: "151 O'Connor Street",
        city: 'Ottawa',
        province: 'ON',
        provinceCode: 'ON',
        postalCode: 'K2P 2L8',
        country: 'CA',
        countryCode: 'CA',
        phone: '555-555-5555',
      },
      tags: [],
      createdAt: '2022-01-01T00:00:00.000Z',
      updatedAt: '2022-01-01T00:00:00.000Z',
    });
    expect('consent' in customer).toBe(false);
  });

  it('customers/update (older API): email_marketing_consent wins over accepts_marketing, tags split', () => {
    const customer = customerOf(mapShopifyWebhook('customers/update', readFixture('customers-update-2024-10'), meta));
    expect(customer).toStrictEqual({
      id: '706405506930370084',
      email: 'bob.norman@mail.example.com',
      firstName: 'Bob',
      lastName: 'Norman',
      phone: '+16136120707',
      company: 'Norman Widgets',
      address: {
        company: 'Norman Widgets',
        address1: 'Chestnut Street 92',
        city: 'Louisville',
        province: 'Kentucky',
        provinceCode: 'KY',
        postalCode: '40202',
        country: 'United States',
        countryCode: 'US',
        phone: '555-625-1199',
      },
      consent: {
        state: 'subscribed',
        source: 'shopify',
        updatedAt: '2024-10-02T13:41:10.000Z',
        optInLevel: 'confirmed_opt_in',
      },
      tags: ['Léon', 'Noël', 'vip'],
      createdAt: '2023-02-13T15:18:48.000Z',
      updatedAt: '2024-10-02T13:41:12.000Z',
    });
  });

  it('customers/update (legacy accepts_marketing): true with its date is a dated Shopify opt-in', () => {
    const customer = customerOf(mapShopifyWebhook('customers/update', readFixture('customers-update-legacy'), meta));
    expect(customer).toStrictEqual({
      id: '207119551000000001',
      email: 'legacy.buyer@example-mail.com',
      firstName: 'Lee',
      lastName: 'Gacy',
      consent: {
        state: 'subscribed',
        source: 'shopify',
        updatedAt: '2019-06-12T15:57:11.000Z',
        optInLevel: 'single_opt_in',
      },
      tags: [],
      createdAt: '2019-03-01T15:00:00.000Z',
      updatedAt: '2019-06-12T15:57:11.000Z',
    });
  });

  it('legacy accepts_marketing true without a date, or false, gives no consent', () => {
    const undated = editFixture('customers-update-legacy', (payload) => {
      delete payload.accepts_marketing_updated_at;
    });
    expect(customerOf(mapShopifyWebhook('customers/update', undated, meta)).consent).toBeUndefined();
    const declined = editFixture('customers-update-legacy', (payload) => {
      payload.accepts_marketing = false;
    });
    expect(customerOf(mapShopifyWebhook('customers/update', declined, meta)).consent).toBeUndefined();
  });

  it('a null consent object or a null/unknown state gives no consent; consent_updated_at null is dated by updated_at', () => {
    const withConsent = (consent: unknown): string =>
      editFixture('customers-update-2024-10', (payload) => {
        payload.email_marketing_consent = consent;
      });
    expect(customerOf(mapShopifyWebhook('customers/update', withConsent(null), meta)).consent).toBeUndefined();
    expect(customerOf(mapShopifyWebhook('customers/update', withConsent({state: null}), meta)).consent).toBeUndefined();
    expect(
      customerOf(mapShopifyWebhook('customers/update', withConsent({state: 'maybe'}), meta)).consent,
    ).toBeUndefined();
    expect(
      customerOf(
        mapShopifyWebhook(
          'customers/update',
          withConsent({state: 'not_subscribed', opt_in_level: null, consent_updated_at: null}),
          meta,
        ),
      ).consent,
    ).toStrictEqual({state: 'not_subscribed', source: 'shopify', updatedAt: '2024-10-02T13:41:12.000Z'});
  });

  it('customers/delete: the id only (the payload has no email)', () => {
    expect(mapShopifyWebhook('customers/delete', readFixture('customers-delete'), meta)).toStrictEqual({
      ok: true,
      events: [{kind: 'customer.delete', customerId: '706405506930370084'}],
    });
  });

  it('rejects a customer without id', () => {
    const raw = editFixture('customers-create', (payload) => {
      delete payload.id;
      delete payload.admin_graphql_api_id;
    });
    expect(mapShopifyWebhook('customers/create', raw, meta)).toEqual({
      ok: false,
      error: {field: 'id', message: 'required id is missing'},
    });
  });

  it('falls back to admin_graphql_api_id when id is absent', () => {
    const raw = editFixture('customers-create', (payload) => {
      delete payload.id;
    });
    expect(customerOf(mapShopifyWebhook('customers/create', raw, meta)).id).toBe('706405506930370084');
  });
});

describe('customer consent property', () => {
  const consentKeys = new Set([
    'email_marketing_consent',
    'accepts_marketing',
    'accepts_marketing_updated_at',
    'marketing_opt_in_level',
  ]);
  const readKeys = new Set([
    'id',
    'admin_graphql_api_id',
    'email',
    'first_name',
    'last_name',
    'phone',
    'default_address',
    'tags',
    'created_at',
    'updated_at',
  ]);
  const id64 = fc.bigInt({min: 1n, max: 2n ** 63n - 1n}).map(String);
  const extraKeys = fc.dictionary(
    // Unknown keys only: the fields the mapper reads are generated with their real types below.
    fc.string({minLength: 1, maxLength: 12}).filter((key) => !consentKeys.has(key) && !readKeys.has(key)),
    fc.jsonValue({maxDepth: 2}),
    {maxKeys: 6},
  );
  const customer = fc.record({
    id: id64,
    email: fc.option(fc.emailAddress(), {nil: null}),
    first_name: fc.option(fc.string(), {nil: null}),
    tags: fc.option(fc.string(), {nil: undefined}),
    state: fc.constantFrom('disabled', 'enabled', 'invited', 'declined'),
    // SMS consent is not email consent, even when subscribed.
    sms_marketing_consent: fc.option(
      fc.record({
        state: fc.constantFrom('subscribed', 'not_subscribed', 'unsubscribed'),
        opt_in_level: fc.constant('single_opt_in'),
      }),
      {nil: undefined},
    ),
  });

  it('a customer payload without consent fields never yields any consent', () => {
    fc.assert(
      fc.property(
        customer,
        extraKeys,
        fc.constantFrom('customers/create', 'customers/update'),
        (fields, extra, topic) => {
          const {id, ...rest} = fields;
          const body = JSON.stringify({...extra, ...rest, updated_at: '2024-05-06T07:08:09Z'}).replace(
            /^\{/,
            `{"id": ${id},`,
          );
          const result = mapShopifyWebhook(topic, body, meta);
          if (!result.ok) return false;
          const [event] = result.events;
          return event?.kind === 'customer.upsert' && event.customer.consent === undefined && event.customer.id === id;
        },
      ),
      {numRuns: 500},
    );
  });
});
