import {createHash} from 'node:crypto';
import type {Consent, ConsentSource} from '../model/consent.js';
import type {StoreEvent} from '../model/events.js';
import type {ConsentEvidenceRow, NewConsentEvidence} from '../store/consent-evidence-repository.js';
import {parseStorefrontRequest, type StorefrontKind, type StorefrontRequest} from './storefront-request.js';

/**
 * Pure mapping of a storefront request (subscribe form, checkout checkbox) to what is stored and synced: the inbox
 * payload (the validated request plus what the server saw: time, IP, user agent, the form's opt-in), the consent
 * evidence row, and the canonical event the inbox processor projects:
 * - the form: a `consent.update` (`subscribed` with its evidence; under double opt-in, the default, it asks Mailchimp
 *   for `pending` whatever the audience's setting: `doubleOptIn` on the consent);
 * - the checkbox: a `consent.checkout_claim`, which takes effect only when a signed order or checkout for the same
 *   address confirms it (checkout-consent.ts).
 * Whether Mailchimp gets `subscribed` or `pending` is decided by the sync's consent rules (member-status.ts).
 */

export const STOREFRONT_PAYLOAD_VERSION = 1;

/** What the server knew when it accepted the request. */
export interface StorefrontRequestContext {
  receivedAt: string;
  /** A validated IP address (client-ip.ts). */
  ip?: string;
  userAgent?: string;
  /**
   * The subscribe form: the shop's opt-in when the request was accepted (storefront-answer.ts formOptIn). A payload
   * without it (stored before this field existed) is treated as double opt-in.
   */
  optIn?: 'double' | 'single';
}

export interface StorefrontInboxPayload {
  version: typeof STOREFRONT_PAYLOAD_VERSION;
  kind: StorefrontKind;
  /** The validated request, without the honeypot. */
  request: Omit<StorefrontRequest, 'website'>;
  context: StorefrontRequestContext & {textVersion: string};
}

export const INBOX_TOPIC: Record<StorefrontKind, string> = {
  subscribe: 'storefront/subscribe',
  checkout_opt_in: 'storefront/checkout_opt_in',
};
const SOURCE: Record<StorefrontKind, Extract<ConsentSource, 'subscribe_form' | 'checkout_checkbox'>> = {
  subscribe: 'subscribe_form',
  checkout_opt_in: 'checkout_checkbox',
};

/** The version of the consent text: the one the store gave, else a hash of the text (the same text, the same version). */
export function consentTextVersion(request: Pick<StorefrontRequest, 'consent_text' | 'consent_text_version'>): string {
  const given = request.consent_text_version?.trim();
  return given
    ? given
    : `sha256:${createHash('sha256').update(request.consent_text, 'utf8').digest('hex').slice(0, 16)}`;
}

export function storefrontInboxPayload(
  kind: StorefrontKind,
  request: StorefrontRequest,
  context: StorefrontRequestContext,
): StorefrontInboxPayload {
  const {website: _honeypot, ...kept} = request;
  return {
    version: STOREFRONT_PAYLOAD_VERSION,
    kind,
    request: kept,
    context: {...context, textVersion: consentTextVersion(request)},
  };
}

export function storefrontConsent(payload: StorefrontInboxPayload): Consent {
  const {request, context} = payload;
  return {
    state: 'subscribed',
    source: SOURCE[payload.kind],
    updatedAt: context.receivedAt,
    ...(payload.kind === 'subscribe' && context.optIn !== 'single' ? {doubleOptIn: true} : {}),
    evidence: {
      text: request.consent_text,
      textVersion: context.textVersion,
      ...(context.ip ? {ip: context.ip} : {}),
      ...(context.userAgent ? {userAgent: context.userAgent} : {}),
      ...(request.page ? {page: request.page} : {}),
    },
  };
}

export function consentEvidenceRow(
  connectionId: string,
  inboxEventId: number,
  payload: StorefrontInboxPayload,
): NewConsentEvidence {
  const {request, context} = payload;
  const attribution =
    request.attribution && Object.keys(request.attribution).length > 0 ? JSON.stringify(request.attribution) : null;
  return {
    connection_id: connectionId,
    inbox_event_id: inboxEventId,
    email: request.email.toLowerCase(),
    source: SOURCE[payload.kind],
    state: 'subscribed',
    text: request.consent_text,
    text_version: context.textVersion,
    locale: request.locale ?? null,
    ip: context.ip ?? null,
    user_agent: context.userAgent ?? null,
    page: request.page ?? null,
    attribution,
    recorded_at: context.receivedAt,
  };
}

/** The checkbox's consent as its evidence row holds it (the same consent storefrontConsent makes of the payload). */
export function consentFromEvidence(
  row: Pick<ConsentEvidenceRow, 'source' | 'recorded_at' | 'text' | 'text_version' | 'ip' | 'user_agent' | 'page'>,
): Consent {
  return {
    state: 'subscribed',
    source: row.source,
    updatedAt: row.recorded_at,
    evidence: {
      text: row.text,
      textVersion: row.text_version,
      ...(row.ip ? {ip: row.ip} : {}),
      ...(row.user_agent ? {userAgent: row.user_agent} : {}),
      ...(row.page ? {page: row.page} : {}),
    },
  };
}

export type ParsePayloadResult = {ok: true; payload: StorefrontInboxPayload} | {ok: false; error: string};

/** Reads a stored payload back, validating the request again (a replay cannot bypass the schema). Never throws. */
export function parseStorefrontPayload(json: string): ParsePayloadResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {ok: false, error: 'payload is not JSON'};
  }
  if (typeof value !== 'object' || value === null) return {ok: false, error: 'payload is not an object'};
  const payload = value as Partial<StorefrontInboxPayload>;
  if (payload.version !== STOREFRONT_PAYLOAD_VERSION)
    return {ok: false, error: `unknown payload version ${String(payload.version)}`};
  if (payload.kind !== 'subscribe' && payload.kind !== 'checkout_opt_in')
    return {ok: false, error: `unknown storefront request kind ${String(payload.kind)}`};
  const context = payload.context;
  if (
    !context ||
    typeof context.receivedAt !== 'string' ||
    Number.isNaN(Date.parse(context.receivedAt)) ||
    typeof context.textVersion !== 'string'
  ) {
    return {ok: false, error: 'payload context is incomplete'};
  }
  if (context.optIn !== undefined && context.optIn !== 'double' && context.optIn !== 'single')
    return {ok: false, error: `unknown opt-in ${String(context.optIn)}`};
  const parsed = parseStorefrontRequest(payload.kind, payload.request);
  if (!parsed.ok) return {ok: false, error: parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')};
  return {
    ok: true,
    payload: {version: STOREFRONT_PAYLOAD_VERSION, kind: payload.kind, request: parsed.request, context},
  };
}

/**
 * The canonical event: for the form, a consent update with its evidence, for the same projector path as every other
 * consent; for the checkbox, the claim its order must confirm (the evidence row, found by the inbox event, holds it).
 */
export function storefrontStoreEvent(payload: StorefrontInboxPayload, inboxEventId: number): StoreEvent {
  const email = payload.request.email.toLowerCase();
  if (payload.kind === 'checkout_opt_in') return {kind: 'consent.checkout_claim', email, inboxEventId};
  const given = (payload.request as {first_name?: string}).first_name;
  const firstName = given?.trim();
  return {kind: 'consent.update', email, consent: storefrontConsent(payload), ...(firstName ? {firstName} : {})};
}
