import type {Kysely, Selectable} from 'kysely';
import type {BackfillMemberSnapshotTable, Database, ResyncSeenTable} from '../store/schema.js';

export type SnapshotRow = Selectable<BackfillMemberSnapshotTable>;
export type ResyncSeenRow = Selectable<ResyncSeenTable>;

/**
 * The backfill's own working tables: the audience snapshot (`backfill_member_snapshot`, member-snapshot.ts) and what
 * a re-sync found in Mailchimp (`resync_seen`, mailchimp-verify.ts). Both are kept per connection while a run needs
 * them and cleared after.
 */
export class BackfillScratchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores snapshot rows; a row already there for the address takes the new status, last change and tags. */
  async saveSnapshot(rows: SnapshotRow[]): Promise<void> {
    await this.db
      .insertInto('backfill_member_snapshot')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['connection_id', 'email']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          last_changed: eb.ref('excluded.last_changed'),
          tags: eb.ref('excluded.tags'),
        })),
      )
      .execute();
  }

  async snapshotOf(connectionId: string, emails: string[]): Promise<SnapshotRow[]> {
    return this.db
      .selectFrom('backfill_member_snapshot')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('email', 'in', emails)
      .execute();
  }

  async clearSnapshot(connectionId: string): Promise<void> {
    await this.db.deleteFrom('backfill_member_snapshot').where('connection_id', '=', connectionId).execute();
  }

  /** Notes what Mailchimp holds (first seen wins). */
  async saveSeen(rows: ResyncSeenRow[]): Promise<void> {
    await this.db
      .insertInto('resync_seen')
      .values(rows)
      .onConflict((oc) => oc.columns(['connection_id', 'entity_type', 'entity_id']).doNothing())
      .execute();
  }

  /** Mailchimp's fingerprints of the given Mailchimp ids. */
  async seen(connectionId: string, entityType: string, ids: string[]): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('resync_seen')
      .select(['entity_id', 'fingerprint'])
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', entityType)
      .where('entity_id', 'in', ids)
      .execute();
    return new Map(rows.map((s) => [s.entity_id, s.fingerprint]));
  }

  async clearSeen(connectionId: string): Promise<void> {
    await this.db.deleteFrom('resync_seen').where('connection_id', '=', connectionId).execute();
  }
}
