import {confirmHint, mergeHints, type MailchimpChangeHint, type MemberNow} from './mailchimp-confirmation.js';

const EMAIL = 'ada@shop.test';
const AT = '2026-03-01T10:00:00.000Z';
const member = (status: MemberNow['status'], extra: Partial<MemberNow> = {}): MemberNow => ({
  email_address: EMAIL,
  status,
  merge_fields: {FNAME: 'Ada', LNAME: 'Held'},
  last_changed: '2026-03-01T10:00:00+00:00',
  ...extra,
});
const hint = (parts: Partial<MailchimpChangeHint>): MailchimpChangeHint => ({email: EMAIL, requestedAt: AT, ...parts});

describe('confirmHint: only what Mailchimp holds now is applied', () => {
  it('applies an unsubscribe or cleaned report only for a member unsubscribed or cleaned now, as which Mailchimp says', () => {
    const unsub = hint({consent: {state: 'unsubscribed', reason: 'unsubscribe', at: AT}});
    expect(confirmHint(unsub, member('subscribed'))).toEqual({
      changes: [],
      rejected: ['unsubscribe: the member is subscribed in Mailchimp'],
    });
    expect(confirmHint(unsub, member('unsubscribed')).changes).toEqual([
      {
        kind: 'consent',
        email: EMAIL,
        reason: 'unsubscribe',
        consent: {state: 'unsubscribed', source: 'mailchimp', updatedAt: AT},
      },
    ]);
    expect(confirmHint(unsub, member('cleaned')).changes).toEqual([expect.objectContaining({reason: 'cleaned'})]);
    expect(confirmHint(unsub, null).changes).toEqual([]);
    expect(confirmHint(unsub, member('archived')).changes).toEqual([]);
  });

  it('applies a subscribe report only for a subscribed member, with the names Mailchimp holds', () => {
    const sub = hint({consent: {state: 'subscribed', reason: 'subscribe', at: AT}});
    expect(confirmHint(sub, member('unsubscribed')).changes).toEqual([]);
    expect(confirmHint(sub, member('pending')).changes).toEqual([]);
    expect(confirmHint(sub, member('subscribed')).changes).toEqual([
      {
        kind: 'consent',
        email: EMAIL,
        reason: 'subscribe',
        consent: {state: 'subscribed', source: 'mailchimp', updatedAt: AT},
        firstName: 'Ada',
        lastName: 'Held',
      },
    ]);
  });

  it("dates a status change no later than Mailchimp's last_changed", () => {
    const late = hint({consent: {state: 'unsubscribed', reason: 'unsubscribe', at: '2026-03-05T00:00:00.000Z'}});
    expect(confirmHint(late, member('unsubscribed', {last_changed: '2025-01-01T00:00:00+00:00'})).changes).toEqual([
      expect.objectContaining({consent: expect.objectContaining({updatedAt: '2025-01-01T00:00:00.000Z'})}),
    ]);
  });

  it('applies a profile report with the names Mailchimp holds, never the posted ones', () => {
    expect(
      confirmHint(hint({profile: {at: AT}}), member('subscribed', {merge_fields: {FNAME: ' Adelaide ', LNAME: ''}}))
        .changes,
    ).toEqual([{kind: 'profile', email: EMAIL, at: AT, firstName: 'Adelaide'}]);
    expect(confirmHint(hint({profile: {at: AT}}), null).changes).toEqual([]);
  });

  it('applies an address change only when the new address is the member and the old one is gone', () => {
    const change = hint({email: 'ada.new@shop.test', emailChange: {oldEmail: EMAIL, at: AT}});
    const moved = member('subscribed', {email_address: 'ada.new@shop.test'});
    expect(confirmHint(change, moved, null).changes).toEqual([
      {kind: 'email_change', oldEmail: EMAIL, newEmail: 'ada.new@shop.test', at: AT},
    ]);
    const stillThere = `${EMAIL} is still in the audience (transactional)`;
    expect(confirmHint(change, moved, member('transactional'))).toEqual({
      changes: [],
      rejected: [`address change: ${stillThere}`],
      unconfirmedEmailChange: {oldEmail: EMAIL, newEmail: 'ada.new@shop.test', at: AT, reason: stillThere},
    });
    expect(confirmHint(change, null, null)).toMatchObject({
      changes: [],
      unconfirmedEmailChange: {reason: 'ada.new@shop.test is not a member of the audience in Mailchimp'},
    });
    // The GET answered another address than asked (it should not): nothing.
    expect(confirmHint(change, member('subscribed'), null).changes).toEqual([]);
  });
});

describe('mergeHints', () => {
  it('keeps the newest report of each kind and the latest request time', () => {
    const a = hint({
      consent: {state: 'unsubscribed', reason: 'unsubscribe', at: '2026-03-01T10:00:00.000Z'},
      requestedAt: '1',
    });
    const b = hint({
      consent: {state: 'subscribed', reason: 'subscribe', at: '2026-03-01T09:00:00.000Z'},
      profile: {at: AT},
      requestedAt: '2',
    });
    expect(mergeHints(a, b)).toEqual({email: EMAIL, consent: a.consent, profile: {at: AT}, requestedAt: '2'});
    expect(mergeHints(undefined, b)).toBe(b);
  });
});
