import type {PromoRule} from '../../model/entities.js';
import type {SyncRecord} from '../../store/sync-state-repository.js';
import {promoToMailchimp} from '../mappers/promo-to-mailchimp.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {SyncContext} from './sync-context.js';

export class PromoProcessor implements EntityProcessor {
  constructor(private readonly ctx: SyncContext) {}

  async process(record: SyncRecord): Promise<ProcessOutcome> {
    const desired = JSON.parse(record.desired) as PromoRule | {id: string; deleted: true};
    const target = await this.ctx.storeTarget(record.connection_id);
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
