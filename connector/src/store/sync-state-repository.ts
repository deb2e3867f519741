import {sql, type ExpressionBuilder, type Kysely, type Selectable} from 'kysely';
import {releaseErasedBytes, type Engine} from './database.js';
import type {Database, DeadLettersTable, SyncLane, SyncStateTable} from './schema.js';
import {contentHash, stableStringify} from '../sync/stable-json.js';

export type SyncRecord = Selectable<SyncStateTable>;
export type DeadLetter = Selectable<DeadLettersTable>;

export interface EntityKey {
  connectionId: string;
  entityType: string;
  entityId: string;
}

export interface DesiredState extends EntityKey {
  /** Canonical JSON to send. */
  desired: string;
  /** Version time of this state (payload `updated_at` or trigger time): an older version never replaces a newer one. */
  version: string;
  hash: string;
  priority?: number;
  now: string;
  /** `backfill` for state the backfill reads from the platform; live events (the default) always take the row. */
  lane?: SyncLane;
}

/** How a claimed row ends its turn (settleClaims). */
export type ClaimSettlement =
  | {key: EntityKey; outcome: 'synced'; sentHash: string; sentDesired: string}
  | {key: EntityKey; outcome: 'live'; reason: string}
  | {key: EntityKey; outcome: 'release'; nextAttemptAt: string};

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

/**
 * Per-entity sync state: the outbox. Each entity has one row holding the newest desired state; bursts for the
 * same entity coalesce into it, unchanged payloads are skipped by hash, and workers claim due rows with a lease
 * (FOR UPDATE SKIP LOCKED on Postgres; SQLite serialises writers) so that no two workers send the same entity.
 */
