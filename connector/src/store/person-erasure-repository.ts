import {sql, type Expression, type Kysely, type SqlBool} from 'kysely';
import {deleteConsentEvidence} from './consent-evidence-repository.js';
import type {Database} from './schema.js';

/**
 * The SQL of a GDPR redaction (sync/person-erasure.ts decides what names the person; this finds candidates with a
 * LIKE prefilter and erases what it is told to), on the caller's transaction: inbox events, consent evidence, the
 * backfill's working rows, e-mail aliases, sync state, dead letters and the redaction tombstones.
 */
export class PersonErasureRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly connectionId: string,
  ) {}

  /** Addresses the e-commerce customers (Mailchimp ids) had aliases for. */
  async aliasEmails(mailchimpCustomerIds: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('customer_email_aliases')
      .select('email')
      .where('connection_id', '=', this.connectionId)
      .where('customer_id', 'in', mailchimpCustomerIds)
      .execute();
    return rows.map((r) => r.email);
  }

  /** Keeps (or moves later) the tombstone of a subject. */
  async writeTombstone(subject: string, redactedAt: string, now: string): Promise<void> {
    await this.db
      .insertInto('redaction_tombstones')
      .values({connection_id: this.connectionId, subject, redacted_at: redactedAt, created_at: now})
      .onConflict((oc) =>
        oc
          .columns(['connection_id', 'subject'])
          .doUpdateSet({redacted_at: redactedAt})
          .where('redaction_tombstones.redacted_at', '<', redactedAt),
      )
      .execute();
  }

  /** The latest redaction of any of the subjects, if any. */
  async latestRedaction(subjects: string[]): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('redaction_tombstones')
      .select((eb) => eb.fn.max('redacted_at').as('at'))
      .where('connection_id', '=', this.connectionId)
      .where('subject', 'in', subjects)
      .executeTakeFirst();
    return row?.at ?? undefined;
  }

  /** Unredacted inbox events after `after` (by id) whose payload or dedupe key may mention a needle. */
  async inboxEventsMentioning(needles: string[], after: number, limit: number) {
    return this.db
      .selectFrom('inbox_events')
      .select(['id', 'topic', 'payload', 'dedupe_key', 'triggered_at', 'received_at', 'status'])
      .where('connection_id', '=', this.connectionId)
      .where('id', '>', after)
      .where('redacted_at', 'is', null)
      .where(mentionsAny(['payload', 'dedupe_key'], needles))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Replaces an inbox event's payload (and dedupe key) and marks it redacted; `processedAt` marks it done too. */
  async eraseInboxEvent(
    id: number,
    erased: {payload: string; dedupeKey: string; now: string; processedAt?: string},
  ): Promise<void> {
    await this.db
      .updateTable('inbox_events')
      .set({
        payload: erased.payload,
        dedupe_key: erased.dedupeKey,
        redacted_at: erased.now,
        ...(erased.processedAt !== undefined ? {status: 'processed' as const, processed_at: erased.processedAt} : {}),
        error: null,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Erases one inbox event's payload in place and forgets the consent evidence it carried. */
  async eraseInboxPayload(id: number, payload: string, now: string): Promise<void> {
    await this.db.updateTable('inbox_events').set({payload, redacted_at: now}).where('id', '=', id).execute();
    await this.db.deleteFrom('consent_evidence').where('inbox_event_id', '=', id).execute();
  }

  /** Consent evidence of these inbox events. */
  async deleteEvidenceOfInboxEvents(ids: number[]): Promise<void> {
    await this.db
      .deleteFrom('consent_evidence')
      .where('connection_id', '=', this.connectionId)
      .where('inbox_event_id', 'in', ids)
      .execute();
  }

  /** The evidence of an address, with what the storefront keeps by it (consent-evidence-repository.ts). */
  async deleteEvidenceOfEmail(email: string): Promise<void> {
    await deleteConsentEvidence(this.db, this.connectionId, email);
  }

  async deleteSnapshotOf(emails: string[]): Promise<void> {
    await this.db
      .deleteFrom('backfill_member_snapshot')
      .where('connection_id', '=', this.connectionId)
      .where('email', 'in', emails)
      .execute();
  }

  async deleteAliasesOfEmails(emails: string[]): Promise<void> {
    await this.db
      .deleteFrom('customer_email_aliases')
      .where('connection_id', '=', this.connectionId)
      .where('email', 'in', emails)
      .execute();
  }

  async deleteAliasesOfCustomers(mailchimpCustomerIds: string[]): Promise<void> {
    await this.db
      .deleteFrom('customer_email_aliases')
      .where('connection_id', '=', this.connectionId)
      .where('customer_id', 'in', mailchimpCustomerIds)
      .execute();
  }

  async deleteResyncSeen(mailchimpIds: string[]): Promise<void> {
    await this.db
      .deleteFrom('resync_seen')
      .where('connection_id', '=', this.connectionId)
      .where('entity_id', 'in', mailchimpIds)
      .execute();
  }

  /**
   * Sync-state rows, other than of `keptTypes`, whose key, content or error may mention a needle, ordered by
   * (type, id), after `after`.
   */
  async syncStateMentioning(
    needles: string[],
    keptTypes: string[],
    after: {type: string; id: string} | undefined,
    limit: number,
  ) {
    let query = this.db
      .selectFrom('sync_state')
      .select(['entity_type', 'entity_id', 'desired', 'synced_desired', 'synced_hash', 'last_error'])
      .where('connection_id', '=', this.connectionId)
      .where('entity_type', 'not in', keptTypes)
      .where(mentionsAny(['entity_id', 'desired', 'synced_desired', 'last_error'], needles))
      .orderBy('entity_type')
      .orderBy('entity_id')
      .limit(limit);
    if (after) {
      const {type, id} = after;
      query = query.where((eb) =>
        eb.or([eb('entity_type', '>', type), eb.and([eb('entity_type', '=', type), eb('entity_id', '>', id)])]),
      );
    }
    return query.execute();
  }

  async deleteDeadLettersOf(entityType: string, entityIds: string[]): Promise<void> {
    await this.db
      .deleteFrom('dead_letters')
      .where('connection_id', '=', this.connectionId)
      .where('entity_type', '=', entityType)
      .where('entity_id', 'in', entityIds)
      .execute();
  }

  /** Dead letters, other than of `exceptType`, whose entity or problem may mention a needle, after `after` (by id). */
  async deadLettersMentioning(needles: string[], exceptType: string, after: number, limit: number) {
    return this.db
      .selectFrom('dead_letters')
      .select(['id', 'entity_type', 'entity_id', 'problem'])
      .where('connection_id', '=', this.connectionId)
      .where('id', '>', after)
      .where('entity_type', '!=', exceptType)
      .where(mentionsAny(['entity_id', 'problem'], needles))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async deleteDeadLetters(ids: number[]): Promise<void> {
    await this.db.deleteFrom('dead_letters').where('id', 'in', ids).execute();
  }
}

/** `lower(column) LIKE '%needle%'` for any needle: the database's cheap first pass; the rows it finds are confirmed by the caller. */
function mentionsAny(columns: string[], needles: string[]): Expression<SqlBool> {
  const tests = columns.flatMap((column) =>
    needles.map(
      (needle) => sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escapeLike(needle.toLowerCase())}%`} escape '!'`,
    ),
  );
  return tests.length > 0 ? sql<SqlBool>`(${sql.join(tests, sql` or `)})` : sql<SqlBool>`1 = 0`;
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
