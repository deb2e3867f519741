import type {Order} from '../../model/entities.js';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {SyncRecord} from '../../store/sync-state-repository.js';
import {orderToMailchimp} from '../mappers/order-to-mailchimp.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import {upsertPlaceholders} from './placeholders.js';
import type {CampaignCache} from './campaign-cache.js';
import {upsertOrderFor} from './first-send.js';
import type {CustomerIdentities} from './customer-identity.js';
import type {EmailLookup} from './customer-emails.js';
import type {LineReadiness} from './line-readiness.js';
import type {StoreTargets} from './store-readiness.js';

/** What the order processor works with. */
export interface OrderProcessorDeps {
  stores: StoreTargets;
  lines: Pick<LineReadiness, 'prepareLines'>;
  emails: EmailLookup;
  identities: CustomerIdentities;
  campaigns: Pick<CampaignCache, 'markCampaignMissing'>;
}

/** How long an order waits for a product that is itself still on its way to Mailchimp. */
const DEPENDENCY_WAIT_MS = 500;

/**
 * Orders: products first (a line whose product is still pending waits; a gone or unknown one gets a placeholder),
 * campaign attribution only for a campaign that exists in the audience (never blocking the order), then
 * PATCH-or-POST, then DELETE of the lines Mailchimp still holds that the order no longer has. Test, draft and unpaid orders are not purchases and are not sent (order-purchase.ts).
 */
export class OrderProcessor implements EntityProcessor<Order> {
  constructor(private readonly deps: OrderProcessorDeps) {}

  async process(record: SyncRecord, order: Order): Promise<ProcessOutcome> {
    const target = await this.deps.stores.storeTarget(record.connection_id);
    // Attribution belongs to the order's creation; once Mailchimp holds the order it is not sent again.
    const firstSend = record.synced_hash === null;
    const lines = await this.deps.lines.prepareLines(
      target,
      order.lines,
      firstSend ? {landingSite: order.landingSite, attributes: order.attributes} : undefined,
    );
    if (!lines.ready)
      return {kind: 'wait', reason: `waiting for products ${lines.pending.join(', ')}`, delayMs: DEPENDENCY_WAIT_MS};
    const {catalog, campaignId} = lines;

    const mapping = orderToMailchimp(order, {campaignId, catalog});
    if (!mapping.ok) return {kind: 'synced'}; // not a purchase (test, unpaid, voided, no customer): nothing to hold
    if (!mapping.body.customer.email_address && order.customer.id) {
      // Named by id only: Mailchimp needs the address to create the customer. A customer without any (phone only)
      // cannot hold orders in Mailchimp.
      const email = (await this.deps.emails.emailsOfCustomers(record.connection_id, [order.customer.id])).get(
        order.customer.id,
      );
      if (!email) return {kind: 'synced'};
      mapping.body.customer = {...mapping.body.customer, email_address: email, opt_in_status: false};
    }
    await upsertPlaceholders(target, mapping.placeholders);
    // Every write names the customer: after an e-mail change it goes to the customer's alias id. PATCH only adds or
    // updates lines by id, never removes one: the lines Mailchimp answers with that the body no longer names (a line
    // refunded in full, or one a write before this one left behind) are deleted one by one. A never-sent order is
    // POSTed first (first-send.ts).
    const how = upsertOrderFor(record);
    const upsert = (body: typeof mapping.body): Promise<void> =>
      this.deps.identities.write(record.connection_id, body.customer, async (id) => {
        const held = await target.client.orders.upsert(
          target.storeId,
          {...body, customer: {...body.customer, id}},
          how,
        );
        const wanted = new Set(body.lines.map((line) => line.id));
        for (const line of held.lines ?? []) {
          if (!wanted.has(line.id)) await target.client.orders.deleteLine(target.storeId, body.id, line.id);
        }
      });
    try {
      await upsert(mapping.body);
    } catch (err) {
      if (isMailchimpError(err, 'campaign_not_found') && campaignId) {
        // A stale mc_cid: drop the attribution and send the order anyway.
        this.deps.campaigns.markCampaignMissing(target, campaignId);
        const {campaign_id: _dropped, ...withoutCampaign} = mapping.body;
        await upsert(withoutCampaign);
      } else if (isMailchimpError(err, 'product_not_found')) {
        // Mailchimp lost a product we believed synced: resend the lines as placeholders, then the order.
        const fallback = orderToMailchimp(order, {campaignId, catalog: {hasVariant: () => false}});
        if (!fallback.ok) return {kind: 'synced'};
        await upsertPlaceholders(target, fallback.placeholders);
        await upsert(fallback.body);
      } else {
        throw err;
      }
    }
    return {kind: 'synced'};
  }
}
