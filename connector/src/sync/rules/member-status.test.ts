import fc from 'fast-check';
import {canSubscribe, type Consent, type ConsentSource, type ConsentState} from '../../model/consent.js';
import {
  checkoutOptIn,
  checkoutOptInWithoutEvidence,
  formOptIn,
  shopifyConfirmed,
  shopifyNotSubscribed,
  shopifyPending,
  shopifySubscribed,
  shopifyUnsubscribed,
} from '../mappers/fixtures/consents.js';
import {
  canRequestConfirmation,
  type ConsentPath,
  type CurrentMemberStatus,
  decideMemberStatus,
  optsIn,
  subscribesNow,
} from './member-status.js';

const BEFORE = '2024-01-01T00:00:00Z';
const AFTER = '2025-01-01T00:00:00Z';

describe('decideMemberStatus: new members', () => {
  it('never reads a missing consent as anything but transactional, and never changes status', () => {
    expect(decideMemberStatus({consent: undefined, current: 'unknown', doubleOptIn: false})).toEqual({
      status_if_new: 'transactional',
      reason: 'no-consent',
    });
    expect(
      decideMemberStatus({consent: undefined, current: 'subscribed', doubleOptIn: true, lastChangedAt: BEFORE}).status,
    ).toBeUndefined();
  });

  it('subscribes new members from an allowed source on a single opt-in audience', () => {
    for (const consent of [checkoutOptIn, formOptIn, shopifySubscribed]) {
      expect(decideMemberStatus({consent, current: 'unknown', doubleOptIn: false})).toEqual({
        status_if_new: 'subscribed',
        reason: 'opt-in',
      });
    }
  });

  it('asks for confirmation (pending) on a double opt-in audience', () => {
    expect(decideMemberStatus({consent: checkoutOptIn, current: 'unknown', doubleOptIn: true})).toEqual({
      status_if_new: 'pending',
      reason: 'opt-in-needs-confirmation',
    });
  });

  it('asks for confirmation for a consent that wants double opt-in (the storefront form), whatever the audience', () => {
    const form: Consent = {...formOptIn, doubleOptIn: true};
    for (const doubleOptIn of [true, false]) {
      expect(decideMemberStatus({consent: form, current: 'unknown', doubleOptIn})).toEqual({
        status_if_new: 'pending',
        reason: 'opt-in-needs-confirmation',
      });
      expect(decideMemberStatus({consent: form, current: 'transactional', doubleOptIn})).toEqual({
        status_if_new: 'pending',
        status: 'pending',
        reason: 'opt-in-needs-confirmation',
      });
      // Never a downgrade: a subscribed member stays subscribed, a pending one gets no second e-mail.
      expect(decideMemberStatus({consent: form, current: 'subscribed', doubleOptIn}).status).toBeUndefined();
      expect(decideMemberStatus({consent: form, current: 'pending', doubleOptIn}).status).toBeUndefined();
    }
  });

  it('does not send a second confirmation for a store-confirmed opt-in', () => {
    expect(decideMemberStatus({consent: shopifyConfirmed, current: 'unknown', doubleOptIn: true})).toEqual({
      status_if_new: 'subscribed',
      reason: 'opt-in',
    });
  });

  it('maps a pending consent to pending whatever the audience setting', () => {
    for (const doubleOptIn of [true, false]) {
      expect(decideMemberStatus({consent: shopifyPending, current: 'unknown', doubleOptIn})).toEqual({
        status_if_new: 'pending',
        reason: 'pending-confirmation',
      });
    }
  });

  it('never subscribes from a checkbox without stored evidence', () => {
    expect(decideMemberStatus({consent: checkoutOptInWithoutEvidence, current: 'unknown', doubleOptIn: false})).toEqual(
      {
        status_if_new: 'transactional',
        reason: 'source-not-allowed',
      },
    );
  });

  it('creates opted-out people as unsubscribed and never-subscribed people as transactional', () => {
    expect(decideMemberStatus({consent: shopifyUnsubscribed, current: 'unknown', doubleOptIn: false})).toEqual({
      status_if_new: 'unsubscribed',
      status: 'unsubscribed',
      reason: 'opt-out',
    });
    expect(decideMemberStatus({consent: shopifyNotSubscribed, current: 'unknown', doubleOptIn: false})).toEqual({
      status_if_new: 'transactional',
      reason: 'not-subscribed',
    });
  });

  it('never subscribes on the import and resync paths', () => {
    for (const path of ['import', 'resync'] as const) {
      expect(decideMemberStatus({consent: shopifySubscribed, current: 'unknown', doubleOptIn: false, path})).toEqual({
        status_if_new: 'transactional',
        reason: 'import-never-subscribes',
      });
    }
  });

  it('lets the initial sync create members from the platform consent', () => {
    expect(
      decideMemberStatus({consent: shopifySubscribed, current: 'unknown', doubleOptIn: false, path: 'initial_sync'})
        .status_if_new,
    ).toBe('subscribed');
  });
});

