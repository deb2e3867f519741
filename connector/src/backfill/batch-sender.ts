import type {Kysely} from 'kysely';
import type {BatchOperationInput, BatchRunnerOptions} from '../mailchimp/batch/batch-runner.js';
import type {Database} from '../store/schema.js';
import {CustomerEmailAliasesRepository} from '../store/customer-email-aliases-repository.js';
import type {ClaimSettlement, EntityKey, SyncRecord, SyncStateRepository} from '../store/sync-state-repository.js';
import type {Logger} from '../logging/logger.js';
import {ENTITY, type EntityType} from '../sync/entity-types.js';
import {stableEcommerceId} from '../sync/mappers/ecommerce-ids.js';
import {decodeDesired} from '../sync/desired-decoders.js';
import {expandRoute} from '../mailchimp/route.js';
import type {Order} from '../model/entities.js';
import type {MemberProcessor} from '../sync/processors/member-processor.js';
import type {ConnectionTarget, SyncContext} from '../sync/processors/sync-context.js';
import {memberOperations, planEntity, type BackfillPlan} from './backfill-operations.js';
import type {MemberSnapshot} from './member-snapshot.js';

export interface SendCounts {
  /** Entities Mailchimp accepted through batches. */
  sent: number;
  /** Entities with nothing to send (unpaid orders, customers without e-mail, …). */
  nothing: number;
  /** Entities handed to the live worker (updates, placeholders, attribution, failed operations). */
  handedToLive: number;
  /** Batch operations that failed (their entity went to the live worker, which retries or dead-letters it). */
  failedOperations: number;
  operations: number;
  batches: number;
}

export const emptyCounts = (): SendCounts => ({
  sent: 0,
  nothing: 0,
  handedToLive: 0,
  failedOperations: 0,
  operations: 0,
  batches: 0,
});

export interface BatchSenderOptions {
  syncState: SyncStateRepository;
  db: Kysely<Database>;
  ctx: SyncContext;
  members: MemberProcessor;
  snapshot: MemberSnapshot;
  logger: Logger;
  workerId: string;
  /** Rows claimed per round (one round becomes ⌈operations / 500⌉ batches, submitted together). */
  chunkSize?: number;
  /** How long a claim holds: a round's batches must finish within it. */
  leaseMs?: number;
  runner?: BatchRunnerOptions;
  now?: () => Date;
}

/** Results settled per transaction (a batch holds up to 500 operations). */
const SETTLE_SLICE = 500;

const keyOf = (row: SyncRecord): EntityKey => ({
  connectionId: row.connection_id,
  entityType: row.entity_type,
  entityId: row.entity_id,
});

/**
 * Sends the backfill lane of the outbox through Mailchimp batch operations and feeds every operation's result back
 * into the entity's sync state: accepted → synced; failed → handed to the live worker, which retries, repairs
 * (placeholders, aliases, member exists) or dead-letters it with Mailchimp's problem document. Nothing is dropped.
 */
export class BackfillBatchSender {
  constructor(private readonly options: BatchSenderOptions) {}

  /**
   * One round: claims due backfill rows of these types, plans and submits them. Returns how many rows it claimed
   * (0: nothing due right now).
   */
  async round(
    target: ConnectionTarget,
    entityTypes: EntityType[],
    counts: SendCounts,
    signal?: AbortSignal,
  ): Promise<number> {
    const rows = await this.claim(target, entityTypes);
    if (rows.length > 0) await this.process(target, rows, counts, signal);
    return rows.length;
  }

