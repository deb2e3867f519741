import {randomUUID} from 'node:crypto';
import type {Kysely} from 'kysely';
import {STOREFRONT_CONSENT_SOURCES, type Consent} from '../model/consent.js';
import type {Connection} from '../store/connections-repository.js';
import {ConsentEvidenceRepository} from '../store/consent-evidence-repository.js';
import {InboxRepository} from '../store/inbox-repository.js';
import type {Database} from '../store/schema.js';
import {consentEvidenceRow, INBOX_TOPIC, storefrontConsent, storefrontInboxPayload, type StorefrontRequestContext} from './storefront-consent.js';
import {storefrontAnswer, type MemberNowLookup} from './storefront-answer.js';
import type {StorefrontKind, StorefrontRequest} from './storefront-request.js';

/**
 * What the widget is told. The request is stored either way; Mailchimp hears of it through the sync a moment later,
 * so the answer is what the connector knows now:
 * - `subscribed`: single opt-in, nothing known against it;
 * - `pending_confirmation`: Mailchimp will send a confirmation e-mail (double opt-in audience, or a person who had
 *   unsubscribed and is only ever asked again, never silently resubscribed);
 * - `already_subscribed`: the person is subscribed already.
 */
export type StorefrontAnswer = 'subscribed' | 'pending_confirmation' | 'already_subscribed';

export interface RecordStorefrontConsentInput {
  connection: Connection;
  kind: StorefrontKind;
  request: StorefrontRequest;
  context: StorefrontRequestContext;
  /** Asks Mailchimp what it holds of the address, so the answer says what the sync will do (storefront-answer.ts). */
  lookup?: MemberNowLookup;
}

export interface RecordStorefrontConsentResult {
  status: StorefrontAnswer;
  inboxEventId: number;
  /** The same submission (request id) was stored before; nothing new was stored. */
  duplicate: boolean;
}

/**
 * Stores a storefront consent durably before anyone is answered: the inbox event (which the inbox processor maps to
 * a `consent.update` and projects like every other consent) and the consent evidence, in one transaction.
 */
export async function recordStorefrontConsent(db: Kysely<Database>, input: RecordStorefrontConsentInput): Promise<RecordStorefrontConsentResult> {
  const {connection, kind, request, context} = input;
  const payload = storefrontInboxPayload(kind, request, context);
  const email = request.email.toLowerCase();
  const known = await knownConsent(db, connection.id, email);
  // Asked while the request is stored; the answer waits for both, the storing never waits for Mailchimp.
  const memberNow = input.lookup ? input.lookup(connection.id, email) : Promise.resolve(undefined);
  const stored = await db.transaction().execute(async (trx) => {
    const appended = await new InboxRepository(trx).append({
      connectionId: connection.id,
      source: 'storefront',
      topic: INBOX_TOPIC[kind],
      // Scoped by kind and address, so a request id can only ever collide with the same person's own retry.
      dedupeKey: `${kind}:${email}:${request.request_id ?? randomUUID()}`,
      triggeredAt: context.receivedAt,
      payload: JSON.stringify(payload),
      receivedAt: context.receivedAt,
    });
    if (!appended.duplicate) await new ConsentEvidenceRepository(trx).insert(consentEvidenceRow(connection.id, appended.id, payload));
    return appended;
  });
  const status = storefrontAnswer(storefrontConsent(payload), known, connection.doubleOptIn, await memberNow);
  return {status, inboxEventId: stored.id, duplicate: stored.duplicate};
}

async function knownConsent(db: Kysely<Database>, connectionId: string, email: string): Promise<Consent | undefined> {
  const row = await db.selectFrom('people').select('consent').where('connection_id', '=', connectionId).where('email', '=', email).executeTakeFirst();
  return row?.consent ? (JSON.parse(row.consent) as Consent) : undefined;
}

/**
 * Pure: the local answer, for what is known of the person and the audience's double opt-in setting. On a double opt-in
 * audience an earlier storefront request is not a confirmation: only a subscription Shopify or Mailchimp reported is.
 */
export function answerFor(known: Consent | undefined, doubleOptIn: boolean): StorefrontAnswer {
  const unconfirmed = doubleOptIn && known !== undefined && STOREFRONT_CONSENT_SOURCES.includes(known.source);
  if (known?.state === 'subscribed' && !unconfirmed) return 'already_subscribed';
  if (doubleOptIn || known?.state === 'pending' || known?.state === 'unsubscribed') return 'pending_confirmation';
  return 'subscribed';
}
