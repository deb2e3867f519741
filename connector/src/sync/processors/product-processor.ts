import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {DesiredByEntity} from '../desired-decoders.js';
import {productToMailchimp} from '../mappers/product-to-mailchimp.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import {upsertOrderFor} from './first-send.js';
import type {StoreTargets} from './store-readiness.js';

export class ProductProcessor implements EntityProcessor<DesiredByEntity['product']> {
  constructor(private readonly stores: StoreTargets) {}

  async process(record: SyncRecord, desired: DesiredByEntity['product']): Promise<ProcessOutcome> {
    const target = await this.stores.storeTarget(record.connection_id);
    if ('deleted' in desired) {
      // Orders that still name the product keep working: lines for unknown products get placeholders.
      await target.client.products.delete(target.storeId, desired.id);
    } else {
      await target.client.products.upsert(target.storeId, productToMailchimp(desired), upsertOrderFor(record));
    }
    return {kind: 'synced'};
  }
}