describe('decideMemberStatus: existing members', () => {
  it('upgrades a transactional member only with a newer explicit opt-in', () => {
    expect(
      decideMemberStatus({consent: checkoutOptIn, current: 'transactional', doubleOptIn: false, lastChangedAt: BEFORE}),
    ).toEqual({
      status_if_new: 'subscribed',
      status: 'subscribed',
      reason: 'opt-in',
    });
    expect(
      decideMemberStatus({consent: checkoutOptIn, current: 'transactional', doubleOptIn: true, lastChangedAt: BEFORE}),
    ).toEqual({
      status_if_new: 'pending',
      status: 'pending',
      reason: 'opt-in-needs-confirmation',
    });
    expect(
      decideMemberStatus({consent: checkoutOptIn, current: 'transactional', doubleOptIn: false, lastChangedAt: AFTER}),
    ).toEqual({
      status_if_new: 'subscribed',
      reason: 'stale-consent',
    });
    // Ordering unknown (no change by the person is known): a transactional contact never chose that status, so the
    // explicit opt-in applies.
    expect(decideMemberStatus({consent: checkoutOptIn, current: 'transactional', doubleOptIn: false}).status).toBe(
      'subscribed',
    );
    // An opted-out person is only asked again by a consent provably newer than the opt-out.
    expect(
      decideMemberStatus({consent: checkoutOptIn, current: 'unsubscribed', doubleOptIn: false}).status,
    ).toBeUndefined();
  });

  it('compares instants, not strings, across offsets', () => {
    // 10:15Z is after 11:00+02:00 (= 09:00Z).
    const decision = decideMemberStatus({
      consent: checkoutOptIn,
      current: 'transactional',
      doubleOptIn: false,
      lastChangedAt: '2024-05-02T11:00:00+02:00',
    });
    expect(decision.status).toBe('subscribed');
  });

  it('turns a newer opt-in of an unsubscribed or archived member into pending, never subscribed', () => {
    for (const current of ['unsubscribed', 'archived'] as const) {
      expect(
        decideMemberStatus({consent: shopifySubscribed, current, doubleOptIn: false, lastChangedAt: BEFORE}),
      ).toEqual({
        status_if_new: 'pending',
        status: 'pending',
        reason: 'resubscribe-needs-confirmation',
      });
    }
  });

  it('reverses an opt-out the connector wrote from the store (not the person in Mailchimp) on newer store consent', () => {
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'unsubscribed',
        doubleOptIn: false,
        optOutWrittenByUs: true,
      }),
    ).toEqual({
      status_if_new: 'subscribed',
      status: 'subscribed',
      reason: 'reverses-own-opt-out',
    });
    // Double opt-in still asks for confirmation; archived and the person's own opt-out stay as before.
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'unsubscribed',
        doubleOptIn: true,
        optOutWrittenByUs: true,
      }).status,
    ).toBe('pending');
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'unsubscribed',
        doubleOptIn: false,
        optOutWrittenByUs: false,
      }),
    ).toMatchObject({reason: 'stale-consent'});
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'unsubscribed',
        doubleOptIn: false,
        optOutWrittenByUs: false,
        lastChangedAt: BEFORE,
      }).status,
    ).toBe('pending');
    // Never on a path that may not change existing members.
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'unsubscribed',
        doubleOptIn: false,
        optOutWrittenByUs: true,
        path: 'initial_sync',
      }).status,
    ).toBeUndefined();
  });

  it('leaves an unsubscribed member alone for an older opt-in', () => {
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'unsubscribed',
        doubleOptIn: false,
        lastChangedAt: AFTER,
      }),
    ).toEqual({
      status_if_new: 'unsubscribed',
      reason: 'stale-consent',
    });
  });

  it('never changes a cleaned member', () => {
    for (const consent of [checkoutOptIn, shopifyPending, shopifyUnsubscribed]) {
      const decision = decideMemberStatus({consent, current: 'cleaned', doubleOptIn: false, lastChangedAt: BEFORE});
      expect(decision.status).toBeUndefined();
      expect(decision.reason).toBe('cleaned-is-final');
    }
  });

  it('unsubscribes on an opt-out unless a later Mailchimp change wins', () => {
    for (const current of ['subscribed', 'pending', 'transactional', 'unknown'] as const) {
      expect(
        decideMemberStatus({consent: shopifyUnsubscribed, current, doubleOptIn: false, lastChangedAt: BEFORE}).status,
      ).toBe('unsubscribed');
    }
    // Unknown ordering: opting out is always safe.
    expect(decideMemberStatus({consent: shopifyUnsubscribed, current: 'subscribed', doubleOptIn: false}).status).toBe(
      'unsubscribed',
    );
    // A re-subscribe in Mailchimp after the store's opt-out wins.
    expect(
      decideMemberStatus({
        consent: shopifyUnsubscribed,
        current: 'subscribed',
        doubleOptIn: false,
        lastChangedAt: AFTER,
      }),
    ).toEqual({
      status_if_new: 'unsubscribed',
      reason: 'stale-consent',
    });
    // Also on resync.
    expect(
      decideMemberStatus({
        consent: shopifyUnsubscribed,
        current: 'subscribed',
        doubleOptIn: false,
        lastChangedAt: BEFORE,
        path: 'resync',
      }).status,
    ).toBe('unsubscribed');
  });

  it('does not downgrade a subscribed member for not_subscribed (not an explicit withdrawal)', () => {
    expect(
      decideMemberStatus({
        consent: {...shopifyNotSubscribed, updatedAt: AFTER},
        current: 'subscribed',
        doubleOptIn: false,
        lastChangedAt: BEFORE,
      }),
    ).toEqual({
      status_if_new: 'transactional',
      reason: 'not-subscribed',
    });
  });

  it('never flips a subscribed member to pending', () => {
    expect(
      decideMemberStatus({
        consent: {...shopifyPending, updatedAt: AFTER},
        current: 'subscribed',
        doubleOptIn: true,
        lastChangedAt: BEFORE,
      }),
    ).toEqual({
      status_if_new: 'pending',
      reason: 'unchanged',
    });
  });

  it('confirms a pending member on a single opt-in audience with a newer opt-in', () => {
    expect(
      decideMemberStatus({consent: formOptIn, current: 'pending', doubleOptIn: false, lastChangedAt: BEFORE}).status,
    ).toBe('subscribed');
    expect(
      decideMemberStatus({consent: formOptIn, current: 'pending', doubleOptIn: true, lastChangedAt: BEFORE}).status,
    ).toBeUndefined();
  });

  it('keeps opted-out and pending members unchanged on the initial sync', () => {
    for (const current of ['unsubscribed', 'archived', 'pending'] as const) {
      expect(
        decideMemberStatus({
          consent: shopifySubscribed,
          current,
          doubleOptIn: false,
          lastChangedAt: BEFORE,
          path: 'initial_sync',
        }),
      ).toMatchObject({
        reason: 'initial-sync-keeps-existing',
      });
      expect(
        decideMemberStatus({
          consent: shopifySubscribed,
          current,
          doubleOptIn: false,
          lastChangedAt: BEFORE,
          path: 'initial_sync',
        }).status,
      ).toBeUndefined();
    }
  });

  it('applies the recorded opt-in to a transactional contact on the initial sync (our own order writes created it)', () => {
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'transactional',
        doubleOptIn: false,
        path: 'initial_sync',
      }),
    ).toEqual({
      status_if_new: 'subscribed',
      status: 'subscribed',
      reason: 'opt-in',
    });
    // …but not one provably older than a change the person made.
    expect(
      decideMemberStatus({
        consent: shopifySubscribed,
        current: 'transactional',
        doubleOptIn: false,
        lastChangedAt: AFTER,
        path: 'initial_sync',
      }).status,
    ).toBeUndefined();
    // Import and resync still never subscribe.
    expect(
      decideMemberStatus({consent: shopifySubscribed, current: 'transactional', doubleOptIn: false, path: 'resync'})
        .status,
    ).toBeUndefined();
  });
});

