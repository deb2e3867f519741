import {createHash} from 'node:crypto';
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

  /** The evidence follows the person to their new address, so that a GDPR redaction of the new address finds it. */
  async moveAddress(connectionId: string, oldEmail: string, newEmail: string): Promise<void> {
    await this.db
      .updateTable('consent_evidence')
      .set({email: newEmail})
      .where('connection_id', '=', connectionId)
      .where('email', '=', oldEmail)
      .execute();
  }
}

/**
 * Forgets a person's evidence (GDPR redaction), inside the caller's transaction, with the signed orders and checkouts
 * noted by their address for the checkbox's confirmation (storefront/checkout-consent.ts).
 */
export async function deleteConsentEvidence(
  trx: Kysely<Database>,
  connectionId: string,
  email?: string,
): Promise<void> {
  let evidence = trx.deleteFrom('consent_evidence').where('connection_id', '=', connectionId);
  if (email !== undefined) evidence = evidence.where('email', '=', email.toLowerCase());
  await evidence.execute();
  let sightings = trx.deleteFrom('checkout_sightings').where('connection_id', '=', connectionId);
  if (email !== undefined) sightings = sightings.where('email_hash', '=', addressHash(email));
  await sightings.execute();
}

/** How `checkout_sightings` keeps an address: hex SHA-256 of its lower-cased form. */
export function addressHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
