import fc from 'fast-check';
import {asId, type CustomerId} from '../../model/ids.js';
import {customerToMailchimp, mailchimpTimestamp, memberUpsertBody} from './customer-to-mailchimp.js';
import {
  customerIdFor,
  emailAliasCustomerId,
  guestCustomerId,
  MAX_ECOMMERCE_ID_LENGTH,
  stableEcommerceId,
} from './ecommerce-ids.js';
import {checkoutOptIn, shopifyPending, shopifySubscribed} from './fixtures/consents.js';
import {alice, bob, phoneOnly} from './fixtures/people.js';
import {decideMemberStatus} from '../rules/member-status.js';

describe('customerToMailchimp', () => {
  it('maps a subscribing customer to both bodies with opt-in evidence', () => {
    const decision = decideMemberStatus({consent: alice.consent, current: 'unknown', doubleOptIn: false});
    expect(customerToMailchimp(alice, decision)).toEqual({
      ok: true,
      customer: {
        id: '6930117312534',
        email_address: 'Alice.Martin@example-mail.org',
        opt_in_status: true,
        company: 'Martin & Co',
        first_name: 'Alice',
        last_name: 'Martin',
        address: {
          address1: '12 Main St',
          address2: 'Apt 4',
          city: 'Springfield',
          province: 'Illinois',
          province_code: 'IL',
          postal_code: '62701',
          country: 'United States',
          country_code: 'US',
        },
      },
      member: {
        email_address: 'Alice.Martin@example-mail.org',
        status_if_new: 'subscribed',
        merge_fields: {
          FNAME: 'Alice',
          LNAME: 'Martin',
          ADDRESS: {
            addr1: '12 Main St',
            addr2: 'Apt 4',
            city: 'Springfield',
            state: 'Illinois',
            zip: '62701',
            country: 'US',
          },
          PHONE: '+1 555 010 0199',
        },
        ip_signup: '203.0.113.7',
        timestamp_signup: '2024-05-02T10:15:00+00:00',
        ip_opt: '203.0.113.7',
        timestamp_opt: '2024-05-02T10:15:00+00:00',
      },
    });
  });

  it('sends only signup evidence when the member will be pending, and opt_in_status false', () => {
    const decision = decideMemberStatus({consent: alice.consent, current: 'unknown', doubleOptIn: true});
    const mapped = customerToMailchimp(alice, decision);
    if (!mapped.ok) throw new Error('expected a mapping');
    expect(mapped.customer.opt_in_status).toBe(false);
    expect(mapped.member.status_if_new).toBe('pending');
    expect(mapped.member.ip_signup).toBe('203.0.113.7');
    expect(mapped.member.ip_opt).toBeUndefined();
    expect(mapped.member.timestamp_opt).toBeUndefined();
  });

  it('omits an incomplete ADDRESS and every consent field without consent', () => {
    const decision = decideMemberStatus({consent: bob.consent, current: 'unknown', doubleOptIn: false});
    expect(customerToMailchimp(bob, decision)).toEqual({
      ok: true,
      customer: {
        id: '6930117312535',
        email_address: 'bob@example-mail.org',
        opt_in_status: false,
        first_name: 'Bob',
        address: {address1: '1 Rue de Rivoli', city: 'Paris', country_code: 'FR'},
      },
      member: {email_address: 'bob@example-mail.org', status_if_new: 'transactional', merge_fields: {FNAME: 'Bob'}},
    });
  });

  it('cannot send a customer without an e-mail', () => {
    expect(
      customerToMailchimp(phoneOnly, decideMemberStatus({consent: undefined, current: 'unknown', doubleOptIn: false})),
    ).toEqual({
      ok: false,
      reason: 'no-email',
    });
    expect(
      customerToMailchimp(
        {...alice, email: '  '},
        decideMemberStatus({consent: undefined, current: 'unknown', doubleOptIn: false}),
      ).ok,
    ).toBe(false);
  });

  it('carries a status change for an existing member and no opt-in evidence for a stale opt-in', () => {
    const changing = decideMemberStatus({
      consent: checkoutOptIn,
      current: 'transactional',
      doubleOptIn: false,
      lastChangedAt: '2024-01-01T00:00:00Z',
    });
    const body = memberUpsertBody({email: 'a@example-mail.org'}, checkoutOptIn, changing);
    expect(body.status).toBe('subscribed');
    expect(body.ip_opt).toBe('203.0.113.7');
    const stale = decideMemberStatus({
      consent: checkoutOptIn,
      current: 'transactional',
      doubleOptIn: false,
      lastChangedAt: '2025-01-01T00:00:00Z',
    });
    const staleBody = memberUpsertBody({email: 'a@example-mail.org'}, checkoutOptIn, stale);
    expect(staleBody.status).toBeUndefined();
    expect(staleBody.ip_signup).toBeUndefined();
    expect(staleBody.timestamp_opt).toBeUndefined();
  });

  it('sends timestamps for Shopify consent without IP, and drops invalid IPs', () => {
    const body = memberUpsertBody(
      {email: 'a@example-mail.org'},
      shopifySubscribed,
      decideMemberStatus({consent: shopifySubscribed, current: 'unknown', doubleOptIn: false}),
    );
    expect(body).toEqual({
      email_address: 'a@example-mail.org',
      status_if_new: 'subscribed',
      timestamp_signup: '2024-04-01T16:00:00+00:00',
      timestamp_opt: '2024-04-01T16:00:00+00:00',
    });
    const bad = {...checkoutOptIn, evidence: {...checkoutOptIn.evidence!, ip: 'not-an-ip'}};
    expect(
      memberUpsertBody(
        {email: 'a@example-mail.org'},
        bad,
        decideMemberStatus({consent: bad, current: 'unknown', doubleOptIn: false}),
      ).ip_signup,
    ).toBeUndefined();
    const pending = memberUpsertBody(
      {email: 'a@example-mail.org'},
      shopifyPending,
      decideMemberStatus({consent: shopifyPending, current: 'unknown', doubleOptIn: false}),
    );
    expect(pending.status_if_new).toBe('pending');
    expect(pending.timestamp_signup).toBeDefined();
    expect(pending.timestamp_opt).toBeUndefined();
  });
});

