import type {Consent} from '../../model/consent.js';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {SyncRecord} from '../../store/sync-state-repository.js';
import {asId} from '../../model/ids.js';
import {memberUpsertBody} from '../mappers/customer-to-mailchimp.js';
import {canRequestConfirmation, decideMemberStatus, type ConsentPath, type CurrentMemberStatus, type MemberStatusDecision} from '../mappers/member-status.js';
import {desiredTags, tagDiff, type TagChange, type TagRulesConfig} from '../mappers/tag-rules.js';
import type {MemberUpsertRequest} from '../../mailchimp/types/members.js';
import type {MemberDesired} from '../projector.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {ConnectionTarget, SyncContext} from './sync-context.js';
import {desiredProducts} from '../desired-products.js';

/**
 * A list member: status by the consent rules (decideMemberStatus), profile merge fields, and the connector's tags
 * as add/remove differences against what Mailchimp holds now (tags the connector does not manage are never touched).
 */
/** What Mailchimp holds of a member, as far as a decision needs it (null: not a member). */
export interface CurrentMember {
  status: CurrentMemberStatus;
  last_changed?: string;
  tags: string[];
}

/** The writes one member needs: the member body (status by the consent rules) and the tag changes. */
export type MemberPlan = {kind: 'skip'} | {kind: 'write'; body: MemberUpsertRequest; tagChanges: TagChange[]; decision: MemberStatusDecision};

/**
 * A list member: status by the consent rules (decideMemberStatus), profile merge fields, and the connector's tags
 * as add/remove differences against what Mailchimp holds now (tags the connector does not manage are never touched).
 */
export class MemberProcessor implements EntityProcessor {
  constructor(private readonly ctx: SyncContext, private readonly tagRules: (connectionSettings: Record<string, unknown>) => TagRulesConfig) {}

  async process(record: SyncRecord): Promise<ProcessOutcome> {
    const desired = JSON.parse(record.desired) as MemberDesired;
    const target = await this.ctx.target(record.connection_id);
    const {client, listId} = target;
    const found = await client.members.get(listId, desired.email, {fields: ['status', 'last_changed', 'tags']});
    const current = found ? {status: found.status, last_changed: found.last_changed, tags: (found.tags ?? []).map((t) => t.name)} : null;
    const plan = await this.plan(target, record, current, 'live');
    if (plan.kind === 'skip') return {kind: 'synced'};
    try {
      await client.members.upsert(listId, plan.body, {skipMergeValidation: true});
    } catch (err) {
      // Mailchimp refuses to subscribe a member in a compliance state; only fresh consent may ask for confirmation.
      if (!isMailchimpError(err, 'compliance_state')) throw err;
      const fallback = complianceFallback(desired.consent);
      const person = {email: desired.email, firstName: desired.firstName, lastName: desired.lastName};
      await client.members.upsert(listId, memberUpsertBody(person, desired.consent, {...plan.decision, ...fallback}), {skipMergeValidation: true});
    }
    if (plan.tagChanges.length > 0) await client.members.updateTags(listId, desired.email, plan.tagChanges, {isSyncing: false});
    return {kind: 'synced'};
  }

  /** The member's writes against what Mailchimp holds (`current`), on a consent path (the backfill: initial_sync). */
  async plan(target: ConnectionTarget, record: SyncRecord, current: CurrentMember | null, path: ConsentPath): Promise<MemberPlan> {
    const desired = JSON.parse(record.desired) as MemberDesired;
    const currentStatus: CurrentMemberStatus = current?.status ?? 'unknown';
    const decision = decideMemberStatus({
      consent: desired.consent,
      current: currentStatus,
      doubleOptIn: target.connection.doubleOptIn,
      lastChangedAt: currentStatus === 'transactional' ? undefined : changedByOthersAt(current?.last_changed, record.synced_at),
      path,
    });
    // Shopify `redacted` / `invalid` addresses get no marketing write at all.
    if (decision.reason === 'redacted' || decision.reason === 'invalid') return {kind: 'skip'};
    const person = {email: desired.email, firstName: desired.firstName, lastName: desired.lastName};
    const body = memberUpsertBody(person, desired.consent, decision);
    const config = this.tagRules(target.connection.settings as Record<string, unknown>);
    const products = await this.productFacts(record.connection_id, desired);
    const wanted = desiredTags(
      {isCustomer: desired.customerId !== undefined, orders: desired.purchases, products: (id) => products.get(id), consent: desired.consent, optInSources: desired.optInSources, now: (this.ctx.options.now?.() ?? new Date()).toISOString()},
      config,
    );
    return {kind: 'write', body, decision, tagChanges: tagDiff(current?.tags ?? [], wanted, config)};
  }

  /** Handles and collections of the products a person bought, from the products' desired state. */
  private async productFacts(connectionId: string, desired: MemberDesired) {
    const ids = [...new Set(desired.purchases.flatMap((o) => o.lines.map((l) => l.productId)).filter((id): id is NonNullable<typeof id> => id !== null))];
    const facts = new Map<string, {handle?: string; collections: string[]}>();
    for (const [id, product] of await desiredProducts(this.ctx.options.db, connectionId, ids)) facts.set(asId(id), {handle: product.handle, collections: product.collections});
    return facts;
  }
}

/**
 * Mailchimp's `last_changed` counts as a change newer than a consent only when the person made it (a form
 * sign-up, an unsubscribe link). A transactional status is never the person's choice (our own customer or order
 * writes create it), and when the change is no later than our own last write of the member it was ours: in both
 * cases a consent that predates it (webhooks arrive late) must still apply.
 */
// Mailchimp's last_changed has whole seconds; our own write time has milliseconds.
const OWN_WRITE_SLACK_MS = 1_000;
function changedByOthersAt(lastChanged: string | undefined, ourLastWrite: string | null): string | undefined {
  if (!lastChanged) return undefined;
  if (ourLastWrite && Date.parse(lastChanged) <= Date.parse(ourLastWrite) + OWN_WRITE_SLACK_MS) return undefined;
  return lastChanged;
}

/** After "Member In Compliance State": pending when the consent may ask for confirmation, else leave status alone. */
function complianceFallback(consent: Consent | undefined): {status_if_new: 'pending' | 'transactional'; status?: 'pending'} {
  if (consent && canRequestConfirmation(consent)) return {status_if_new: 'pending', status: 'pending'};
  return {status_if_new: 'transactional', status: undefined};
}
