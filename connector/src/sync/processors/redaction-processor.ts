import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {DesiredByEntity} from '../desired-decoders.js';
import {emailAliasCustomerId, guestCustomerId, stableEcommerceId} from '../mappers/ecommerce-ids.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {ConnectionTargets} from './client-registry.js';

/**
 * GDPR customers/redact: the person is deleted permanently from the audience (Mailchimp's delete-permanent, which
 * also means they can never be re-imported) and their e-commerce customer is removed. Local data went already.
 */
export class RedactionProcessor implements EntityProcessor<DesiredByEntity['redaction']> {
  constructor(private readonly targets: ConnectionTargets) {}

  async process(record: SyncRecord, {email, customerId}: DesiredByEntity['redaction']): Promise<ProcessOutcome> {
    const target = await this.targets.target(record.connection_id);
    // Mailchimp may never have had the person (a guest with only unpaid orders): a 404 means there is nothing there.
    await target.client.members.deletePermanent(target.listId, email);
    // A guest's e-commerce customer is named after the address (ecommerce-ids.ts), so it is known without local rows.
    await target.client.customers.delete(target.storeId, guestCustomerId(email));
    if (customerId) {
      const id = stableEcommerceId(customerId);
      await target.client.customers.delete(target.storeId, id);
      // The customer may also exist under the alias of this address (after an e-mail change): the alias is
      // derived, so it is known even though the local rows are gone.
      await target.client.customers.delete(target.storeId, emailAliasCustomerId(id, email));
    }
    return {kind: 'synced'};
  }
}
