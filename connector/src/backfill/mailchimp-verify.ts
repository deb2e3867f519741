import type {Customer, Order, Product} from '../model/entities.js';
import type {SyncStateRepository} from '../store/sync-state-repository.js';
import type {BackfillScratchRepository} from './backfill-scratch-repository.js';
import {ENTITY} from '../sync/entity-types.js';
import {ecommerceCustomerBody} from '../sync/mappers/customer-to-mailchimp.js';
import {orderToMailchimp} from '../sync/mappers/order-to-mailchimp.js';
import {productToMailchimp} from '../sync/mappers/product-to-mailchimp.js';
import type {ConnectionTarget, SyncContext} from '../sync/processors/sync-context.js';
import {customerFingerprint, orderFingerprint, productFingerprint} from './mailchimp-fingerprint.js';

const PAGE = 500;

export interface VerifyCounts {
  /** Entities compared (the connector believed Mailchimp held them). */
  checked: number;
  /** Missing from Mailchimp: queued to be created again (backfill lane, batches). */
  missing: number;
  /** Present but different: queued for an update (live lane). */
  differing: number;
}

type Checked = typeof ENTITY.product | typeof ENTITY.customer | typeof ENTITY.order;

/**
 * The resync's comparison: reads what Mailchimp holds (products, customers, orders, a page of 1,000 at a time, into
 * `resync_seen`), then walks the connector's synced records and re-queues only those whose Mailchimp copy is
 * missing or differs in the compared fields (mailchimp-fingerprint.ts). Everything else is left alone.
 */
export class MailchimpVerifier {
  constructor(
    private readonly syncState: SyncStateRepository,
    private readonly scratch: BackfillScratchRepository,
    private readonly ctx: SyncContext,
    private readonly now: () => Date,
  ) {}

  async verify(target: ConnectionTarget, signal?: AbortSignal): Promise<VerifyCounts> {
    const counts: VerifyCounts = {checked: 0, missing: 0, differing: 0};
    for (const type of [ENTITY.product, ENTITY.customer, ENTITY.order] as const) {
      await this.clear(target.connection.id);
      await this.readMailchimp(target, type, signal);
      await this.compare(target, type, counts, signal);
    }
    await this.clear(target.connection.id);
    return counts;
  }

  private async readMailchimp(target: ConnectionTarget, type: Checked, signal?: AbortSignal): Promise<void> {
    const {client, storeId} = target;
    const connection_id = target.connection.id;
    let rows: Array<{connection_id: string; entity_type: string; entity_id: string; fingerprint: string}> = [];
    const flush = async () => {
      if (rows.length === 0) return;
      await this.scratch.saveSeen(rows);
      rows = [];
    };
    const push = async (entity_id: string, fingerprint: string) => {
      if (signal?.aborted) throw signal.reason;
      rows.push({connection_id, entity_type: type, entity_id, fingerprint});
      if (rows.length >= PAGE) await flush();
    };
    if (type === ENTITY.product) {
      for await (const p of client.products.list(storeId, {
        pageSize: 1000,
        select: {
          fields: ['products.id', 'products.title', 'products.variants.id', 'products.variants.price', 'total_items'],
        },
      }))
        await push(p.id, productFingerprint(p));
    } else if (type === ENTITY.customer) {
      for await (const c of client.customers.list(storeId, {
        pageSize: 1000,
        select: {
          fields: [
            'customers.id',
            'customers.email_address',
            'customers.first_name',
            'customers.last_name',
            'total_items',
          ],
        },
      }))
        await push(c.id, customerFingerprint(c));
    } else {
      for await (const o of client.orders.list(storeId, {
        pageSize: 1000,
        select: {
          fields: [
            'orders.id',
            'orders.order_total',
            'orders.financial_status',
            'orders.fulfillment_status',
            'orders.lines.id',
            'orders.lines.quantity',
            'total_items',
          ],
        },
      }))
        await push(o.id, orderFingerprint(o));
    }
    await flush();
  }

  private async compare(
    target: ConnectionTarget,
    type: Checked,
    counts: VerifyCounts,
    signal?: AbortSignal,
  ): Promise<void> {
    const connectionId = target.connection.id;
    let after = '';
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const rows = await this.syncState.syncedPage(connectionId, type, after, PAGE);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.entity_id;
      const ours = new Map<string, {mailchimpId: string; fingerprint: string}>();
      for (const row of rows) {
        const mine = await this.ourFingerprint(connectionId, type, row.desired);
        if (mine) ours.set(row.entity_id, mine);
      }
      if (ours.size === 0) continue;
      const theirs = await this.scratch.seen(
        connectionId,
        type,
        [...ours.values()].map((o) => o.mailchimpId),
      );
      const missing: string[] = [];
      const differing: string[] = [];
      for (const [entityId, mine] of ours) {
        counts.checked += 1;
        const held = theirs.get(mine.mailchimpId);
        if (held === undefined) missing.push(entityId);
        else if (held !== mine.fingerprint) differing.push(entityId);
      }
      const now = this.now().toISOString();
      if (missing.length > 0) {
        // Gone from Mailchimp: created again through batches, as on the first backfill.
        await this.syncState.requeue(connectionId, type, missing, {forget: true, lane: 'backfill', now});
        counts.missing += missing.length;
      }
      if (differing.length > 0) {
        // Changed in Mailchimp: the live processors PATCH it back to the store's truth.
        await this.syncState.requeue(connectionId, type, differing, {lane: 'live', now});
        counts.differing += differing.length;
      }
    }
  }

  private async clear(connectionId: string): Promise<void> {
    await this.scratch.clearSeen(connectionId);
  }

  /** What we would send for this record, fingerprinted; undefined for records Mailchimp should not hold. */
  private async ourFingerprint(
    connectionId: string,
    type: Checked,
    desired: string,
  ): Promise<{mailchimpId: string; fingerprint: string} | undefined> {
    if (type === ENTITY.product) {
      const product = JSON.parse(desired) as Product | {deleted: true};
      if ('deleted' in product) return undefined;
      const body = productToMailchimp(product);
      return {mailchimpId: body.id, fingerprint: productFingerprint(body)};
    }
    if (type === ENTITY.customer) {
      const customer = JSON.parse(desired) as Customer;
      if (!customer.email) return undefined;
      const body = ecommerceCustomerBody(
        {...customer, email: customer.email},
        {status_if_new: 'transactional', reason: 'no-consent'},
      );
      return {
        mailchimpId: await this.ctx.identities.resolve(connectionId, body.id, customer.email),
        fingerprint: customerFingerprint(body),
      };
    }
    const mapping = orderToMailchimp(JSON.parse(desired) as Order, {catalog: {hasVariant: () => true}});
    if (!mapping.ok) return undefined;
    return {mailchimpId: mapping.body.id, fingerprint: orderFingerprint(mapping.body)};
  }
}
