import type {Store} from '../store/database.js';
import {ENTITY} from './entity-types.js';
import {refreshMember} from './member-state.js';
import {projectionContext} from './projector.js';
import {PeopleRepository} from '../store/people-repository.js';
import {SyncStateRepository} from '../store/sync-state-repository.js';

export interface LapsedJobOptions {
  store: Store;
  /** Days without a purchase after which a buyer is lapsed, per connection (its settings, else the default). */
  lapsedAfterDays(connectionId: string): Promise<number>;
  now?: () => Date;
}

/**
 * Tags depend on time as well as on events: a buyer becomes `lapsed` when N days pass without a purchase, with no
 * webhook to say so. This finds people whose lapse instant (last purchase + N days) has passed since their member
 * state was last computed, and recomputes it; the sync worker then sends the tag difference. Idempotent: a second
 * run finds nothing. Returns how many members it refreshed.
 */
export async function refreshLapsedMembers(options: LapsedJobOptions): Promise<number> {
  const {db, engine} = options.store;
  const now = (options.now?.() ?? new Date()).toISOString();
  const lastPurchases = await new PeopleRepository(db, engine).lastPurchases();
  const syncState = new SyncStateRepository(db, engine);
  let refreshed = 0;
  const daysByConnection = new Map<string, number>();
  for (const row of lastPurchases) {
    let days = daysByConnection.get(row.connection_id);
    if (days === undefined) {
      days = await options.lapsedAfterDays(row.connection_id);
      daysByConnection.set(row.connection_id, days);
    }
    const lapsesAt = new Date(Date.parse(row.last_purchase) + days * 86_400_000).toISOString();
    if (lapsesAt > now) continue;
    const member = await syncState.get({
      connectionId: row.connection_id,
      entityType: ENTITY.member,
      entityId: row.email,
    });
    if (member && member.desired_version >= lapsesAt) continue;
    await db.transaction().execute((trx) =>
      refreshMember(projectionContext(trx, engine, {connectionId: row.connection_id, now}), row.email, {
        lapsedCheckAt: lapsesAt,
      }),
    );
    refreshed += 1;
  }
  return refreshed;
}
