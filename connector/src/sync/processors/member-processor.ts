import type {Consent} from '../../model/consent.js';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {SyncRecord} from '../../store/sync-state-repository.js';
import type {Product} from '../../model/entities.js';
import {asId} from '../../model/ids.js';
import {memberUpsertBody} from '../mappers/customer-to-mailchimp.js';
import {canRequestConfirmation, decideMemberStatus, type CurrentMemberStatus} from '../mappers/member-status.js';
import {desiredTags, tagDiff, type TagRulesConfig} from '../mappers/tag-rules.js';
import type {MemberDesired} from '../projector.js';
import {ENTITY} from '../entity-types.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {SyncContext} from './sync-context.js';

/**
 * A list member: status by the consent rules (decideMemberStatus), profile merge fields, and the connector's tags
 * as add/remove differences against what Mailchimp holds now (tags the connector does not manage are never touched).
 */
export class MemberProcessor implements EntityProcessor {
  constructor(private readonly ctx: SyncContext, private readonly tagRules: (connectionSettings: Record<string, unknown>) => TagRulesConfig) {}

  async process(record: SyncRecord): Promise<ProcessOutcome> {
    const desired = JSON.parse(record.desired) as MemberDesired;
    const target = await this.ctx.target(record.connection_id);
    const {client, listId, connection} = target;
    const current = await client.members.get(listId, desired.email, {fields: ['status', 'last_changed', 'tags']});
    const currentStatus: CurrentMemberStatus = current?.status ?? 'unknown';
    const decision = decideMemberStatus({
      consent: desired.consent,
      current: currentStatus,
      doubleOptIn: connection.doubleOptIn,
      lastChangedAt: current?.last_changed,
    });
    // Shopify `redacted` / `invalid` addresses get no marketing write at all.
    if (decision.reason === 'redacted' || decision.reason === 'invalid') return {kind: 'synced'};
    const person = {email: desired.email, firstName: desired.firstName, lastName: desired.lastName};
    try {
      await client.members.upsert(listId, memberUpsertBody(person, desired.consent, decision), {skipMergeValidation: true});
    } catch (err) {
      // Mailchimp refuses to subscribe a member in a compliance state; only fresh consent may ask for confirmation.
      if (!isMailchimpError(err, 'compliance_state')) throw err;
      const fallback = complianceFallback(desired.consent);
      await client.members.upsert(listId, memberUpsertBody(person, desired.consent, {...decision, ...fallback}), {skipMergeValidation: true});
    }

    const config = this.tagRules(connection.settings as Record<string, unknown>);
    const products = await this.productFacts(record.connection_id, desired);
    const wanted = desiredTags(
      {isCustomer: desired.customerId !== undefined, orders: desired.purchases, products: (id) => products.get(id), consent: desired.consent, now: new Date().toISOString()},
      config,
    );
    const changes = tagDiff((current?.tags ?? []).map((t) => t.name), wanted, config);
    if (changes.length > 0) await client.members.updateTags(listId, desired.email, changes, {isSyncing: false});
    return {kind: 'synced'};
  }

  /** Handles and collections of the products a person bought, from the products' desired state. */
  private async productFacts(connectionId: string, desired: MemberDesired) {
    const ids = [...new Set(desired.purchases.flatMap((o) => o.lines.map((l) => l.productId)).filter((id): id is NonNullable<typeof id> => id !== null))];
    const facts = new Map<string, {handle?: string; collections: string[]}>();
    if (ids.length === 0) return facts;
    const rows = await this.ctx.options.db
      .selectFrom('sync_state')
      .select(['entity_id', 'desired'])
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', ENTITY.product)
      .where('entity_id', 'in', ids)
      .execute();
    for (const row of rows) {
      const product = JSON.parse(row.desired) as Product | {deleted: true};
      if (!('deleted' in product)) facts.set(asId(row.entity_id), {handle: product.handle, collections: product.collections});
    }
    return facts;
  }
}

/** After "Member In Compliance State": pending when the consent may ask for confirmation, else leave status alone. */
function complianceFallback(consent: Consent | undefined): {status_if_new: 'pending' | 'transactional'; status?: 'pending'} {
  if (consent && canRequestConfirmation(consent)) return {status_if_new: 'pending', status: 'pending'};
  return {status_if_new: 'transactional', status: undefined};
}
