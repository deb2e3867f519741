import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {DesiredByEntity} from '../desired-decoders.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {SyncContext} from './sync-context.js';

/** shop/redact: the shop's Mailchimp store goes, with its customers, products, orders and carts (members stay). */
export class StoreProcessor implements EntityProcessor<DesiredByEntity['store']> {
  constructor(private readonly ctx: SyncContext) {}

  async process(record: SyncRecord, desired: DesiredByEntity['store']): Promise<ProcessOutcome> {
    const target = await this.ctx.target(record.connection_id);
    if (desired.deleted) {
      await target.client.stores.delete(target.storeId);
      this.ctx.forgetStore(record.connection_id);
    }
    return {kind: 'synced'};
  }
}
