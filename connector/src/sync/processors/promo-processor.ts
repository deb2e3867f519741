import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {DesiredByEntity} from '../desired-decoders.js';
import {promoToMailchimp} from '../mappers/promo-to-mailchimp.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {StoreTargets} from './store-readiness.js';

export class PromoProcessor implements EntityProcessor<DesiredByEntity['promo']> {
  constructor(private readonly stores: StoreTargets) {}

  async process(record: SyncRecord, desired: DesiredByEntity['promo']): Promise<ProcessOutcome> {
    const target = await this.stores.storeTarget(record.connection_id);
    if ('deleted' in desired) {
      await target.client.promos.deleteRule(target.storeId, desired.id);
      return {kind: 'synced'};
    }
    const mapping = promoToMailchimp(desired);
    await target.client.promos.upsertRule(target.storeId, mapping.rule);
    for (const code of mapping.codes) await target.client.promos.upsertCode(target.storeId, mapping.rule.id, code);
    return {kind: 'synced'};
  }
}
