import fc from 'fast-check';
import {canSubscribe, nextOptInSources, type Consent} from '../model/consent.js';
import type {InboxEvent} from '../store/inbox-repository.js';
import {decideMemberStatus} from '../sync/rules/member-status.js';
import {desiredTags} from '../sync/rules/tag-rules.js';
import type {Connection} from '../store/connections-repository.js';
import {storefrontInboxMapper} from './inbox-mapper.js';
import {storefrontAnswer} from './storefront-answer.js';
import {
  consentEvidenceRow,
  consentFromEvidence,
  consentTextVersion,
  storefrontConsent,
  storefrontInboxPayload,
  type StorefrontRequestContext,
} from './storefront-consent.js';
import {parseStorefrontRequest, type StorefrontKind} from './storefront-request.js';

const CONTEXT: StorefrontRequestContext = {
  receivedAt: '2026-03-01T12:00:00.000Z',
  ip: '203.0.113.5',
  userAgent: 'UA/1',
};
const SHOP = {shopDomain: 'x.myshopify.com', currency: 'EUR'};

const request = (over: Record<string, unknown> = {}) => ({
  shop: 'x.myshopify.com',
  email: 'Ada@Example-mail.com',
  consent_text: 'Yes, email me.',
  ...over,
});

function inboxEvent(payload: unknown): InboxEvent {
  return {
    id: 1,
    connection_id: 'c1',
    source: 'storefront',
    topic: 'storefront/subscribe',
    dedupe_key: 'k',
    received_at: CONTEXT.receivedAt,
    triggered_at: null,
    payload: JSON.stringify(payload),
    status: 'pending',
    attempts: 0,
    processed_at: null,
    error: null,
  } as InboxEvent;
}

