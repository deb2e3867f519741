import type {Kysely, Selectable} from 'kysely';
import type {Database, PromoSendsTable} from '../store/schema.js';

export type PromoSendRow = Selectable<PromoSendsTable>;

export type ClaimOutcome =
  /** This caller runs (or resumes) the send. */
  | {kind: 'run'; row: PromoSendRow}
  /** Done before: the stored result answers the repeat. */
  | {kind: 'completed'; row: PromoSendRow}
  /** Another request is running it right now. */
  | {kind: 'busy'; row: PromoSendRow}
  /** The key was used for another request. */
  | {kind: 'mismatch'; row: PromoSendRow};

/**
 * Promo sends by idempotency key. A key is bound to the request it first came with (by hash); a run holds the
 * send for `holdMs`, so a concurrent repeat is told to wait, and a run that died releases it when the hold expires.
 */
export class PromoSendsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(input: {
    connectionId: string;
    key: string;
    requestHash: string;
    request: string;
    now: string;
    holdUntil: string;
  }): Promise<ClaimOutcome> {
    await this.db
      .insertInto('promo_sends')
      .values({
        connection_id: input.connectionId,
        idempotency_key: input.key,
        request_hash: input.requestHash,
        request: input.request,
        status: 'running',
        progress: '{}',
        result: null,
        error: null,
        campaign_id: null,
        locked_until: null,
        created_at: input.now,
        updated_at: input.now,
      })
      .onConflict((oc) => oc.columns(['connection_id', 'idempotency_key']).doNothing())
      .execute();
    const row = await this.byKey(input.connectionId, input.key);
    if (!row) throw new Error('promo send vanished while being claimed');
    if (row.request_hash !== input.requestHash) return {kind: 'mismatch', row};
    if (row.status === 'completed') return {kind: 'completed', row};
    // Take the hold only if nobody holds it (or the holder's hold expired): a conditional update decides.
    const taken = await this.db
      .updateTable('promo_sends')
      .set({locked_until: input.holdUntil, status: 'running', error: null, updated_at: input.now})
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', input.now)]))
      .where('status', '!=', 'completed')
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return {kind: 'busy', row};
    return {kind: 'run', row: (await this.get(Number(row.id)))!};
  }

  async saveProgress(id: number, progress: unknown, now: string, campaignId?: string): Promise<void> {
    await this.db
      .updateTable('promo_sends')
      .set({progress: JSON.stringify(progress), updated_at: now, ...(campaignId ? {campaign_id: campaignId} : {})})
      .where('id', '=', id)
      .execute();
  }

  async finish(
    id: number,
    outcome: {status: 'completed' | 'failed'; result: unknown; error?: string; now: string},
  ): Promise<void> {
    await this.db
      .updateTable('promo_sends')
      .set({
        status: outcome.status,
        result: JSON.stringify(outcome.result),
        error: outcome.error ?? null,
        locked_until: null,
        updated_at: outcome.now,
      })
      .where('id', '=', id)
      .execute();
  }

  async byKey(connectionId: string, key: string): Promise<PromoSendRow | undefined> {
    return this.db
      .selectFrom('promo_sends')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  async get(id: number): Promise<PromoSendRow | undefined> {
    return this.db.selectFrom('promo_sends').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
