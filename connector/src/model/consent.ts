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
  evidence?: ConsentEvidence;
}

/** A consent may set "subscribed" only when it comes from a source allowed to. */
export function canSubscribe(consent: Consent): boolean {
  if (consent.state !== 'subscribed') return false;
  if (consent.source === 'checkout_checkbox' || consent.source === 'subscribe_form' || consent.source === 'ingest_api') return consent.evidence !== undefined;
  return true;
}