function mapped(kind: StorefrontKind, body: Record<string, unknown>) {
  const parsed = parseStorefrontRequest(kind, body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return storefrontInboxMapper(inboxEvent(storefrontInboxPayload(kind, parsed.request, CONTEXT)), SHOP);
}

describe('storefront request validation', () => {
  it('accepts a form submission and a ticked checkbox', () => {
    expect(
      parseStorefrontRequest(
        'subscribe',
        request({first_name: 'Ada', locale: 'de-CH', request_id: 'abc-123_XYZ', attribution: {mc_cid: 'abc'}}),
      ).ok,
    ).toBe(true);
    expect(parseStorefrontRequest('checkout_opt_in', request({checked: true})).ok).toBe(true);
  });

  it('names every offending field', () => {
    const result = parseStorefrontRequest('subscribe', {
      ...request({
        email: 'nope',
        locale: 'english!',
        request_id: 'short',
        attribution: {mc_cid: 'x', gclid: 'y'},
        consent_text: ' \n ',
      }),
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field).sort()).toEqual([
      '',
      'attribution',
      'consent_text',
      'email',
      'locale',
      'request_id',
    ]);
  });

  it('refuses an unticked or missing checkbox, control characters, and non-objects', () => {
    for (const body of [request({checked: false}), request(), request({checked: 'true'})])
      expect(parseStorefrontRequest('checkout_opt_in', body).ok).toBe(false);
    expect(parseStorefrontRequest('subscribe', request({consent_text: 'ok\u0000'})).ok).toBe(false);
    // NUL is refused in every field, named once (issue #12 item 10).
    for (const [field, value] of [
      ['page', 'https://shop.example/a\u0000'],
      ['website', '\u0000'],
      ['locale', 'de\u0000'],
      ['request_id', 'abcdefgh\u0000'],
    ] as const) {
      const result = parseStorefrontRequest('subscribe', request({[field]: value}));
      expect(result.ok ? [] : result.errors).toEqual([{field, message: expect.stringMatching(/NUL/)}]);
    }
    expect(parseStorefrontRequest('subscribe', request({consent_text: 'line one\nline two\ttab'})).ok).toBe(true);
    for (const body of [null, [], 'text', 42]) expect(parseStorefrontRequest('subscribe', body).ok).toBe(false);
  });
});

describe('storefront consent mapping', () => {
  it('maps a form submission to a subscribed consent with its evidence, from the subscribe form, double opt-in unless the shop chose single', () => {
    const result = mapped('subscribe', request({first_name: ' Ada ', page: 'https://shop.example/p', website: ''}));
    expect(result).toEqual({
      ok: true,
      events: [
        {
          kind: 'consent.update',
          email: 'ada@example-mail.com',
          firstName: 'Ada',
          consent: {
            state: 'subscribed',
            source: 'subscribe_form',
            updatedAt: CONTEXT.receivedAt,
            doubleOptIn: true,
            evidence: {
              text: 'Yes, email me.',
              textVersion: consentTextVersion({consent_text: 'Yes, email me.'}),
              ip: '203.0.113.5',
              userAgent: 'UA/1',
              page: 'https://shop.example/p',
            },
          },
        },
      ],
    });
  });

  it('takes single opt-in only from a payload that says so', () => {
    const parsed = parseStorefrontRequest('subscribe', request());
    if (!parsed.ok) throw new Error('invalid');
    expect(
      storefrontConsent(storefrontInboxPayload('subscribe', parsed.request, {...CONTEXT, optIn: 'single'})).doubleOptIn,
    ).toBeUndefined();
    expect(
      storefrontConsent(storefrontInboxPayload('subscribe', parsed.request, {...CONTEXT, optIn: 'double'})).doubleOptIn,
    ).toBe(true);
    const tampered = {
      ...storefrontInboxPayload('subscribe', parsed.request, CONTEXT),
      context: {...CONTEXT, textVersion: 'v', optIn: 'triple'},
    };
    expect(storefrontInboxMapper(inboxEvent(tampered), SHOP).ok).toBe(false);
  });

  it('maps a ticked checkbox to a claim its order must confirm, whose evidence row is the same consent', () => {
    const result = mapped('checkout_opt_in', request({checked: true, consent_text_version: 'v7'}));
    expect(result.ok && result.events).toEqual([
      {kind: 'consent.checkout_claim', email: 'ada@example-mail.com', inboxEventId: 1},
    ]);
    const parsed = parseStorefrontRequest(
      'checkout_opt_in',
      request({checked: true, consent_text_version: 'v7', page: 'https://shop.example/c'}),
    );
    if (!parsed.ok) throw new Error('invalid');
    const payload = storefrontInboxPayload('checkout_opt_in', parsed.request, CONTEXT);
    const row = consentEvidenceRow('c1', 1, payload);
    expect(
      consentFromEvidence({...row, ip: row.ip ?? null, user_agent: row.user_agent ?? null, page: row.page ?? null}),
    ).toEqual(storefrontConsent(payload));
  });

  it('versions the consent text by its content unless the store names a version', () => {
    expect(consentTextVersion({consent_text: 'A'})).toBe(
      consentTextVersion({consent_text: 'A', consent_text_version: ' '}),
    );
    expect(consentTextVersion({consent_text: 'A'})).not.toBe(consentTextVersion({consent_text: 'B'}));
    expect(consentTextVersion({consent_text: 'A', consent_text_version: '2025-03'})).toBe('2025-03');
  });

  it('keeps the honeypot out of what is stored', () => {
    const parsed = parseStorefrontRequest('subscribe', request({website: ''}));
    if (!parsed.ok) throw new Error('invalid');
    expect(JSON.stringify(storefrontInboxPayload('subscribe', parsed.request, CONTEXT))).not.toContain('website');
  });

  it('refuses a stored payload that no longer validates (a replay cannot bypass the schema)', () => {
    const parsed = parseStorefrontRequest('checkout_opt_in', request({checked: true}));
    if (!parsed.ok) throw new Error('invalid');
    const payload = storefrontInboxPayload('checkout_opt_in', parsed.request, CONTEXT);
    const tampered = [
      {...payload, request: {...payload.request, checked: false}},
      {...payload, version: 2},
      {...payload, kind: 'other'},
      {...payload, context: {...payload.context, receivedAt: 'yesterday'}},
    ];
    for (const p of tampered) expect(storefrontInboxMapper(inboxEvent(p), SHOP).ok).toBe(false);
    expect(storefrontInboxMapper({...inboxEvent(payload), payload: '{'}, SHOP).ok).toBe(false);
  });

  it('builds the evidence row from the same payload', () => {
    const parsed = parseStorefrontRequest('subscribe', request({attribution: {mc_cid: '0123456789'}, locale: 'de'}));
    if (!parsed.ok) throw new Error('invalid');
    const row = consentEvidenceRow('c1', 9, storefrontInboxPayload('subscribe', parsed.request, CONTEXT));
    expect(row).toMatchObject({
      connection_id: 'c1',
      inbox_event_id: 9,
      email: 'ada@example-mail.com',
      source: 'subscribe_form',
      locale: 'de',
      attribution: '{"mc_cid":"0123456789"}',
      recorded_at: CONTEXT.receivedAt,
    });
  });

  it('property: every accepted request becomes an allowed opt-in with evidence, which Mailchimp gets as pending under double opt-in', () => {
    const word = fc.string({minLength: 1, maxLength: 30}).filter((s) => /^[a-z0-9]+$/.test(s));
    fc.assert(
      fc.property(
        fc.constantFrom<StorefrontKind>('subscribe', 'checkout_opt_in'),
        word,
        word,
        fc.string({minLength: 1, maxLength: 200}),
        (kind, local, domain, text) => {
          const body = request({
            email: `${local}@${domain}.com`,
            consent_text: text,
            ...(kind === 'checkout_opt_in' ? {checked: true} : {}),
          });
          const parsed = parseStorefrontRequest(kind, body);
          if (!parsed.ok) return; // control characters, blank text: refused before anything is stored
          const payload = storefrontInboxPayload(kind, parsed.request, CONTEXT);
          const result = storefrontInboxMapper(inboxEvent(payload), SHOP);
          expect(result.ok).toBe(true);
          const event = result.ok ? result.events[0] : undefined;
          // The checkbox's consent is its evidence row's, applied once an order confirms it (checkout-consent.ts).
          const consent =
            event?.kind === 'consent.update'
              ? event.consent
              : event?.kind === 'consent.checkout_claim'
                ? storefrontConsent(payload)
                : undefined;
          if (!consent) throw new Error(`unexpected ${event?.kind}`);
          expect(event?.kind).toBe(kind === 'subscribe' ? 'consent.update' : 'consent.checkout_claim');
          expect(canSubscribe(consent)).toBe(true);
          expect(consent.evidence?.text).toBe(text);
          expect(decideMemberStatus({consent, current: 'unknown', doubleOptIn: true}).status_if_new).toBe('pending');
          // The form asks for confirmation even on a single opt-in audience (the storefront's default).
          expect(decideMemberStatus({consent, current: 'unknown', doubleOptIn: false}).status_if_new).toBe(
            kind === 'subscribe' ? 'pending' : 'subscribed',
          );
          expect(
            decideMemberStatus({
              consent,
              current: 'unsubscribed',
              doubleOptIn: false,
              lastChangedAt: '2026-01-01T00:00:00Z',
            }).status,
          ).toBe('pending');
        },
      ),
      {numRuns: 200},
    );
  });
});

describe('the answer the widget gets', () => {
  const shop = (doubleOptIn: boolean, storefrontDoubleOptIn?: boolean) =>
    ({doubleOptIn, settings: storefrontDoubleOptIn === undefined ? {} : {storefrontDoubleOptIn}}) as Pick<
      Connection,
      'settings' | 'doubleOptIn'
    >;
  it.each([
    [false, undefined, 'pending_confirmation'],
    [false, true, 'pending_confirmation'],
    [false, false, 'subscribed'],
    [true, false, 'pending_confirmation'],
    [true, undefined, 'pending_confirmation'],
  ] as const)(
    'audience double opt-in %s, storefront double opt-in %s → %s (the same for every person)',
    (audience, storefront, answer) => {
      expect(storefrontAnswer('subscribe', shop(audience, storefront))).toBe(answer);
      expect(storefrontAnswer('checkout_opt_in', shop(audience, storefront))).toBe('awaiting_order');
    },
  );
});

describe('storefront opt-in sources and their tags', () => {
  const at = '2026-03-01T12:00:00Z';
  const evidence = {text: 'Yes'};
  const form: Consent = {state: 'subscribed', source: 'subscribe_form', updatedAt: at, evidence};
  const box: Consent = {state: 'subscribed', source: 'checkout_checkbox', updatedAt: at, evidence};
  const shopify: Consent = {state: 'subscribed', source: 'shopify', updatedAt: at};
  const out: Consent = {state: 'unsubscribed', source: 'mailchimp', updatedAt: at};

  it('collects storefront opt-ins and forgets them on an opt-out', () => {
    expect(nextOptInSources([], form)).toEqual(['subscribe_form']);
    expect(nextOptInSources(['subscribe_form'], box)).toEqual(['checkout_checkbox', 'subscribe_form']);
    expect(nextOptInSources(['subscribe_form'], shopify)).toEqual(['subscribe_form']);
    expect(nextOptInSources(['subscribe_form', 'checkout_checkbox'], out)).toEqual([]);
    // Without evidence a storefront consent is no opt-in.
    expect(nextOptInSources([], {...form, evidence: undefined})).toEqual([]);
  });

  it('tags newsletter and checkout-opt-in for the sources a subscribed person came through, with the prefix', () => {
    const tags = (consent: Consent, optInSources: Consent['source'][]) =>
      desiredTags(
        {isCustomer: false, orders: [], products: () => undefined, consent, optInSources, now: at},
        {prefix: 'shop:'},
      );
    expect(tags(box, ['checkout_checkbox', 'subscribe_form'])).toEqual(['shop:checkout-opt-in', 'shop:newsletter']);
    expect(tags(shopify, ['subscribe_form'])).toEqual(['shop:newsletter']);
    expect(tags(out, ['subscribe_form'])).toEqual([]);
  });
});
