import {createHash} from 'node:crypto';
import {sql, type Insertable, type Kysely, type Selectable} from 'kysely';
import type {Engine} from './database.js';
import type {CheckoutSightingsTable, ConsentEvidenceTable, Database} from './schema.js';

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

  /** Forgets every evidence row and sighting of a connection (shop redaction). */
  async forgetConnection(connectionId: string): Promise<void> {
    await deleteConsentEvidence(this.db, connectionId);
  }

  /** The evidence an inbox event carried (a storefront checkbox claim). */
  async byInboxEvent(connectionId: string, inboxEventId: number): Promise<ConsentEvidenceRow | undefined> {
    return this.db
      .selectFrom('consent_evidence')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('inbox_event_id', '=', inboxEventId)
      .executeTakeFirst();
  }

  /** An address's claims waiting for a signed order or checkout, oldest first. */
  async awaitingOrder(connectionId: string, email: string): Promise<ConsentEvidenceRow[]> {
    return this.db
      .selectFrom('consent_evidence')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('email', '=', email)
      .where('confirmation', '=', 'awaiting_order')
      .orderBy('id')
      .execute();
  }

  /** A claim waits for a signed order or checkout until `confirmUntil`. */
  async awaitOrder(id: number, confirmUntil: string): Promise<void> {
    await this.db
      .updateTable('consent_evidence')
      .set({confirmation: 'awaiting_order', confirm_until: confirmUntil})
      .where('id', '=', id)
      .execute();
  }

  /** A claim confirmed by a signed order or checkout. */
  async markConfirmed(id: number, by: {type: 'order' | 'checkout'; id: string}, now: string): Promise<void> {
    await this.db
      .updateTable('consent_evidence')
      .set({confirmation: 'confirmed', confirmed_by_type: by.type, confirmed_by_id: by.id, confirmed_at: now})
      .where('id', '=', id)
      .execute();
  }

  async markExpired(ids: number[]): Promise<void> {
    if (ids.length > 0)
      await this.db.updateTable('consent_evidence').set({confirmation: 'expired'}).where('id', 'in', ids).execute();
  }

  /** Notes a signed order or checkout for an address (hashed); noting it twice changes nothing. */
  async noteSighting(sighting: Selectable<CheckoutSightingsTable>): Promise<void> {
    await this.db
      .insertInto('checkout_sightings')
      .values(sighting)
      .onConflict((oc) => oc.columns(['connection_id', 'type', 'entity_id', 'email_hash']).doNothing())
      .execute();
  }

  /** The signed orders and checkouts noted for an address, oldest first. */
  async sightingsOf(
    connectionId: string,
    email: string,
  ): Promise<Array<Pick<Selectable<CheckoutSightingsTable>, 'type' | 'entity_id' | 'seen_at'>>> {
    return this.db
      .selectFrom('checkout_sightings')
      .select(['type', 'entity_id', 'seen_at'])
      .where('connection_id', '=', connectionId)
      .where('email_hash', '=', addressHash(email))
      .orderBy('seen_at')
      .execute();
  }

  /**
   * Expires the claims whose window closed before `now` and forgets sightings older than `sightingsBefore`; returns
   * how many claims expired.
   */
  async expireDue(now: string, sightingsBefore: string): Promise<number> {
    const result = await this.db
      .updateTable('consent_evidence')
      .set({confirmation: 'expired'})
      .where('confirmation', '=', 'awaiting_order')
      .where('confirm_until', '<', now)
      .executeTakeFirst();
    await this.db.deleteFrom('checkout_sightings').where('seen_at', '<', sightingsBefore).execute();
    return Number(result.numUpdatedRows);
  }

  /** One address's checkbox confirmation at a time across processes (Postgres); SQLite has a single writer anyway. */
  async lockAddress(engine: Engine, connectionId: string, email: string): Promise<void> {
    if (engine !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(hashtextextended(${`checkout-consent:${connectionId}:${email}`}, 0))`.execute(
      this.db,
    );
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
