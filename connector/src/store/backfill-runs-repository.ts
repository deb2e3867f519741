import type {Insertable, Kysely, Selectable} from 'kysely';
import type {BackfillRunsTable, Database} from './schema.js';

export type BackfillRunRow = Selectable<BackfillRunsTable>;

/**
 * Backfill runs (`backfill_runs`): one row per run with its phase, reading position, progress and the lease of the
 * process driving it. Built on the database or on the caller's transaction.
 */
export class BackfillRunsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(run: Insertable<BackfillRunsTable>): Promise<void> {
    await this.db.insertInto('backfill_runs').values(run).execute();
  }

  async get(id: string): Promise<BackfillRunRow> {
    return this.db.selectFrom('backfill_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  /** The connection's newest run still running or failed. */
  async unfinished(connectionId: string): Promise<BackfillRunRow | undefined> {
    return this.db
      .selectFrom('backfill_runs')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('status', 'in', ['running', 'failed'])
      .orderBy('started_at', 'desc')
      .executeTakeFirst();
  }

  /** The connection's newest completed run of a kind (the initial sync already done). */
  async lastCompleted(connectionId: string, kind: BackfillRunRow['kind']): Promise<BackfillRunRow | undefined> {
    return this.db
      .selectFrom('backfill_runs')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('kind', '=', kind)
      .where('status', '=', 'completed')
      .orderBy('finished_at', 'desc')
      .executeTakeFirst();
  }

  /** The connection's newest run, whatever its status. */
  async newestOf(connectionId: string): Promise<BackfillRunRow | undefined> {
    return this.db
      .selectFrom('backfill_runs')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .orderBy('started_at', 'desc')
      .executeTakeFirst();
  }

  /** Ids of running runs whose lease lapsed (their process died). */
  async abandoned(now: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('backfill_runs')
      .select('id')
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .execute();
    return rows.map((r) => r.id);
  }

  /** Ids of the newest runs, newest first. */
  async newest(limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('backfill_runs')
      .select('id')
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A failed or interrupted run runs again. */
  async resume(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('backfill_runs')
      .set({status: 'running', error: null, updated_at: now})
      .where('id', '=', id)
      .execute();
  }

  /** Takes the run's lease for `owner` unless another process holds it; true when taken. */
  async takeLease(id: string, owner: string, leaseUntil: string, now: string): Promise<boolean> {
    const taken = await this.db
      .updateTable('backfill_runs')
      .set({owner, lease_until: leaseUntil, updated_at: now})
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('owner', 'is', null),
          eb('owner', '=', owner),
          eb('lease_until', 'is', null),
          eb('lease_until', '<', now),
        ]),
      )
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) > 0;
  }

  /** Extends the lease `owner` holds. */
  async renewLease(id: string, owner: string, leaseUntil: string): Promise<void> {
    await this.db
      .updateTable('backfill_runs')
      .set({lease_until: leaseUntil})
      .where('id', '=', id)
      .where('owner', '=', owner)
      .execute();
  }

  /** Releases the lease `owner` holds; the run stays as it is. */
  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db
      .updateTable('backfill_runs')
      .set({owner: null, lease_until: null})
      .where('id', '=', id)
      .where('owner', '=', owner)
      .execute();
  }

  async fail(id: string, error: string, now: string): Promise<void> {
    await this.db
      .updateTable('backfill_runs')
      .set({status: 'failed', error, owner: null, lease_until: null, updated_at: now})
      .where('id', '=', id)
      .execute();
  }

  /** Moves the run to its next phase, reading from the start. */
  async advance(id: string, phase: string, now: string): Promise<void> {
    await this.db
      .updateTable('backfill_runs')
      .set({phase, position: '{}', updated_at: now})
      .where('id', '=', id)
      .execute();
  }

  async complete(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('backfill_runs')
      .set({status: 'completed', finished_at: now, owner: null, lease_until: null, updated_at: now})
      .where('id', '=', id)
      .execute();
  }

  /** Where reading stopped (JSON). */
  async position(id: string): Promise<string> {
    const row = await this.db
      .selectFrom('backfill_runs')
      .select(['position'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.position;
  }

  /** The run's progress (JSON). */
  async progress(id: string): Promise<string> {
    const row = await this.db
      .selectFrom('backfill_runs')
      .select('progress')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.progress;
  }

  /**
   * Reads the run's progress and writes what `change` makes of it (with the position, when given). Read and write
   * are atomic only in a transaction: call it on one.
   */
  async changeProgress(
    id: string,
    change: (progress: string) => {progress: string; position?: string; updatedAt: string},
  ): Promise<void> {
    const next = change(await this.progress(id));
    await this.db
      .updateTable('backfill_runs')
      .set({
        ...(next.position !== undefined ? {position: next.position} : {}),
        progress: next.progress,
        updated_at: next.updatedAt,
      })
      .where('id', '=', id)
      .execute();
  }
}
