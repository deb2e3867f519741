/**
 * Email marketing consent, platform neutral. The only sources of "subscribed" are (DESIGN.md, consent rules):
 * a ticked checkbox / submitted form with stored evidence, Shopify `email_marketing_consent.state = subscribed`,
 * or a Mailchimp subscribe event. A payload without consent information carries `undefined`, never "not subscribed".
 */
export type ConsentState =
  | 'subscribed'
  | 'pending' // asked, waiting for the double opt-in confirmation
  | 'not_subscribed' // never opted in (a transactional contact)
  | 'unsubscribed'
  | 'redacted'
  | 'invalid';

export type ConsentSource = 'shopify' | 'checkout_checkbox' | 'subscribe_form' | 'mailchimp' | 'ingest_api';

export interface ConsentEvidence {
  /** The exact text shown next to the checkbox or form, and its version. */
  text: string;
  textVersion?: string;
  ip?: string;
  userAgent?: string;
  page?: string;
}

export interface Consent {
  state: ConsentState;
  source: ConsentSource;
  /** When the person gave or withdrew consent (ISO 8601); orders newer-wins decisions. */
  updatedAt: string;
  /** Shopify's opt_in_level: single_opt_in, confirmed_opt_in, unknown. */
  optInLevel?: string;
  /**
   * This opt-in must be confirmed by e-mail (Mailchimp `pending`) whatever the audience's own setting: the storefront
   * subscribe form under double opt-in (STOREFRONT_DOUBLE_OPT_IN, the default), where nothing proves that the person
   * typing the address owns it.
   */
  doubleOptIn?: boolean;
  evidence?: ConsentEvidence;
}

/** A consent may set "subscribed" only when it comes from a source allowed to. */
export function canSubscribe(consent: Consent): boolean {
  if (consent.state !== 'subscribed') return false;
  if (consent.source === 'checkout_checkbox' || consent.source === 'subscribe_form' || consent.source === 'ingest_api')
    return consent.evidence !== undefined;
  return true;
}

/** Consent sources that come from the storefront widget (each has a member tag: `newsletter`, `checkout-opt-in`). */
export const STOREFRONT_CONSENT_SOURCES: readonly ConsentSource[] = ['subscribe_form', 'checkout_checkbox'];

/**
 * The storefront sources a person opted in through since their last opt-out, after a newer consent: an opt-in from
 * the storefront adds its source, an opt-out (or redaction) clears the list, anything else keeps it. Sorted, unique.
 */
export function nextOptInSources(previous: readonly ConsentSource[], consent: Consent): ConsentSource[] {
  if (consent.state === 'unsubscribed' || consent.state === 'redacted' || consent.state === 'invalid') return [];
  const next = new Set(previous.filter((s) => STOREFRONT_CONSENT_SOURCES.includes(s)));
  if (
    (consent.state === 'subscribed' || consent.state === 'pending') &&
    canRequestOptIn(consent) &&
    STOREFRONT_CONSENT_SOURCES.includes(consent.source)
  ) {
    next.add(consent.source);
  }
  return [...next].sort();
}

/** A storefront opt-in counts only with its evidence (the same rule as `canSubscribe`). */
function canRequestOptIn(consent: Consent): boolean {
  return consent.evidence !== undefined;
}
