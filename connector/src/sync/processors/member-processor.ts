import type {Consent} from '../../model/consent.js';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {SyncRecord} from '../../store/sync-state-repository.js';
import {asId} from '../../model/ids.js';
import {memberUpsertBody} from '../mappers/customer-to-mailchimp.js';
import {
  canRequestConfirmation,
  decideMemberStatus,
  type ConsentPath,
  type CurrentMemberStatus,
  type MemberStatusDecision,
} from '../rules/member-status.js';
import {desiredTags, tagDiff, type TagChange, type TagRulesConfig} from '../rules/tag-rules.js';
import type {Member, MemberUpsertRequest} from '../../mailchimp/types/members.js';
import type {MemberDesired} from '../projector.js';
import type {EntityProcessor, ProcessOutcome} from '../sync-worker.js';
import type {ConnectionTarget, ConnectionTargets} from './client-registry.js';
import type {DesiredCatalog} from './product-catalog.js';
import {earnsContact} from '../rules/member-reason.js';

/**
 * A list member: status by the consent rules (decideMemberStatus), profile merge fields, and the connector's tags
 * as add/remove differences against what Mailchimp holds now (tags the connector does not manage are never touched).
 */
/** What Mailchimp holds of a member, as far as a decision needs it (null: not a member). */
export interface CurrentMember {
  status: CurrentMemberStatus;
  last_changed?: string;
  /** Mailchimp's reason for an unsubscribe: tells an admin/API opt-out from the person's own. */
  unsubscribe_reason?: string;
  tags: string[];
}

/** The member fields a decision reads. */
const MEMBER_FIELDS = ['status', 'last_changed', 'unsubscribe_reason', 'tags'] as const;

/** What Mailchimp answered for a member, as a decision reads it. */
function currentMember(found: Pick<Member, 'status' | 'last_changed' | 'unsubscribe_reason' | 'tags'>): CurrentMember {
  return {
    status: found.status,
    last_changed: found.last_changed,
    unsubscribe_reason: found.unsubscribe_reason || undefined,
    tags: (found.tags ?? []).map((t) => t.name),
  };
}

/** The writes one member needs: the member body (status by the consent rules) and the tag changes. */
export type MemberPlan =
  {kind: 'skip'} | {kind: 'write'; body: MemberUpsertRequest; tagChanges: TagChange[]; decision: MemberStatusDecision};

/**
 * A list member: status by the consent rules (decideMemberStatus), profile merge fields, and the connector's tags
 * as add/remove differences against what Mailchimp holds now (tags the connector does not manage are never touched).
 */
