import {randomUUID} from 'node:crypto';
import type {Kysely} from 'kysely';
import type {Connection} from '../store/connections-repository.js';
import {ConsentEvidenceRepository} from '../store/consent-evidence-repository.js';
import {appendToInbox} from '../ingest/intake.js';
import {InboxRepository} from '../store/inbox-repository.js';
import type {Database} from '../store/schema.js';
import {
  consentEvidenceRow,
  INBOX_TOPIC,
  storefrontInboxPayload,
  type StorefrontRequestContext,
} from './storefront-consent.js';
import {formOptIn, storefrontAnswer, type StorefrontAnswer} from './storefront-answer.js';
import type {StorefrontKind, StorefrontRequest} from './storefront-request.js';

/** How long a ticked checkout box waits for its order by default (STOREFRONT_CONSENT_CONFIRM_HOURS). */
export const DEFAULT_CONFIRM_WINDOW_MS = 24 * 3_600_000;

export interface RecordStorefrontConsentInput {
  connection: Connection;
  kind: StorefrontKind;
  request: StorefrontRequest;
  /** What the server saw (time, IP, user agent); the form's opt-in is added from the shop's settings. */
  context: Omit<StorefrontRequestContext, 'optIn'>;
  /** The checkbox: how long before and after the tick a signed order or checkout confirms it. */
  confirmWindowMs?: number;
}

export interface RecordStorefrontConsentResult {
  status: StorefrontAnswer;
  inboxEventId: number;
  /** The same submission (request id) was stored before; nothing new was stored. */
  duplicate: boolean;
}

/**
 * Stores a storefront consent durably before anyone is answered: the inbox event (which the inbox processor maps to
 * a `consent.update` for the form, a checkout claim for the checkbox) and the consent evidence, in one transaction.
 * The checkbox's evidence waits for its order (`awaiting_order` until `confirm_until`; checkout-consent.ts).
 */
export async function recordStorefrontConsent(
  db: Kysely<Database>,
  input: RecordStorefrontConsentInput,
): Promise<RecordStorefrontConsentResult> {
  const {connection, kind, request} = input;
  const context: StorefrontRequestContext =
    kind === 'subscribe' ? {...input.context, optIn: formOptIn(connection)} : input.context;
  const payload = storefrontInboxPayload(kind, request, context);
  const email = request.email.toLowerCase();
  const windowMs = input.confirmWindowMs ?? DEFAULT_CONFIRM_WINDOW_MS;
  const stored = await db.transaction().execute(async (trx) => {
    const appended = await appendToInbox(new InboxRepository(trx), {
      connectionId: connection.id,
      source: 'storefront',
      topic: INBOX_TOPIC[kind],
      // Scoped by kind and address, so a request id can only ever collide with the same person's own retry.
      dedupeKey: `${kind}:${email}:${request.request_id ?? randomUUID()}`,
      triggeredAt: context.receivedAt,
      payload: JSON.stringify(payload),
      receivedAt: context.receivedAt,
    });
    if (!appended.duplicate) {
      const row = consentEvidenceRow(connection.id, appended.id, payload);
      const awaiting =
        kind === 'checkout_opt_in'
          ? {
              confirmation: 'awaiting_order' as const,
              confirm_until: new Date(Date.parse(context.receivedAt) + windowMs).toISOString(),
            }
          : {};
      await new ConsentEvidenceRepository(trx).insert({...row, ...awaiting});
    }
    return appended;
  });
  return {status: storefrontAnswer(kind, connection), inboxEventId: stored.id, duplicate: stored.duplicate};
}
