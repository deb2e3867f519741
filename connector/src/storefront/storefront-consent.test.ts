import fc from 'fast-check';
import {canSubscribe, nextOptInSources, type Consent} from '../model/consent.js';
import type {InboxEvent} from '../store/inbox-repository.js';
import {decideMemberStatus} from '../sync/mappers/member-status.js';
import {desiredTags} from '../sync/mappers/tag-rules.js';
import {answerFor} from './record-storefront-consent.js';
import {consentEvidenceRow, consentTextVersion, storefrontInboxMapper, storefrontInboxPayload, type StorefrontRequestContext} from './storefront-consent.js';
import {parseStorefrontRequest, type StorefrontKind} from './storefront-request.js';

const CONTEXT: StorefrontRequestContext = {receivedAt: '2026-03-01T12:00:00.000Z', ip: '203.0.113.5', userAgent: 'UA/1'};
const SHOP = {shopDomain: 'x.myshopify.com', currency: 'EUR'};

const request = (over: Record<string, unknown> = {}) => ({shop: 'x.myshopify.com', email: 'Ada@Example-mail.com', consent_text: 'Yes, email me.', ...over});

function inboxEvent(payload: unknown): InboxEvent {
  return {
    id: 1, connection_id: 'c1', source: 'storefront', topic: 'storefront/subscribe', dedupe_key: 'k', received_at: CONTEXT.receivedAt,
    triggered_at: null, payload: JSON.stringify(payload), status: 'pending', attempts: 0, processed_at: null, error: null,
  } as InboxEvent;
}

function mapped(kind: StorefrontKind, body: Record<string, unknown>) {
  const parsed = parseStorefrontRequest(kind, body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return storefrontInboxMapper(inboxEvent(storefrontInboxPayload(kind, parsed.request, CONTEXT)), SHOP);
}

describe('storefront request validation', () => {
  it('accepts a form submission and a ticked checkbox', () => {
    expect(parseStorefrontRequest('subscribe', request({first_name: 'Ada', locale: 'de-CH', request_id: 'abc-123_XYZ', attribution: {mc_cid: 'abc'}})).ok).toBe(true);
    expect(parseStorefrontRequest('checkout_opt_in', request({checked: true})).ok).toBe(true);
  });

  it('names every offending field', () => {
    const result = parseStorefrontRequest('subscribe', {...request({email: 'nope', locale: 'english!', request_id: 'short', attribution: {mc_cid: 'x', gclid: 'y'}, consent_text: ' \n '}), extra: true});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field).sort()).toEqual(['', 'attribution', 'consent_text', 'email', 'locale', 'request_id']);
  });

  it('refuses an unticked or missing checkbox, control characters, and non-objects', () => {
    for (const body of [request({checked: false}), request(), request({checked: 'true'})]) expect(parseStorefrontRequest('checkout_opt_in', body).ok).toBe(false);
    expect(parseStorefrontRequest('subscribe', request({consent_text: 'ok\u0000'})).ok).toBe(false);
    expect(parseStorefrontRequest('subscribe', request({consent_text: 'line one\nline two\ttab'})).ok).toBe(true);
    for (const body of [null, [], 'text', 42]) expect(parseStorefrontRequest('subscribe', body).ok).toBe(false);
  });
});

describe('storefront consent mapping', () => {
  it('maps a form submission to a subscribed consent with its evidence, from the subscribe form', () => {
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
            evidence: {text: 'Yes, email me.', textVersion: consentTextVersion({consent_text: 'Yes, email me.'}), ip: '203.0.113.5', userAgent: 'UA/1', page: 'https://shop.example/p'},
          },
        },
      ],
    });
  });

  it('maps a ticked checkbox to the checkout source', () => {
    const result = mapped('checkout_opt_in', request({checked: true, consent_text_version: 'v7'}));
    expect(result.ok && result.events[0]).toMatchObject({kind: 'consent.update', consent: {source: 'checkout_checkbox', evidence: {textVersion: 'v7'}}});
  });

  it('versions the consent text by its content unless the store names a version', () => {
    expect(consentTextVersion({consent_text: 'A'})).toBe(consentTextVersion({consent_text: 'A', consent_text_version: ' '}));
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
    expect(row).toMatchObject({connection_id: 'c1', inbox_event_id: 9, email: 'ada@example-mail.com', source: 'subscribe_form', locale: 'de', attribution: '{"mc_cid":"0123456789"}', recorded_at: CONTEXT.receivedAt});
  });

  it('property: every accepted request becomes an allowed opt-in with evidence, which Mailchimp gets as pending under double opt-in', () => {
    const word = fc.string({minLength: 1, maxLength: 30}).filter((s) => /^[a-z0-9]+$/.test(s));
    fc.assert(
      fc.property(fc.constantFrom<StorefrontKind>('subscribe', 'checkout_opt_in'), word, word, fc.string({minLength: 1, maxLength: 200}), (kind, local, domain, text) => {
        const body = request({email: `${local}@${domain}.com`, consent_text: text, ...(kind === 'checkout_opt_in' ? {checked: true} : {})});
        const parsed = parseStorefrontRequest(kind, body);
        if (!parsed.ok) return; // control characters, blank text: refused before anything is stored
        const result = storefrontInboxMapper(inboxEvent(storefrontInboxPayload(kind, parsed.request, CONTEXT)), SHOP);
        expect(result.ok).toBe(true);
        const event = result.ok ? result.events[0] : undefined;
        if (event?.kind !== 'consent.update') throw new Error('not a consent update');
        expect(canSubscribe(event.consent)).toBe(true);
        expect(event.consent.evidence?.text).toBe(text);
        expect(decideMemberStatus({consent: event.consent, current: 'unknown', doubleOptIn: true}).status_if_new).toBe('pending');
        expect(decideMemberStatus({consent: event.consent, current: 'unsubscribed', doubleOptIn: false, lastChangedAt: '2026-01-01T00:00:00Z'}).status).toBe('pending');
      }),
      {numRuns: 200},
    );
  });
});

describe('the answer the widget gets', () => {
  const consent = (state: Consent['state'], source: Consent['source'] = 'shopify'): Consent => ({state, source, updatedAt: CONTEXT.receivedAt});
  it.each([
    [undefined, false, 'subscribed'],
    [undefined, true, 'pending_confirmation'],
    [consent('subscribed'), false, 'already_subscribed'],
    [consent('subscribed'), true, 'already_subscribed'],
    [consent('subscribed', 'subscribe_form'), false, 'already_subscribed'],
    // An earlier storefront request on a double opt-in audience is not a confirmation.
    [consent('subscribed', 'subscribe_form'), true, 'pending_confirmation'],
    [consent('pending'), false, 'pending_confirmation'],
    [consent('unsubscribed'), false, 'pending_confirmation'],
    [consent('not_subscribed'), false, 'subscribed'],
  ] as const)('%j, double opt-in %s → %s', (known, doubleOptIn, answer) => {
    expect(answerFor(known, doubleOptIn)).toBe(answer);
  });
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
      desiredTags({isCustomer: false, orders: [], products: () => undefined, consent, optInSources, now: at}, {prefix: 'shop:'});
    expect(tags(box, ['checkout_checkbox', 'subscribe_form'])).toEqual(['shop:checkout-opt-in', 'shop:newsletter']);
    expect(tags(shopify, ['subscribe_form'])).toEqual(['shop:newsletter']);
    expect(tags(out, ['subscribe_form'])).toEqual([]);
  });
});
