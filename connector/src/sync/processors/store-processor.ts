import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {DesiredByEntity} from '../desired-decoders.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {ConnectionTargets} from './client-registry.js';
import type {StoreReadiness} from './store-readiness.js';

/** shop/redact: the shop's Mailchimp store goes, with its customers, products, orders and carts (members stay). */
export class StoreProcessor implements EntityProcessor<DesiredByEntity['store']> {
  constructor(
    private readonly targets: ConnectionTargets,
    private readonly stores: Pick<StoreReadiness, 'forgetStore'>,
  ) {}

  async process(record: SyncRecord, desired: DesiredByEntity['store']): Promise<ProcessOutcome> {
    const target = await this.targets.target(record.connection_id);
    if (desired.deleted) {
      await target.client.stores.delete(target.storeId);
      this.stores.forgetStore(record.connection_id);
    }
    return {kind: 'synced'};
  }
}