  /** Claims up to a chunk of due backfill rows of these types for this worker (leased: no other round takes them). */
  async claim(target: ConnectionTarget, entityTypes: EntityType[]): Promise<SyncRecord[]> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 30 * 60_000)).toISOString();
    return this.options.syncState.claimDue(
      this.options.workerId,
      this.options.chunkSize ?? 2_000,
      now.toISOString(),
      leaseUntil,
      entityTypes,
      'backfill',
      target.connection.id,
    );
  }

  /** Plans and submits claimed rows, and settles each with its result (synced, live worker, or released). */
  async process(target: ConnectionTarget, rows: SyncRecord[], counts: SendCounts, signal?: AbortSignal): Promise<void> {
    const {syncState, workerId} = this.options;
    const now = this.now();
    const plans = await this.plan(target, rows);
    const operations: BatchOperationInput[] = [];
    const placeholders = new Map<string, BatchOperationInput>();
    const pending = new Map<string, {row: SyncRecord; left: number; failed?: string}>();
    // Rows decided without Mailchimp are settled together, in one transaction.
    const decided: ClaimSettlement[] = [];
    for (const [i, row] of rows.entries()) {
      const plan = plans[i]!;
      if (plan.kind === 'wait') {
        decided.push({
          key: keyOf(row),
          outcome: 'release',
          nextAttemptAt: new Date(now.getTime() + 1_000).toISOString(),
        });
      } else if (plan.kind === 'nothing') {
        decided.push({key: keyOf(row), outcome: 'synced', sentHash: row.desired_hash, sentDesired: row.desired});
        counts.nothing += 1;
      } else if (plan.kind === 'live') {
        decided.push({key: keyOf(row), outcome: 'live', reason: plan.reason});
        counts.handedToLive += 1;
      } else {
        const rowId = `${row.entity_type}:${row.entity_id}`;
        pending.set(rowId, {row, left: plan.operations.length});
        plan.operations.forEach((op, n) => operations.push({...op, operationId: `${rowId}#${n}`}));
        for (const product of plan.placeholders ?? []) {
          placeholders.set(product.id, {
            operationId: `placeholder:${product.id}`,
            method: 'POST',
            path: expandRoute('/ecommerce/stores/{store_id}/products', {store_id: target.storeId}),
            body: product,
            route: '/ecommerce/stores/{store_id}/products',
          });
        }
      }
    }
    await syncState.settleClaims(workerId, decided, now.toISOString());
    if (operations.length === 0) return;

    const runner = (await this.options.ctx.clientFor(target.connection)).batchRunner({
      ...this.options.runner,
      signal,
      logger: this.options.logger,
    });
    if (placeholders.size > 0) {
      // Placeholder products for lines whose product is gone, in a batch before the orders that name them (the
      // operations of one batch run in no guaranteed order). One that exists already is as good as created; any
      // other failure makes its orders fail, and those go to the live worker.
      const made = await runner.run(placeholders.values(), () => undefined);
      counts.operations += made.operations;
      counts.batches += made.batchIds.length;
    }
    // Results are settled a slice at a time (one transaction each), not row by row.
    let settled: ClaimSettlement[] = [];
    const flush = async () => {
      const slice = settled;
      settled = [];
      await syncState.settleClaims(workerId, slice, this.now().toISOString());
    };
    let summary: Awaited<ReturnType<typeof runner.run>>;
    try {
      summary = await runner.run(operations, async (outcome) => {
        const rowId = outcome.operation_id?.slice(0, outcome.operation_id.lastIndexOf('#'));
        const entry = rowId === undefined ? undefined : pending.get(rowId);
        if (!entry) return;
        entry.left -= 1;
        if (outcome.error) {
          counts.failedOperations += 1;
          entry.failed ??= outcome.error.message;
        }
        if (entry.left > 0) return;
        pending.delete(rowId!);
        if (entry.failed) {
          settled.push({key: keyOf(entry.row), outcome: 'live', reason: `batch operation failed: ${entry.failed}`});
          counts.handedToLive += 1;
        } else {
          settled.push({
            key: keyOf(entry.row),
            outcome: 'synced',
            sentHash: entry.row.desired_hash,
            sentDesired: entry.row.desired,
          });
          counts.sent += 1;
        }
        if (settled.length >= SETTLE_SLICE) await flush();
      });
    } finally {
      // Also when the run stops half-way: results already known are kept (the rest are released on resume).
      await flush();
    }
    counts.operations += summary.operations;
    counts.batches += summary.batchIds.length;
    // Operations the archives had no result for: the rows go back to the backfill lane, due again now.
    const at = this.now().toISOString();
    await syncState.settleClaims(
      workerId,
      [...pending.values()].map(({row}) => ({key: keyOf(row), outcome: 'release' as const, nextAttemptAt: at})),
      at,
    );
  }

  private async plan(target: ConnectionTarget, rows: SyncRecord[]): Promise<Array<BackfillPlan | {kind: 'wait'}>> {
    const {ctx} = this.options;
    const connectionId = target.connection.id;
    // Each order's JSON is read once here, for the catalog, aliases and e-mail look-ups of the whole round.
    const orders = rows.filter((r) => r.entity_type === ENTITY.order).map((r) => JSON.parse(r.desired) as Order);
    const productIds = orders.flatMap((o) => o.lines.map((l) => l.productId));
    const catalog = await ctx.catalog(
      connectionId,
      productIds.filter((id): id is NonNullable<typeof id> => id !== null),
    );
    const aliases = await this.aliases(connectionId, rows, orders);
    const idOnly = orders.flatMap((o) => (o.customer.id && !o.customer.email ? [o.customer.id] : []));
    const emails = await ctx.emailsOfCustomers(connectionId, idOnly);
    // Attribution is checked against the audience's campaigns, listed once (not one GET per campaign id).
    const campaigns =
      orders.length > 0
        ? await ctx.audienceCampaignIds(target).catch((err: unknown) => {
            // Attribution never blocks an order: without the list, these orders go without campaign_id.
            this.options.logger.warn(
              {err: String(err)},
              'listing the audience campaigns failed; orders sent without attribution',
            );
            return new Set<string>();
          })
        : new Set<string>();
    const facts = {
      catalog,
      customerIdFor: (id: string, email: string) => aliases.get(`${id}\n${email.trim().toLowerCase()}`),
      emailOfCustomer: (id: string) => emails.get(id),
      campaignExists: (campaignId: string) => campaigns.has(campaignId),
    };
    const snapshot = await this.options.snapshot.lookup(
      connectionId,
      rows.filter((r) => r.entity_type === ENTITY.member).map((r) => r.entity_id),
    );
    const storeTarget = {storeId: target.storeId, listId: target.listId};

    const plans: Array<BackfillPlan | {kind: 'wait'}> = [];
    let orderIndex = 0;
    for (const row of rows) {
      if (row.entity_type === ENTITY.member) {
        const current = snapshot.get(row.entity_id.toLowerCase()) ?? null;
        if (row.synced_hash !== null) {
          plans.push({kind: 'live', reason: 'already in Mailchimp: update'});
          continue;
        }
        const desired = decodeDesired(ENTITY.member, row.desired);
        const plan = await this.options.members.plan(target, row, desired, current, 'initial_sync');
        plans.push(
          plan.kind === 'skip'
            ? {kind: 'nothing', reason: 'no marketing write'}
            : {kind: 'batch', operations: memberOperations(storeTarget, plan.body, plan.tagChanges, current !== null)},
        );
        continue;
      }
      if (row.entity_type === ENTITY.order) {
        const order = orders[orderIndex++]!;
        if (order.lines.some((l) => l.productId !== null && catalog.pending.has(l.productId))) {
          plans.push({kind: 'wait'});
          continue;
        }
      }
      plans.push(planEntity(row, storeTarget, facts));
    }
    return plans;
  }

  /** Alias ids of the (customer, address) pairs in these rows that changed address earlier (customer-identity.ts). */
  private async aliases(connectionId: string, rows: SyncRecord[], orders: Order[]): Promise<Map<string, string>> {
    // Aliases are keyed by the Mailchimp customer id (stableEcommerceId of the platform id).
    const ids = new Set<string>();
    for (const row of rows) if (row.entity_type === ENTITY.customer) ids.add(stableEcommerceId(row.entity_id));
    for (const order of orders) if (order.customer.id) ids.add(stableEcommerceId(order.customer.id));
    const map = new Map<string, string>();
    if (ids.size === 0) return map;
    const found = await new CustomerEmailAliasesRepository(this.options.db).ofCustomers(connectionId, [...ids]);
    for (const r of found) map.set(`${r.customer_id}\n${r.email}`, r.alias_id);
    return map;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
