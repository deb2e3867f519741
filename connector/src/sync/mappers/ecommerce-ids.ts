import {createHash} from 'node:crypto';

/**
 * Ids the connector writes to a Mailchimp e-commerce store. Deterministic (same input → same id on every call and
 * every process) and at most 50 characters: Mailchimp limits customer, promo rule and promo code ids to 50, and a
 * longer customer id on an order or cart is answered with a bare 404 instead of a validation error (notes §9.13).
 */

export const MAX_ECOMMERCE_ID_LENGTH = 50;

/** Prefix of ids that were hashed because the platform id did not fit (`x-` + 40 hex = 42 characters). */
const HASHED_PREFIX = 'x-';
/** Prefix of guest customer ids derived from the e-mail address (`g-` + 32 hex = 34 characters). */
const GUEST_PREFIX = 'g-';
/** Prefix of a customer's id after an e-mail change (`e-` + 40 hex = 42 characters). */
const EMAIL_ALIAS_PREFIX = 'e-';

function sha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/**
 * A platform id as a Mailchimp id. Shopify ids (≤ 20 digits) pass through unchanged. Longer ids (generic ingest
 * sources, gid:// strings) become `x-<sha1>`; ids that already start with a reserved prefix are hashed too, so a
 * platform id can never collide with a hashed or a guest id.
 */
export function stableEcommerceId(platformId: string): string {
  const reserved = [HASHED_PREFIX, GUEST_PREFIX, EMAIL_ALIAS_PREFIX].some((prefix) => platformId.startsWith(prefix));
  if (platformId.length > 0 && platformId.length <= MAX_ECOMMERCE_ID_LENGTH && !reserved) return platformId;
  return HASHED_PREFIX + sha1(platformId);
}

/**
 * The customer id for an order or cart without a platform customer (guest checkout): derived from the lower-cased,
 * trimmed e-mail, so every guest order of one address lands on one Mailchimp customer.
 */
export function guestCustomerId(email: string): string {
  return GUEST_PREFIX + createHash('md5').update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

/**
 * The id a customer continues under once their e-mail changed: Mailchimp binds a customer id to its first address
 * ("An email address may not be changed once a customer is created"), so the same platform customer with another
 * address becomes another Mailchimp customer. Derived from the Mailchimp customer id and the normalised address,
 * so every process (and the GDPR redaction) computes the same one.
 */
export function emailAliasCustomerId(customerId: string, email: string): string {
  return EMAIL_ALIAS_PREFIX + sha1(`${customerId}\n${email.trim().toLowerCase()}`);
}

/** The e-commerce customer id for a customer reference: the platform id when known, else the guest id. */
export function customerIdFor(ref: {id?: string; email?: string}): string | undefined {
  if (ref.id !== undefined && ref.id !== '') return stableEcommerceId(ref.id);
  const email = ref.email?.trim();
  return email ? guestCustomerId(email) : undefined;
}

/** A short stable hash for derived ids (placeholders): the first `length` hex characters of the SHA-1. */
export function shortHash(text: string, length = 32): string {
  return sha1(text).slice(0, length);
}