describe('subscribesNow / optsIn', () => {
  it('is true only for a decision that subscribes now', () => {
    expect(subscribesNow(decideMemberStatus({consent: checkoutOptIn, current: 'unknown', doubleOptIn: false}))).toBe(
      true,
    );
    expect(subscribesNow(decideMemberStatus({consent: checkoutOptIn, current: 'unknown', doubleOptIn: true}))).toBe(
      false,
    );
    // A stale opt-in keeps status_if_new subscribed for a vanished member, but must not upgrade the existing one.
    expect(
      subscribesNow(
        decideMemberStatus({
          consent: checkoutOptIn,
          current: 'transactional',
          doubleOptIn: false,
          lastChangedAt: AFTER,
        }),
      ),
    ).toBe(false);
    expect(optsIn(decideMemberStatus({consent: checkoutOptIn, current: 'unknown', doubleOptIn: true}))).toBe(true);
    expect(optsIn(decideMemberStatus({consent: shopifyUnsubscribed, current: 'unknown', doubleOptIn: true}))).toBe(
      false,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property tests

const STATES: ConsentState[] = ['subscribed', 'pending', 'not_subscribed', 'unsubscribed', 'redacted', 'invalid'];
const SOURCES: ConsentSource[] = ['shopify', 'checkout_checkbox', 'subscribe_form', 'mailchimp', 'ingest_api'];
const CURRENT: CurrentMemberStatus[] = [
  'unknown',
  'subscribed',
  'pending',
  'transactional',
  'unsubscribed',
  'cleaned',
  'archived',
];
const PATHS: ConsentPath[] = ['live', 'initial_sync', 'import', 'resync'];

const isoDate = fc
  .integer({min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2026-01-01T00:00:00Z')})
  .map((ms) => new Date(ms).toISOString());

const consentArb: fc.Arbitrary<Consent> = fc.record(
  {
    state: fc.constantFrom(...STATES),
    source: fc.constantFrom(...SOURCES),
    updatedAt: fc.oneof(isoDate, fc.constant('not a date')),
    optInLevel: fc.constantFrom('single_opt_in', 'confirmed_opt_in', 'unknown'),
    doubleOptIn: fc.boolean(),
    evidence: fc.record({text: fc.string(), ip: fc.option(fc.ipV4(), {nil: undefined})}, {requiredKeys: ['text']}),
  },
  {requiredKeys: ['state', 'source', 'updatedAt']},
);

const inputArb = fc.record({
  consent: fc.option(consentArb, {nil: undefined}),
  current: fc.constantFrom(...CURRENT),
  doubleOptIn: fc.boolean(),
  lastChangedAt: fc.option(isoDate, {nil: undefined}),
  path: fc.constantFrom(...PATHS),
});

describe('decideMemberStatus properties', () => {
  it('never sets subscribed for an unsubscribed, cleaned or archived member', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = decideMemberStatus(input);
        if (input.current === 'unsubscribed' || input.current === 'cleaned' || input.current === 'archived') {
          expect(d.status).not.toBe('subscribed');
          expect(d.status_if_new).not.toBe('subscribed');
        }
        if (input.current === 'cleaned') expect(d.status).toBeUndefined();
      }),
      {numRuns: 2000},
    );
  });

  it('never sets subscribed or pending without an allowed opt-in consent', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = decideMemberStatus(input);
        for (const written of [d.status, d.status_if_new]) {
          if (written === 'subscribed') expect(input.consent !== undefined && canSubscribe(input.consent)).toBe(true);
          if (written === 'subscribed' || written === 'pending') {
            expect(
              input.consent !== undefined && (canSubscribe(input.consent) || input.consent.state === 'pending'),
            ).toBe(true);
            expect(input.consent !== undefined && canRequestConfirmation(input.consent)).toBe(true);
            expect(input.path === 'import' || input.path === 'resync').toBe(false);
          }
        }
      }),
      {numRuns: 2000},
    );
  });

  it('never subscribes without confirmation for a consent that wants double opt-in (unless the store confirmed it)', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        if (input.consent?.doubleOptIn !== true || input.consent.optInLevel === 'confirmed_opt_in') return;
        const d = decideMemberStatus(input);
        expect(d.status).not.toBe('subscribed');
        expect(d.status_if_new).not.toBe('subscribed');
      }),
      {numRuns: 2000},
    );
  });

  it('never changes status without consent, and only changes it to something new', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = decideMemberStatus(input);
        if (input.consent === undefined) expect(d.status).toBeUndefined();
        if (d.status !== undefined) expect(d.status).not.toBe(input.current);
      }),
      {numRuns: 2000},
    );
  });

  it('changes an existing member to an opt-in only on the live path (or a transactional contact on the initial sync), never for a consent older than the last change, and for opted-out members only when provably newer', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const d = decideMemberStatus(input);
        if (d.status === 'subscribed' || d.status === 'pending') {
          if ((input.path ?? 'live') !== 'live')
            expect([input.path, input.current]).toEqual(['initial_sync', 'transactional']);
          if (input.lastChangedAt !== undefined) {
            expect(Date.parse(input.consent!.updatedAt)).toBeGreaterThan(Date.parse(input.lastChangedAt));
          }
          if (input.current === 'unsubscribed' || input.current === 'archived')
            expect(input.lastChangedAt).toBeDefined();
        }
        if (d.status === 'unsubscribed') expect(input.consent?.state).toBe('unsubscribed');
      }),
      {numRuns: 2000},
    );
  });
});
