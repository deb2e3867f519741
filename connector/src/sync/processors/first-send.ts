import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {UpsertOptions} from '../../mailchimp/api/upsert.js';

/**
 * How to upsert an entity without PUT (product, order, cart), from our own sync state: a record that was never
 * marked synced (no synced hash) names an entity Mailchimp has never held from us, so the create goes first and a
 * new entity costs one request instead of a PATCH answered 404 plus the POST. The belief can be wrong (a re-sync that
 * forgot what was sent, a row handed over by the backfill, another process that created it meanwhile): then the
 * POST answers "already exists" and the PATCH follows, one extra request and never a failure (api/upsert.ts).
 */
export function upsertOrderFor(record: SyncRecord): UpsertOptions {
  return {createFirst: record.synced_hash === null};
}
