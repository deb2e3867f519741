import type {Kysely, Selectable} from 'kysely';
import type {Engine} from './database.js';
import type {Database, InboxEventsTable} from './schema.js';

/** A stored event; `redacted_at` is set once a GDPR redaction erased its payload (optional for events built in code). */
export type InboxEvent = Omit<Selectable<InboxEventsTable>, 'redacted_at'> & {redacted_at?: string | null};

export interface NewInboxEvent {
  connectionId: string;
  source: InboxEventsTable['source'];
  topic: string;
  dedupeKey: string;
  triggeredAt?: string;
  payload: string;
  receivedAt: string;
}

/** One event's place in the inbox; `duplicate`: the inbox held it already (a retried delivery), nothing was stored. */
export interface Appended {
  id: number;
  duplicate: boolean;
}

export interface InboxRepositoryOptions {
  /**
   * Group commit: appends that arrive while the previous group is being written (or in the same turn of the event
   * loop) are written together, in one statement and so one commit; each caller's promise resolves only after the
   * commit that holds its event. For the request paths (the connector's own inbox); not for a repository over a
   * caller's transaction.
   */
  groupCommit?: boolean;
}

/** Events written in one statement at most (9 bound values each: well under SQLite's and Postgres' limits). */
export const INBOX_GROUP_MAX = 500;

/** The identity an event is deduplicated by. */
const dedupeIdentity = (e: {connectionId: string; source: string; dedupeKey: string}) =>
  `${e.connectionId}\u0000${e.source}\u0000${e.dedupeKey}`;

/**
 * The durable inbox: every accepted event is written here before the sender gets a 2xx. A repeated delivery
 * (same connection, source and dedupe key) is recognised and has no second effect.
 */
