import type {Insertable, Kysely, Selectable} from 'kysely';
import type {ConsentEvidenceTable, Database} from './schema.js';

export type ConsentEvidenceRow = Selectable<ConsentEvidenceTable>;
export type NewConsentEvidence = Omit<Insertable<ConsentEvidenceTable>, 'id'>;

/**
 * Consent evidence from the storefront: what a person agreed to, when and from where. Written in the same
 * transaction as the inbox event that carries the request to Mailchimp; deleted with the person (GDPR redaction).
 */
export class ConsentEvidenceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(evidence: NewConsentEvidence): Promise<number> {
    const row = await this.db
      .insertInto('consent_evidence')
      .values({...evidence, email: evidence.email.toLowerCase()})
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** A person's evidence, oldest first. */
  async forEmail(connectionId: string, email: string): Promise<ConsentEvidenceRow[]> {
    return this.db
      .selectFrom('consent_evidence')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('email', '=', email.toLowerCase())
      .orderBy('id')
      .execute();
  }
}

/** Forgets a person's evidence (GDPR redaction), inside the caller's transaction. */
export async function deleteConsentEvidence(trx: Kysely<Database>, connectionId: string, email?: string): Promise<void> {
  let query = trx.deleteFrom('consent_evidence').where('connection_id', '=', connectionId);
  if (email !== undefined) query = query.where('email', '=', email.toLowerCase());
  await query.execute();
}
