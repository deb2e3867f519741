import type {Cart} from '../../model/entities.js';
import type {SyncRecord} from '../../store/sync-state-repository.js';
import {extractCampaignId} from '../mappers/campaign-attribution.js';
import {cartToMailchimp} from '../mappers/cart-to-mailchimp.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import {upsertPlaceholders} from './placeholders.js';
import type {SyncContext} from './sync-context.js';
import {storeSettings} from './store-settings.js';

/** Abandoned-cart material: carts with their checkout URL, removed once the order arrives (the projector decides). */
export class CartProcessor implements EntityProcessor {
  constructor(private readonly ctx: SyncContext) {}

  async process(record: SyncRecord): Promise<ProcessOutcome> {
    const desired = JSON.parse(record.desired) as Cart | {id: string; deleted: true};
    const target = await this.ctx.target(record.connection_id);
    await this.ctx.ensureStore(target, storeSettings(target.connection));
    if ('deleted' in desired) {
      await target.client.carts.delete(target.storeId, desired.id);
      return {kind: 'synced'};
    }
    const productIds = desired.lines.map((l) => l.productId).filter((id): id is NonNullable<typeof id> => id !== null);
    const catalog = await this.ctx.catalog(record.connection_id, productIds);
    if (catalog.pending.size > 0) return {kind: 'wait', reason: 'waiting for products', delayMs: 500};
    const candidate = extractCampaignId({landingSite: desired.landingSite, attributes: desired.attributes});
    const campaignId = candidate && (await this.ctx.campaignExists(target, candidate)) ? candidate : undefined;
    const mapping = cartToMailchimp(desired, {campaignId, catalog});
    if (!mapping.ok) {
      // An emptied or e-mail-less cart cannot be recovered: make sure Mailchimp holds none for it.
      if (mapping.reason === 'no-lines' || mapping.reason === 'completed') await target.client.carts.delete(target.storeId, desired.id);
      return {kind: 'synced'};
    }
    await upsertPlaceholders(target, mapping.placeholders);
    await target.client.carts.upsert(target.storeId, mapping.body);
    return {kind: 'synced'};
  }
}