describe('mailchimpTimestamp', () => {
  it('normalises to UTC whole seconds and drops garbage', () => {
    expect(mailchimpTimestamp('2024-05-02T10:15:30.123-04:00')).toBe('2024-05-02T14:15:30+00:00');
    expect(mailchimpTimestamp('yesterday')).toBeUndefined();
    expect(mailchimpTimestamp(undefined)).toBeUndefined();
  });
});

describe('e-commerce ids', () => {
  it('keeps Shopify ids and hashes long or reserved ids to a stable ≤ 50 id', () => {
    expect(stableEcommerceId('6930117312534')).toBe('6930117312534');
    const long = 'gid://shopify/Customer/6930117312534?with=a-very-long-suffix-that-does-not-fit';
    expect(stableEcommerceId(long)).toMatch(/^x-[0-9a-f]{40}$/);
    expect(stableEcommerceId(long)).toBe(stableEcommerceId(long));
    expect(stableEcommerceId('g-123')).toMatch(/^x-/);
    expect(stableEcommerceId('e-123')).toMatch(/^x-/);
    expect(guestCustomerId(' Guest@Example-mail.NET ')).toBe(guestCustomerId('guest@example-mail.net'));
    expect(customerIdFor({email: 'guest@example-mail.net'})).toBe(guestCustomerId('guest@example-mail.net'));
    expect(customerIdFor({id: asId<CustomerId>('42'), email: 'x@example-mail.net'})).toBe('42');
    expect(customerIdFor({})).toBeUndefined();
  });

  it('property: ids are ≤ 50 characters, deterministic and injective on distinct inputs', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 120}), fc.string({maxLength: 120}), (a, b) => {
        const ia = stableEcommerceId(a);
        expect(ia.length).toBeLessThanOrEqual(MAX_ECOMMERCE_ID_LENGTH);
        expect(ia.length).toBeGreaterThan(0);
        expect(stableEcommerceId(a)).toBe(ia);
        if (a !== b) expect(stableEcommerceId(b)).not.toBe(ia);
        expect(ia.startsWith('g-')).toBe(false);
        expect(ia.startsWith('e-')).toBe(false);
      }),
      {numRuns: 1000},
    );
  });

  it('property: e-mail aliases are ≤ 50 characters, ignore case and spacing, and differ per customer and address', () => {
    fc.assert(
      fc.property(fc.string({minLength: 1, maxLength: 50}), fc.emailAddress(), fc.emailAddress(), (id, a, b) => {
        const alias = emailAliasCustomerId(id, a);
        expect(alias).toMatch(/^e-[0-9a-f]{40}$/);
        expect(emailAliasCustomerId(id, ` ${a.toUpperCase()} `)).toBe(alias);
        if (a.toLowerCase() !== b.toLowerCase()) expect(emailAliasCustomerId(id, b)).not.toBe(alias);
        expect(emailAliasCustomerId(`${id}x`, a)).not.toBe(alias);
      }),
      {numRuns: 300},
    );
  });
});
