import fc from 'fast-check';
import {earnsContact} from './member-reason.js';
import {decideMemberStatus} from './member-status.js';
import {guestOrder, paidOrder, pendingOrder, testOrder} from '../mappers/fixtures/orders.js';
import type {Consent} from '../../model/consent.js';

const none = decideMemberStatus({consent: undefined, current: 'unknown', doubleOptIn: false});
const optIn: Consent = {state: 'subscribed', source: 'shopify', updatedAt: '2026-03-01T10:00:00Z'};
const optOut: Consent = {state: 'unsubscribed', source: 'shopify', updatedAt: '2026-03-01T10:00:00Z'};
const decide = (consent: Consent) => decideMemberStatus({consent, current: 'unknown', doubleOptIn: false});

describe('earnsContact', () => {
  it('a store customer, an order Mailchimp holds, or a consent to record earns a contact', () => {
    expect(earnsContact({customerId: '42', purchases: []}, none)).toBe(true);
    expect(earnsContact({purchases: [guestOrder]}, none)).toBe(true);
    expect(earnsContact({purchases: []}, decide(optIn))).toBe(true);
    expect(earnsContact({purchases: []}, decide(optOut))).toBe(true);
  });

  it('a guest with only unpaid or test orders, and no consent, earns none', () => {
    expect(earnsContact({purchases: [pendingOrder, testOrder]}, none)).toBe(false);
    expect(earnsContact({purchases: []}, none)).toBe(false);
    // A "subscribed" without evidence from a storefront source is no consent to record.
    expect(earnsContact({purchases: []}, decide({...optIn, source: 'subscribe_form'}))).toBe(false);
  });

  it('any paid order among unpaid ones earns a contact, whatever the order of the history', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(pendingOrder, testOrder), {maxLength: 5}), fc.nat(5), (unpaid, at) => {
        const history = [...unpaid];
        history.splice(Math.min(at, history.length), 0, paidOrder);
        expect(earnsContact({purchases: history}, none)).toBe(true);
        expect(earnsContact({purchases: unpaid}, none)).toBe(false);
      }),
    );
  });
});