export class InboxRepository {
  private readonly group: GroupCommit | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    options: InboxRepositoryOptions = {},
  ) {
    this.group = options.groupCommit ? new GroupCommit((events) => this.write(events)) : undefined;
  }

  /** Appends one event (with group commit: in the next group); resolves once it is committed. */
  async append(event: NewInboxEvent): Promise<Appended> {
    return this.group ? this.group.add([event]).then((stored) => stored[0]!) : (await this.write([event]))[0]!;
  }

  /**
   * Appends several events in order, as appending them one after the other would (a repeat of an earlier one in
   * the list is a duplicate of it); all of them in one group with group commit.
   */
  async appendAll(events: readonly NewInboxEvent[]): Promise<Appended[]> {
    if (events.length === 0) return [];
    if (this.group) return this.group.add(events);
    const stored: Appended[] = [];
    for (let i = 0; i < events.length; i += INBOX_GROUP_MAX)
      stored.push(...(await this.write(events.slice(i, i + INBOX_GROUP_MAX))));
    return stored;
  }

  /** Resolves when no group is waiting or being written (before the database is closed). */
  async settled(): Promise<void> {
    await this.group?.settled();
  }

  /**
   * Writes events with one INSERT … ON CONFLICT DO NOTHING (one commit outside a transaction). Within the list the
   * first event of a dedupe identity is the one inserted, later ones are its duplicates; identities the table held
   * already are read back (duplicates: the retried delivery's id).
   */
  private async write(events: readonly NewInboxEvent[]): Promise<Appended[]> {
    const first = new Map<string, NewInboxEvent>();
    for (const event of events) if (!first.has(dedupeIdentity(event))) first.set(dedupeIdentity(event), event);
    const unique = [...first.values()];
    const inserted = await this.db
      .insertInto('inbox_events')
      .values(
        unique.map((event) => ({
          connection_id: event.connectionId,
          source: event.source,
          topic: event.topic,
          dedupe_key: event.dedupeKey,
          received_at: event.receivedAt,
          triggered_at: event.triggeredAt ?? null,
          payload: event.payload,
          status: 'pending' as const,
          attempts: 0,
        })),
      )
      .onConflict((oc) => oc.columns(['connection_id', 'source', 'dedupe_key']).doNothing())
      .returning(['id', 'connection_id', 'source', 'dedupe_key'])
      .execute();
    const ids = new Map<string, number>();
    const fresh = new Set<string>();
    for (const row of inserted) {
      const identity = dedupeIdentity({connectionId: row.connection_id, source: row.source, dedupeKey: row.dedupe_key});
      ids.set(identity, Number(row.id));
      fresh.add(identity);
    }
    const held = unique.filter((event) => !ids.has(dedupeIdentity(event)));
    if (held.length > 0) {
      const rows = await this.db
        .selectFrom('inbox_events')
        .select(['id', 'connection_id', 'source', 'dedupe_key'])
        .where((eb) =>
          eb.or(
            held.map((event) =>
              eb.and([
                eb('connection_id', '=', event.connectionId),
                eb('source', '=', event.source),
                eb('dedupe_key', '=', event.dedupeKey),
              ]),
            ),
          ),
        )
        .execute();
      for (const row of rows)
        ids.set(
          dedupeIdentity({connectionId: row.connection_id, source: row.source, dedupeKey: row.dedupe_key}),
          Number(row.id),
        );
    }
    return events.map((event) => {
      const identity = dedupeIdentity(event);
      const id = ids.get(identity);
      if (id === undefined)
        throw new Error(`inbox event ${event.source}/${event.dedupeKey} was neither stored nor found`);
      // Only the first occurrence of an identity this write stored is new; every other one is a duplicate.
      const isNew = fresh.delete(identity);
      return {id, duplicate: !isNew};
    });
  }

  /** Oldest pending events first, so that a process that died mid-queue resumes in order. */
  async pending(limit: number): Promise<InboxEvent[]> {
    return this.db
      .selectFrom('inbox_events')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async get(id: number): Promise<InboxEvent | undefined> {
    return this.db.selectFrom('inbox_events').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('inbox_events')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}

/**
 * Takes a pending inbox event for processing, inside the caller's transaction: true when it is still pending and no
 * other process is processing it. On Postgres the row stays locked until the transaction ends (FOR UPDATE SKIP
 * LOCKED), so several worker processes share the inbox instead of each projecting every event; on SQLite writers
 * are serialised anyway and the status check alone skips an event another process has finished.
 */
export async function takePendingInboxEvent(trx: Kysely<Database>, engine: Engine, id: number): Promise<boolean> {
  let query = trx.selectFrom('inbox_events').select('id').where('id', '=', id).where('status', '=', 'pending');
  if (engine === 'postgres') query = query.forUpdate().skipLocked();
  return (await query.executeTakeFirst()) !== undefined;
}

/** Marks an inbox event done inside the caller's transaction (together with the sync state it produced). */
export async function markInboxProcessed(trx: Kysely<Database>, id: number, at: string): Promise<void> {
  await trx
    .updateTable('inbox_events')
    .set({status: 'processed', processed_at: at, error: null})
    .where('id', '=', id)
    .execute();
}

export async function markInboxFailed(trx: Kysely<Database>, id: number, at: string, error: string): Promise<void> {
  await trx
    .updateTable('inbox_events')
    .set((eb) => ({status: 'failed', processed_at: at, error, attempts: eb('attempts', '+', 1)}))
    .where('id', '=', id)
    .execute();
}

/** Puts a stored event back in the queue (operator replay); never one a GDPR redaction erased. */
export async function requeueInboxEvent(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db
    .updateTable('inbox_events')
    .set({status: 'pending', error: null})
    .where('id', '=', id)
    .where('redacted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Group commit for InboxRepository: callers' events queue; while nothing is being written, the queue is written at
 * the end of the current turn of the event loop (setImmediate: every request whose body arrived in that turn joins);
 * while a group is being written, arrivals wait and go together in the next one (Postgres: one commit's round trip
 * per group instead of per request). A group that fails is written again event by event (a request's own batch
 * together), so one bad event fails only its own request.
 */
class GroupCommit {
  private queue: Array<{
    events: readonly NewInboxEvent[];
    resolve(stored: Appended[]): void;
    reject(err: unknown): void;
  }> = [];
  private scheduled = false;
  private writing: Promise<void> | undefined;

  constructor(private readonly write: (events: readonly NewInboxEvent[]) => Promise<Appended[]>) {}

  add(events: readonly NewInboxEvent[]): Promise<Appended[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({events, resolve, reject});
      if (!this.scheduled && !this.writing) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.writing = this.drain().finally(() => (this.writing = undefined));
        });
      }
    });
  }

  async settled(): Promise<void> {
    while (this.scheduled || this.writing) await (this.writing ?? new Promise((resolve) => setImmediate(resolve)));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Whole callers up to INBOX_GROUP_MAX events (a caller larger than that goes alone).
      let size = 0;
      let n = 0;
      while (n < this.queue.length && (n === 0 || size + this.queue[n]!.events.length <= INBOX_GROUP_MAX)) {
        size += this.queue[n]!.events.length;
        n += 1;
      }
      const group = this.queue.splice(0, n);
      try {
        const stored = await this.writeChunked(group.flatMap((caller) => caller.events));
        let offset = 0;
        for (const caller of group) {
          caller.resolve(stored.slice(offset, offset + caller.events.length));
          offset += caller.events.length;
        }
      } catch (err) {
        if (group.length === 1) {
          group[0]!.reject(err);
          continue;
        }
        for (const caller of group) await this.writeChunked(caller.events).then(caller.resolve, caller.reject);
      }
    }
  }

  private async writeChunked(events: readonly NewInboxEvent[]): Promise<Appended[]> {
    const stored: Appended[] = [];
    for (let i = 0; i < events.length; i += INBOX_GROUP_MAX)
      stored.push(...(await this.write(events.slice(i, i + INBOX_GROUP_MAX))));
    return stored;
  }
}
