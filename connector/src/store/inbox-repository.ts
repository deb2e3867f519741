import type {Kysely, Selectable} from 'kysely';
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

/**
 * The durable inbox: every accepted event is written here before the sender gets a 2xx. A repeated delivery
 * (same connection, source and dedupe key) is recognised and has no second effect.
 */
export class InboxRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(event: NewInboxEvent): Promise<{id: number; duplicate: boolean}> {
    const inserted = await this.db
      .insertInto('inbox_events')
      .values({
        connection_id: event.connectionId,
        source: event.source,
        topic: event.topic,
        dedupe_key: event.dedupeKey,
        received_at: event.receivedAt,
        triggered_at: event.triggeredAt ?? null,
        payload: event.payload,
        status: 'pending',
        attempts: 0,
      })
      .onConflict((oc) => oc.columns(['connection_id', 'source', 'dedupe_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return {id: Number(inserted.id), duplicate: false};
    const existing = await this.db
      .selectFrom('inbox_events')
      .select('id')
      .where('connection_id', '=', event.connectionId)
      .where('source', '=', event.source)
      .where('dedupe_key', '=', event.dedupeKey)
      .executeTakeFirstOrThrow();
    return {id: Number(existing.id), duplicate: true};
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