export class MemberProcessor implements EntityProcessor<MemberDesired> {
  constructor(
    private readonly targets: ConnectionTargets,
    private readonly products: DesiredCatalog,
    private readonly tagRules: (connectionSettings: Record<string, unknown>) => TagRulesConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async process(record: SyncRecord, desired: MemberDesired): Promise<ProcessOutcome> {
    const target = await this.targets.target(record.connection_id);
    const {client, listId} = target;
    const found = await client.members.get(listId, desired.email, {fields: [...MEMBER_FIELDS]});
    const current = found ? currentMember(found) : null;
    let plan = await this.plan(target, record, desired, current, 'live');
    if (plan.kind === 'skip') return {kind: 'synced'};
    const written = await this.write(target, desired, plan);
    // First contact: the member was not on the audience when we looked, so the decision rode on `status_if_new`
    // alone. Our own e-commerce writes (customer, order, cart) run concurrently and create a `transactional` contact
    // for a new address, on which `status_if_new` does nothing. Mailchimp's answer tells what the contact is after
    // our write: when it is not what the decision meant, decide once more against that (issue #11).
    if (current === null && written !== undefined && written.status !== plan.body.status_if_new) {
      const again = await this.plan(target, record, desired, currentMember(written), 'live');
      if (again.kind === 'write' && again.body.status !== undefined) {
        plan = again;
        await this.write(target, desired, {...again, tagChanges: []});
      }
    }
    if (plan.tagChanges.length > 0)
      await client.members.updateTags(listId, desired.email, plan.tagChanges, {isSyncing: false});
    return {kind: 'synced'};
  }

  /** The member write; after "Member In Compliance State", only fresh consent may ask for confirmation. */
  private async write(
    target: ConnectionTarget,
    desired: MemberDesired,
    plan: Extract<MemberPlan, {kind: 'write'}>,
  ): Promise<Member | undefined> {
    const {client, listId} = target;
    try {
      return await client.members.upsert(listId, plan.body, {skipMergeValidation: true});
    } catch (err) {
      if (!isMailchimpError(err, 'compliance_state')) throw err;
      const fallback = complianceFallback(desired.consent);
      const person = {email: desired.email, firstName: desired.firstName, lastName: desired.lastName};
      return await client.members.upsert(
        listId,
        memberUpsertBody(person, desired.consent, {...plan.decision, ...fallback}),
        {skipMergeValidation: true},
      );
    }
  }

  /** The member's writes against what Mailchimp holds (`current`), on a consent path (the backfill: initial_sync). */
  async plan(
    target: ConnectionTarget,
    record: SyncRecord,
    desired: MemberDesired,
    current: CurrentMember | null,
    path: ConsentPath,
  ): Promise<MemberPlan> {
    const decision = memberDecision(desired.consent, current, record, target.connection.doubleOptIn, path);
    // Shopify `redacted` / `invalid` addresses get no marketing write at all.
    if (decision.reason === 'redacted' || decision.reason === 'invalid') return {kind: 'skip'};
    // No contact without a reason: a person not in the audience who has no customer, no order there, no consent.
    if (current === null && !earnsContact(desired, decision)) return {kind: 'skip'};
    const person = {email: desired.email, firstName: desired.firstName, lastName: desired.lastName};
    const body = memberUpsertBody(person, desired.consent, decision);
    const config = this.tagRules(target.connection.settings as Record<string, unknown>);
    const products = await this.productFacts(record.connection_id, desired);
    const wanted = desiredTags(
      {
        isCustomer: desired.customerId !== undefined,
        orders: desired.purchases,
        products: (id) => products.get(id),
        consent: desired.consent,
        optInSources: desired.optInSources,
        now: this.now().toISOString(),
      },
      config,
    );
    return {kind: 'write', body, decision, tagChanges: tagDiff(current?.tags ?? [], wanted, config)};
  }

  /** Handles and collections of the products a person bought, from the products' desired state. */
  private async productFacts(connectionId: string, desired: MemberDesired) {
    const ids = [
      ...new Set(
        desired.purchases
          .flatMap((o) => o.lines.map((l) => l.productId))
          .filter((id): id is NonNullable<typeof id> => id !== null),
      ),
    ];
    const facts = new Map<string, {handle?: string; collections: string[]}>();
    for (const [id, product] of await this.products.desiredProducts(connectionId, ids))
      facts.set(asId(id), {handle: product.handle, collections: product.collections});
    return facts;
  }
}

/**
 * The consent decision for a member against what Mailchimp holds (`current`, null: not on the audience) and what we
 * last wrote of it (`synced_at`, `synced_desired` of its sync record).
 */
function memberDecision(
  consent: Consent | undefined,
  current: CurrentMember | null,
  lastWrite: Pick<SyncRecord, 'synced_at' | 'synced_desired'> | undefined,
  doubleOptIn: boolean,
  path: ConsentPath,
): MemberStatusDecision {
  const currentStatus: CurrentMemberStatus = current?.status ?? 'unknown';
  // An unsubscribe with the person's own reason was theirs whenever it happened, even right after our last write.
  const personsOptOut =
    currentStatus === 'unsubscribed' &&
    current?.unsubscribe_reason !== undefined &&
    !isAdminUnsubscribe(current.unsubscribe_reason);
  const changedByOthers =
    currentStatus === 'transactional'
      ? undefined
      : personsOptOut
        ? current?.last_changed
        : changedByOthersAt(current?.last_changed, lastWrite?.synced_at ?? null);
  return decideMemberStatus({
    consent,
    current: currentStatus,
    doubleOptIn,
    lastChangedAt: changedByOthers,
    path,
    optOutWrittenByUs:
      currentStatus === 'unsubscribed' &&
      changedByOthers === undefined &&
      isAdminUnsubscribe(current?.unsubscribe_reason) &&
      wroteOptOut(lastWrite?.synced_desired ?? null),
  });
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

/**
 * Mailchimp's `unsubscribe_reason` for an unsubscribe made through the API or by an account admin (recorded traffic;
 * notes). A person's own unsubscribe carries their reason instead (or Mailchimp's for a link click).
 */
export const ADMIN_UNSUBSCRIBE_REASON = 'N/A (Unsubscribed by admin)';
function isAdminUnsubscribe(reason: string | undefined): boolean {
  return reason === ADMIN_UNSUBSCRIBE_REASON;
}

/** Whether the member state we last sent carried the store's opt-out (so the unsubscribe in Mailchimp is ours). */
function wroteOptOut(syncedDesired: string | null): boolean {
  if (!syncedDesired) return false;
  return (JSON.parse(syncedDesired) as MemberDesired).consent?.state === 'unsubscribed';
}

/** After "Member In Compliance State": pending when the consent may ask for confirmation, else leave status alone. */
function complianceFallback(consent: Consent | undefined): {
  status_if_new: 'pending' | 'transactional';
  status?: 'pending';
} {
  if (consent && canRequestConfirmation(consent)) return {status_if_new: 'pending', status: 'pending'};
  return {status_if_new: 'transactional', status: undefined};
}
