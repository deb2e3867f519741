import type {Consent, ConsentState} from '../model/consent.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CustomerId} from '../model/ids.js';
import type {MapContext} from './map-context.js';
import {PayloadError, type Fields} from './payload-fields.js';

const STATES: ReadonlySet<string> = new Set<ConsentState>([
  'subscribed',
  'pending',
  'not_subscribed',
  'unsubscribed',
  'redacted',
  'invalid',
]);

function stateOf(consent: Fields): ConsentState | undefined {
  const state = consent.optString('state')?.trim().toLowerCase();
  return state !== undefined && STATES.has(state) ? (state as ConsentState) : undefined;
}

/**
 * Shopify `email_marketing_consent {state, opt_in_level, consent_updated_at}` → Consent with source 'shopify'.
 * Returns undefined when the object is absent or null, or when its state is null: no information is not
 * "not subscribed". An unknown state in a customer payload is also undefined (consent is left alone, never guessed);
 * the consent topic is stricter (see mapConsentUpdate).
 * `consent_updated_at` is null for people who never opted in; the payload's version time stands in for it.
 */
export function mapEmailMarketingConsent(
  consent: Fields | undefined,
  fallbackTime: string | undefined,
): Consent | undefined {
  if (!consent) return undefined;
  const state = stateOf(consent);
  if (state === undefined) return undefined;
  const updatedAt = consent.optTimestamp('consent_updated_at') ?? fallbackTime;
  if (updatedAt === undefined) {
    throw new PayloadError(
      consent.at('consent_updated_at'),
      'no consent_updated_at and no other timestamp to date the consent',
    );
  }
  const optInLevel = consent.optString('opt_in_level');
  return {state, source: 'shopify', updatedAt, ...(optInLevel !== undefined ? {optInLevel} : {})};
}

/**
 * Very old customer payloads (before `email_marketing_consent`) carry `accepts_marketing` and
 * `accepts_marketing_updated_at`. Decision:
 * - `true` with `accepts_marketing_updated_at` is Shopify's own record of an opt-in → subscribed (dated by it);
 * - `true` without a date is not trusted: it cannot be ordered against newer consent, so no consent;
 * - `false` is ambiguous (never opted in, or opted out) → no consent; mapping it to "unsubscribed" would withdraw
 *   a newer Mailchimp subscription, and "not_subscribed" says nothing an absent consent does not.
 */
export function mapLegacyAcceptsMarketing(customer: Fields): Consent | undefined {
  if (customer.optBool('accepts_marketing') !== true) return undefined;
  const updatedAt = customer.optTimestamp('accepts_marketing_updated_at');
  if (updatedAt === undefined) return undefined;
  const optInLevel = customer.optString('marketing_opt_in_level');
  return {state: 'subscribed', source: 'shopify', updatedAt, ...(optInLevel !== undefined ? {optInLevel} : {})};
}

/** Consent of a customer payload: the current object when present, the legacy boolean otherwise, else undefined. */
export function mapCustomerConsent(customer: Fields, fallbackTime: string | undefined): Consent | undefined {
  if (customer.has('email_marketing_consent')) {
    return mapEmailMarketingConsent(customer.optObject('email_marketing_consent'), fallbackTime);
  }
  return mapLegacyAcceptsMarketing(customer);
}

/**
 * `customers_email_marketing_consent/update` (API ≥ 2025-01 sends consent only here):
 * `{customer_id, email_address, email_marketing_consent {state, opt_in_level, consent_updated_at}}`.
 * The payload has no `updated_at`; `consent_updated_at` dates it, else the delivery's triggeredAt.
 * A missing or unknown state is an error here (the event would mean nothing); a consent without an email address
 * cannot reach Mailchimp and is ignored.
 */
export function mapConsentUpdate(payload: Fields, context: MapContext): StoreEvent[] {
  const customerId = asId<CustomerId>(payload.id('customer_id'));
  const consentFields = payload.object('email_marketing_consent');
  const rawState = consentFields.optString('state');
  if (rawState === undefined) throw new PayloadError(consentFields.at('state'), 'required consent state is missing');
  if (stateOf(consentFields) === undefined) {
    throw new PayloadError(consentFields.at('state'), `unknown consent state ${JSON.stringify(rawState)}`);
  }
  const consent = mapEmailMarketingConsent(consentFields, context.triggeredAt);
  if (consent === undefined) throw new PayloadError(consentFields.at('state'), 'consent could not be read');
  const email = payload.optString('email_address')?.trim();
  if (email === undefined || email === '') {
    return [{kind: 'ignored', reason: `consent update for customer ${customerId} without an email address`}];
  }
  return [{kind: 'consent.update', customerId, email, consent}];
}
