import type {Customer} from '../../model/entities.js';
import type {SyncRecord} from '../../store/sync-state-repository.js';
import {ecommerceCustomerBody} from '../mappers/customer-to-mailchimp.js';
import type {MemberStatusDecision} from '../rules/member-status.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {CustomerIdentities} from './customer-identity.js';
import type {StoreTargets} from './store-readiness.js';

/**
 * The e-commerce customer record. It never carries consent (`opt_in_status` false): Mailchimp's opt_in_status can
 * only upgrade and never downgrades, so member status is managed by the member processor alone.
 */
const NO_OPT_IN: MemberStatusDecision = {status_if_new: 'transactional', reason: 'no-consent'};

export class CustomerProcessor implements EntityProcessor<Customer> {
  constructor(
    private readonly stores: StoreTargets,
    private readonly identities: CustomerIdentities,
  ) {}

  async process(record: SyncRecord, customer: Customer): Promise<ProcessOutcome> {
    if (!customer.email) return {kind: 'synced'}; // phone-only customers have no Mailchimp counterpart
    const target = await this.stores.storeTarget(record.connection_id);
    const body = ecommerceCustomerBody({...customer, email: customer.email}, NO_OPT_IN);
    await this.identities.write(record.connection_id, body, (id) =>
      target.client.customers.upsert(target.storeId, {...body, id}).then(() => undefined),
    );
    return {kind: 'synced'};
  }
}
