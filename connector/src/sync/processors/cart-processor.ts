import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {DesiredByEntity} from '../desired-decoders.js';
import {cartToMailchimp} from '../mappers/cart-to-mailchimp.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import {upsertPlaceholders} from './placeholders.js';
import type {CustomerIdentities} from './customer-identity.js';
import {upsertOrderFor} from './first-send.js';
import type {LineReadiness} from './line-readiness.js';
import type {StoreTargets} from './store-readiness.js';

/** Abandoned-cart material: carts with their checkout URL, removed once the order arrives (the projector decides). */
export class CartProcessor implements EntityProcessor<DesiredByEntity['cart']> {
  constructor(
    private readonly stores: StoreTargets,
    private readonly lines: Pick<LineReadiness, 'prepareLines'>,
    private readonly identities: CustomerIdentities,
  ) {}

  async process(record: SyncRecord, desired: DesiredByEntity['cart']): Promise<ProcessOutcome> {
    const target = await this.stores.storeTarget(record.connection_id);
    if ('deleted' in desired) {
      await target.client.carts.delete(target.storeId, desired.id);
      return {kind: 'synced'};
    }
    const lines = await this.lines.prepareLines(target, desired.lines, {
      landingSite: desired.landingSite,
      attributes: desired.attributes,
    });
    if (!lines.ready) return {kind: 'wait', reason: `waiting for products ${lines.pending.join(', ')}`, delayMs: 500};
    const mapping = cartToMailchimp(desired, {campaignId: lines.campaignId, catalog: lines.catalog});
    if (!mapping.ok) {
      // An emptied or e-mail-less cart cannot be recovered: make sure Mailchimp holds none for it.
      if (mapping.reason === 'no-lines' || mapping.reason === 'completed')
        await target.client.carts.delete(target.storeId, desired.id);
      return {kind: 'synced'};
    }
    await upsertPlaceholders(target, mapping.placeholders);
    const {body} = mapping;
    await this.identities.write(record.connection_id, body.customer, (id) =>
      target.client.carts
        .upsert(target.storeId, {...body, customer: {...body.customer, id}}, upsertOrderFor(record))
        .then(() => undefined),
    );
    return {kind: 'synced'};
  }
}