export class SyncStateRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  async upsertDesired(state: DesiredState, trx: Kysely<Database> = this.db): Promise<UpsertOutcome> {
    const existing = await trx
      .selectFrom('sync_state')
      .select(['desired_version', 'desired_hash', 'synced_hash', 'status', 'lane'])
      .where('connection_id', '=', state.connectionId)
      .where('entity_type', '=', state.entityType)
      .where('entity_id', '=', state.entityId)
      .executeTakeFirst();
    if (existing && existing.desired_version > state.version) return 'stale';
    if (existing && existing.desired_hash === state.hash && existing.status !== 'dead') return 'unchanged';
    const status = existing?.synced_hash === state.hash ? 'synced' : 'pending';
    // Live work takes priority: a live change takes the row into the live lane, and the backfill never takes a
    // row that live work is still waiting to send.
    const liveWaiting =
      existing !== undefined &&
      existing.lane === 'live' &&
      (existing.status === 'pending' || existing.status === 'retry');
    const lane: SyncLane = state.lane === 'backfill' && !liveWaiting ? 'backfill' : 'live';
    // The conditional update keeps newer-wins safe against a concurrent writer between the read and the write.
    await trx
      .insertInto('sync_state')
      .values({
        connection_id: state.connectionId,
        entity_type: state.entityType,
        entity_id: state.entityId,
        desired: state.desired,
        desired_version: state.version,
        desired_hash: state.hash,
        synced_hash: null,
        synced_desired: null,
        status,
        priority: state.priority ?? 0,
        attempts: 0,
        next_attempt_at: state.now,
        last_error: null,
        claimed_by: null,
        claimed_until: null,
        updated_at: state.now,
        synced_at: null,
        lane,
      })
      .onConflict((oc) =>
        oc
          .columns(['connection_id', 'entity_type', 'entity_id'])
          .doUpdateSet({
            desired: state.desired,
            desired_version: state.version,
            desired_hash: state.hash,
            status,
            priority: state.priority ?? 0,
            attempts: 0,
            next_attempt_at: state.now,
            last_error: null,
            updated_at: state.now,
            lane,
          })
          .where('sync_state.desired_version', '<=', state.version),
      )
      .execute();
    return existing ? 'updated' : 'created';
  }

  /**
   * Desires `value` (as canonical JSON, hashed) for the entity: newer-wins by `version`, unchanged content skipped
   * (upsertDesired). Without a priority the row gets 0; without a lane it is live work.
   */
  async desire(
    key: EntityKey,
    value: unknown,
    version: string,
    options: {now: string; priority?: number; lane?: SyncLane},
  ): Promise<UpsertOutcome> {
    const json = stableStringify(value);
    return this.upsertDesired({
      ...key,
      desired: json,
      version,
      hash: contentHash(json),
      priority: options.priority,
      now: options.now,
      lane: options.lane,
    });
  }

  /** The entity's desired state, parsed; undefined when there is no row. */
  async desiredOf<T>(key: EntityKey): Promise<T | undefined> {
    const row = await this.get(key);
    return row ? (JSON.parse(row.desired) as T) : undefined;
  }

  /**
   * Records the entity's current desired state (`desiredHash`, `desired`) as already in Mailchimp: synced without a
   * write, unless the desired state changed meanwhile.
   */
  async acknowledge(key: EntityKey, desiredHash: string, desired: string, now: string): Promise<void> {
    await this.db
      .updateTable('sync_state')
      .set({
        status: 'synced',
        synced_hash: desiredHash,
        synced_desired: desired,
        synced_at: now,
        attempts: 0,
        last_error: null,
        updated_at: now,
      })
      .where(byKey(key))
      .where('desired_hash', '=', desiredHash)
      .execute();
  }

  /** Takes the row out of the worker's queue (status `skipped`): it waits for the operator. */
  async skip(key: EntityKey, now: string): Promise<void> {
    await this.db.updateTable('sync_state').set({status: 'skipped', updated_at: now}).where(byKey(key)).execute();
  }

  /** Drops the entity's row (its state is no longer wanted locally). */
  async remove(key: EntityKey): Promise<void> {
    await this.db.deleteFrom('sync_state').where(byKey(key)).execute();
  }

  /** Drops every row of a connection except those of `keepEntityType`. */
  async removeConnection(connectionId: string, keepEntityType: string): Promise<void> {
    await this.db
      .deleteFrom('sync_state')
      .where('connection_id', '=', connectionId)
      .where('entity_type', '!=', keepEntityType)
      .execute();
  }

  /** Claims up to `limit` due records for `workerId` until `leaseUntil`. Higher priority and older first. */
  async claimDue(
    workerId: string,
    limit: number,
    now: string,
    leaseUntil: string,
    entityTypes?: string[],
    lane: SyncLane = 'live',
    connectionId?: string,
  ): Promise<SyncRecord[]> {
    let candidates = this.db
      .selectFrom('sync_state')
      .select(['connection_id', 'entity_type', 'entity_id'])
      .where('lane', '=', lane)
      .where('status', 'in', ['pending', 'retry'])
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('priority', 'desc')
      .orderBy('next_attempt_at')
      .limit(limit);
    if (entityTypes) candidates = candidates.where('entity_type', 'in', entityTypes);
    if (connectionId) candidates = candidates.where('connection_id', '=', connectionId);
    if (this.engine === 'postgres') candidates = candidates.forUpdate().skipLocked();
    return this.db
      .updateTable('sync_state')
      .set({claimed_by: workerId, claimed_until: leaseUntil})
      .where((eb) =>
        eb(
          eb.refTuple('connection_id', 'entity_type', 'entity_id'),
          'in',
          candidates.$asTuple('connection_id', 'entity_type', 'entity_id'),
        ),
      )
      .returningAll()
      .execute();
  }

  /**
   * Records that Mailchimp accepted `sentHash`. If a newer desired state arrived meanwhile, the record stays
   * pending so that the newer one is sent next.
   */
  async markSynced(
    key: EntityKey,
    workerId: string,
    sentHash: string,
    sentDesired: string,
    now: string,
  ): Promise<void> {
    if (key.entityType === REDACTION_ENTITY) {
      await this.completeRedaction(key, workerId, sentHash, now);
      return;
    }
    await this.db
      .updateTable('sync_state')
      .set({
        synced_hash: sentHash,
        synced_desired: sentDesired,
        status: sql<SyncStateTable['status']>`CASE WHEN desired_hash = ${sentHash} THEN 'synced' ELSE 'pending' END`,
        attempts: 0,
        last_error: null,
        claimed_by: null,
        claimed_until: null,
        synced_at: now,
        updated_at: now,
      })
      .where(byKey(key))
      .where('claimed_by', '=', workerId)
      .execute();
  }

  /**
   * A GDPR redaction Mailchimp has carried out: its record held the address only so that Mailchimp could be told; it
   * keeps nothing of it now (content, hashes, last error, its dead letters), and SQLite's WAL is checkpointed so the
   * file holds no older copy either. A newer redaction of the same person that arrived meanwhile stays pending.
   */
  private async completeRedaction(key: EntityKey, workerId: string, sentHash: string, now: string): Promise<void> {
    const done = await this.db
      .updateTable('sync_state')
      .set({
        desired: ERASED_DESIRED,
        synced_desired: ERASED_DESIRED,
        desired_hash: ERASED_DESIRED_HASH,
        synced_hash: ERASED_DESIRED_HASH,
        status: 'synced',
        attempts: 0,
        last_error: null,
        claimed_by: null,
        claimed_until: null,
        synced_at: now,
        updated_at: now,
      })
      .where(byKey(key))
      .where('claimed_by', '=', workerId)
      .where('desired_hash', '=', sentHash)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) {
      await this.db
        .updateTable('sync_state')
        .set({status: 'pending', attempts: 0, last_error: null, claimed_by: null, claimed_until: null, updated_at: now})
        .where(byKey(key))
        .where('claimed_by', '=', workerId)
        .execute();
      return;
    }
    await this.db
      .deleteFrom('dead_letters')
      .where('connection_id', '=', key.connectionId)
      .where('entity_type', '=', key.entityType)
      .where('entity_id', '=', key.entityId)
      .execute();
    await releaseErasedBytes(this.db, this.engine);
  }

  async markRetry(key: EntityKey, workerId: string, error: string, nextAttemptAt: string, now: string): Promise<void> {
    await this.db
      .updateTable('sync_state')
      .set((eb) => ({
        status: 'retry',
        attempts: eb('attempts', '+', 1),
        last_error: error.slice(0, 2000),
        next_attempt_at: nextAttemptAt,
        claimed_by: null,
        claimed_until: null,
        updated_at: now,
      }))
      .where(byKey(key))
      .where('claimed_by', '=', workerId)
      .execute();
  }

  /** Terminal failure: the record leaves the queue and a dead letter keeps the problem for the operator. */
  async markDead(key: EntityKey, workerId: string, problem: string, now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('sync_state')
        .set((eb) => ({
          status: 'dead',
          attempts: eb('attempts', '+', 1),
          last_error: problem.slice(0, 2000),
          claimed_by: null,
          claimed_until: null,
          updated_at: now,
        }))
        .where(byKey(key))
        .where('claimed_by', '=', workerId)
        .returning('desired_hash')
        .executeTakeFirst();
      if (!row) return;
      await trx
        .insertInto('dead_letters')
        .values({
          connection_id: key.connectionId,
          entity_type: key.entityType,
          entity_id: key.entityId,
          desired_hash: row.desired_hash,
          problem,
          created_at: now,
          resolved_at: null,
          resolution: null,
        })
        .execute();
    });
  }

  /**
   * Hands a claimed backfill row to the live worker, due now: used for what a single batch operation cannot do
   * (placeholders, an e-mail alias, a stale campaign) and for operations the batch reported as failed, which the
   * live processors know how to repair or dead-letter.
   */
  async moveToLive(key: EntityKey, workerId: string, reason: string, now: string): Promise<void> {
    await this.db
      .updateTable('sync_state')
      .set({
        lane: 'live',
        status: sql<SyncStateTable['status']>`CASE WHEN status = 'synced' THEN 'synced' ELSE 'retry' END`,
        last_error: reason.slice(0, 2000),
        next_attempt_at: now,
        claimed_by: null,
        claimed_until: null,
        updated_at: now,
      })
      .where(byKey(key))
      .where('claimed_by', '=', workerId)
      .execute();
  }

  /** Rows of a connection still waiting in the backfill lane, by entity type. */
  async backlog(connectionId: string, entityTypes?: string[]): Promise<number> {
    let q = this.db
      .selectFrom('sync_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', connectionId)
      .where('lane', '=', 'backfill')
      .where('status', 'in', ['pending', 'retry']);
    if (entityTypes) q = q.where('entity_type', 'in', entityTypes);
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Takes back the backfill lane's claims of a connection (of a process that died with batches in flight). */
  async releaseBackfillClaims(connectionId: string): Promise<void> {
    await this.db
      .updateTable('sync_state')
      .set({claimed_by: null, claimed_until: null})
      .where('connection_id', '=', connectionId)
      .where('lane', '=', 'backfill')
      .where('claimed_by', 'is not', null)
      .execute();
  }

  /** Rows of a connection waiting in the live lane, of the given types, last changed at or before `cutoff`. */
  async liveBacklogSince(connectionId: string, entityTypes: string[], cutoff: string): Promise<number> {
    const row = await this.db
      .selectFrom('sync_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', connectionId)
      .where('lane', '=', 'live')
      .where('status', 'in', ['pending', 'retry'])
      .where('entity_type', 'in', entityTypes)
      .where('updated_at', '<=', cutoff)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Dead letters of a connection created at or after `since`. */
  async deadLettersSince(connectionId: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('dead_letters')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', connectionId)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** A page of a connection's synced rows of one type, by entity id after `after`. */
  async syncedPage(
    connectionId: string,
    entityType: string,
    after: string,
    limit: number,
  ): Promise<Array<{entity_id: string; desired: string}>> {
    return this.db
      .selectFrom('sync_state')
      .select(['entity_id', 'desired'])
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', entityType)
      .where('status', '=', 'synced')
      .where('entity_id', '>', after)
      .orderBy('entity_id')
      .limit(limit)
      .execute();
  }

  /**
   * Queues the rows again (pending, due now, in `lane`), e.g. what a re-sync found missing or different in Mailchimp;
   * `forget: true` also forgets what was sent (so the content is sent even if unchanged).
   */
  async requeue(
    connectionId: string,
    entityType: string,
    ids: string[],
    change: {forget?: boolean; lane: SyncLane; now: string},
  ): Promise<void> {
    await this.db
      .updateTable('sync_state')
      .set({
        ...(change.forget ? {synced_hash: null, synced_desired: null} : {}),
        status: sql<SyncStateTable['status']>`'pending'`,
        lane: change.lane,
        attempts: 0,
        next_attempt_at: change.now,
        updated_at: change.now,
        last_error: null,
      })
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', entityType)
      .where('entity_id', 'in', ids)
      .execute();
  }

  /**
   * The heartbeat of a worker's lease: extends to `leaseUntil` the claims that `workerId` still holds on these records
   * (one UPDATE for all of them). A record another worker has claimed meanwhile (`claimed_by` changed) or that was
   * finished is left alone. Returns how many claims were extended.
   */
  async renewClaims(workerId: string, keys: EntityKey[], leaseUntil: string): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await this.db
      .updateTable('sync_state')
      .set({claimed_until: leaseUntil})
      .where('claimed_by', '=', workerId)
      .where((eb) => eb.or(keys.map((key) => byKey(key)(eb))))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * A connection's live records that wait (pending or retry, unclaimed) become due now, attempts untouched: after
   * Mailchimp is connected again (install/mailchimp-connect-routes.ts), the queue kept meanwhile drains at once
   * instead of after the waits the worker gave it while the connection could not sync.
   */
  async resumeConnection(connectionId: string, now: string): Promise<number> {
    const result = await this.db
      .updateTable('sync_state')
      .set({next_attempt_at: now})
      .where('connection_id', '=', connectionId)
      .where('lane', '=', 'live')
      .where('status', 'in', ['pending', 'retry'])
      .where('next_attempt_at', '>', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Settles many claimed rows in one transaction (synced, handed to the live worker, or released): what a batch's
   * results decide. On SQLite one transaction takes the single connection once instead of once per row, so a
   * batch's 500 results do not queue 500 times behind the backfill's reading. Redactions (which checkpoint the
   * database) never travel in batches and are refused here.
   */
  async settleClaims(workerId: string, settlements: readonly ClaimSettlement[], now: string): Promise<void> {
    if (settlements.length === 0) return;
    if (settlements.some((s) => s.key.entityType === REDACTION_ENTITY))
      throw new Error('redactions are settled one by one (markSynced)');
    await this.db.transaction().execute(async (trx) => {
      const repo = new SyncStateRepository(trx, this.engine);
      for (const s of settlements) {
        if (s.outcome === 'synced') await repo.markSynced(s.key, workerId, s.sentHash, s.sentDesired, now);
        else if (s.outcome === 'live') await repo.moveToLive(s.key, workerId, s.reason, now);
        else await repo.release(s.key, workerId, s.nextAttemptAt);
      }
    });
  }

  /** Releases a claim without counting an attempt (e.g. waiting for a dependency). */
  async release(key: EntityKey, workerId: string, nextAttemptAt: string): Promise<void> {
    await this.db
      .updateTable('sync_state')
      .set({claimed_by: null, claimed_until: null, next_attempt_at: nextAttemptAt})
      .where(byKey(key))
      .where('claimed_by', '=', workerId)
      .execute();
  }

  async get(key: EntityKey): Promise<SyncRecord | undefined> {
    return this.db.selectFrom('sync_state').selectAll().where(byKey(key)).executeTakeFirst();
  }

  /**
   * The earliest next attempt among live records still to send for syncable connections (connections-repository.ts
   * isSyncable: active, Mailchimp connected, an audience chosen), if any.
   */
  async nextDueForActiveConnections(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sync_state')
      .innerJoin('connections', 'connections.id', 'sync_state.connection_id')
      .select((eb) => eb.fn.min('sync_state.next_attempt_at').as('next'))
      .where('sync_state.status', 'in', ['pending', 'retry'])
      .where('sync_state.lane', '=', 'live')
      .where('connections.status', '=', 'active')
      .where((eb) =>
        eb.or([eb('connections.mailchimp_status', 'is', null), eb('connections.mailchimp_status', '=', 'connected')]),
      )
      .where('connections.mailchimp_list_id', 'is not', null)
      .executeTakeFirst();
    return row?.next ?? undefined;
  }

  /** The newest records that hold an error. */
  async lastErrors(
    limit: number,
  ): Promise<
    Array<Pick<SyncRecord, 'entity_type' | 'entity_id' | 'status' | 'attempts' | 'last_error' | 'updated_at'>>
  > {
    return this.db
      .selectFrom('sync_state')
      .select(['entity_type', 'entity_id', 'status', 'attempts', 'last_error', 'updated_at'])
      .where('last_error', 'is not', null)
      .orderBy('updated_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** The newest dead letters (only unresolved ones unless `includeResolved`). */
  async deadLetters(options: {includeResolved: boolean; limit: number}): Promise<DeadLetter[]> {
    let query = this.db.selectFrom('dead_letters').selectAll().orderBy('id', 'desc').limit(options.limit);
    if (!options.includeResolved) query = query.where('resolved_at', 'is', null);
    return query.execute();
  }

  async deadLetter(id: number): Promise<DeadLetter | undefined> {
    return this.db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Resolves a dead letter as discarded: its record stays dead. */
  async discardDeadLetter(letter: DeadLetter, now: string): Promise<void> {
    await this.resolveDeadLetter(letter, 'discarded', now);
  }

  /** Resolves a dead letter as retried: its record, if still dead, is due again now with a fresh attempt count. */
  async retryDeadLetter(letter: DeadLetter, now: string): Promise<void> {
    await this.resolveDeadLetter(letter, 'retried', now);
  }

  private async resolveDeadLetter(letter: DeadLetter, resolution: 'retried' | 'discarded', now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('dead_letters').set({resolved_at: now, resolution}).where('id', '=', letter.id).execute();
      if (resolution === 'retried') {
        await trx
          .updateTable('sync_state')
          .set({status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, updated_at: now})
          .where('connection_id', '=', letter.connection_id)
          .where('entity_type', '=', letter.entity_type)
          .where('entity_id', '=', letter.entity_id)
          .where('status', '=', 'dead')
          .execute();
      }
    });
  }

  async countsByTypeAndStatus(): Promise<Array<{entity_type: string; status: string; n: number}>> {
    const rows = await this.db
      .selectFrom('sync_state')
      .select(['entity_type', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['entity_type', 'status'])
      .execute();
    return rows.map((r) => ({...r, n: Number(r.n)}));
  }

  /** One connection's records by status (pending, retry, synced, dead, …): the shop's page. */
  async countsByStatusOf(connectionId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('sync_state')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('connection_id', '=', connectionId)
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async oldestPending(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sync_state')
      .select((eb) => eb.fn.min('updated_at').as('oldest'))
      .where('status', 'in', ['pending', 'retry'])
      .executeTakeFirst();
    return row?.oldest ?? undefined;
  }
}

/** The desired state (JSON) of these entities of one type, as stored; those without a row are left out. */
export async function desiredOfEntities(
  db: Kysely<Database>,
  connectionId: string,
  entityType: string,
  ids: string[],
): Promise<Array<{entity_id: string; desired: string}>> {
  return db
    .selectFrom('sync_state')
    .select(['entity_id', 'desired'])
    .where('connection_id', '=', connectionId)
    .where('entity_type', '=', entityType)
    .where('entity_id', 'in', ids)
    .execute();
}

/** The desired state (JSON) of every entity of one type of a connection. */
export async function desiredOfType(
  db: Kysely<Database>,
  connectionId: string,
  entityType: string,
): Promise<Array<{entity_id: string; desired: string}>> {
  return db
    .selectFrom('sync_state')
    .select(['entity_id', 'desired'])
    .where('connection_id', '=', connectionId)
    .where('entity_type', '=', entityType)
    .execute();
}

/** The newest `skipped` records of one type (they wait for the operator), with their shop, of one shop if given. */
export async function skippedRecords(
  db: Kysely<Database>,
  entityType: string,
  options: {shop?: string; limit: number},
): Promise<Array<{shop_domain: string; desired: string; updated_at: string}>> {
  let query = db
    .selectFrom('sync_state')
    .innerJoin('connections', 'connections.id', 'sync_state.connection_id')
    .select(['connections.shop_domain', 'sync_state.desired', 'sync_state.updated_at'])
    .where('sync_state.entity_type', '=', entityType)
    .where('sync_state.status', '=', 'skipped')
    .orderBy('sync_state.updated_at', 'desc')
    .limit(options.limit);
  if (options.shop !== undefined) query = query.where('connections.shop_domain', '=', options.shop);
  return query.execute();
}

/** The GDPR redaction's entity type (sync/entity-types.ts), whose record is scrubbed once Mailchimp has done it. */
const REDACTION_ENTITY = 'redaction';
const ERASED_DESIRED = '{"redacted":true}';
/** Not the hash of any content: a later redaction of the same person always differs from it, so it is sent. */
const ERASED_DESIRED_HASH = 'erased';

function byKey(key: EntityKey) {
  return (eb: ExpressionBuilder<Database, 'sync_state'>) =>
    eb.and([
      eb('connection_id', '=', key.connectionId),
      eb('entity_type', '=', key.entityType),
      eb('entity_id', '=', key.entityId),
    ]);
}
