import type {Consent, ConsentSource} from '../model/consent.js';
import type {Order} from '../model/entities.js';
import {parseOptInSources, type PersonFacts, type PersonRow} from '../store/people-repository.js';
import type {UpsertOutcome} from '../store/sync-state-repository.js';
import {ENTITY, PRIORITY} from './entity-types.js';
import type {ProjectionContext} from './projector.js';

/**
 * What the projection knows of a person and the member state computed from it: shared by the projector, the
 * Mailchimp projection, the storefront checkout consent and the lapsed-buyer job (kept apart from the projector so
 * that none of them imports another at run time).
 */

/** The desired state of a list member: who they are, their newest consent, and the tags the connector manages. */
export interface MemberDesired {
  email: string;
  customerId?: string;
  firstName?: string;
  lastName?: string;
  consent?: Consent;
  /** Storefront sources (subscribe form, checkout checkbox) the person opted in through since their last opt-out. */
  optInSources?: ConsentSource[];
  /** Canonical orders of this person that count for tags, oldest first. */
  purchases: Order[];
  /** Set by the lapsed-buyer job: the time-driven tags changed although no event did (so the state is resent). */
  lapsedCheckAt?: string;
}

/** Desires an entity's state as the projection does: the context's priority (default live) and lane. */
export async function desire(
  ctx: ProjectionContext,
  type: string,
  id: string,
  value: unknown,
  version: string,
): Promise<UpsertOutcome> {
  return ctx.syncState.desire({connectionId: ctx.connectionId, entityType: type, entityId: id}, value, version, {
    now: ctx.now,
    priority: ctx.priority ?? PRIORITY.live,
    lane: ctx.lane,
  });
}

/** Updates what we know of a person; a consent only replaces an older one (late webhook retries carry old payloads). */
export async function rememberPerson(
  ctx: ProjectionContext,
  emailRaw: string,
  facts: PersonFacts,
  consent?: Consent,
  options: {fillOnly?: boolean} = {},
): Promise<void> {
  await ctx.people.remember(ctx.connectionId, emailRaw, facts, consent, {...options, now: ctx.now});
}

/** Recomputes the member's desired state from everything known locally about the person. */
export async function refreshMember(
  ctx: ProjectionContext,
  emailRaw: string,
  extra: Pick<MemberDesired, 'lapsedCheckAt'> = {},
): Promise<void> {
  const email = emailRaw.toLowerCase();
  const people = ctx.people;
  const person = await people.get(ctx.connectionId, email);
  const purchases = await people.purchasesOf(ctx.connectionId, email);
  // The member is recomputed from local truth (where newer-wins already applied), so its version is now.
  await desire(ctx, ENTITY.member, email, memberDesiredOf(email, person, purchases, extra), ctx.now);
}

/**
 * Recomputes the members of these addresses at once (two reads for all of them, then one write each): the
 * backfill's members phase, which computes every member once instead of once per order projected.
 * Returns how many members were queued (created or changed).
 */
export async function refreshMembers(ctx: ProjectionContext, emailsRaw: readonly string[]): Promise<number> {
  const emails = [...new Set(emailsRaw.map((e) => e.toLowerCase()))];
  if (emails.length === 0) return 0;
  const people = new Map((await ctx.people.peopleOf(ctx.connectionId, emails)).map((p) => [p.email, p]));
  const purchases = new Map<string, Order[]>();
  for (const {email, order} of await ctx.people.purchasesOfAll(ctx.connectionId, emails)) {
    const list = purchases.get(email);
    if (list) list.push(order);
    else purchases.set(email, [order]);
  }
  let queued = 0;
  for (const email of emails) {
    const desired = memberDesiredOf(email, people.get(email), purchases.get(email) ?? []);
    const outcome = await desire(ctx, ENTITY.member, email, desired, ctx.now);
    if (outcome === 'created' || outcome === 'updated') queued += 1;
  }
  return queued;
}

/** The member's desired state from the person's row and their purchases (oldest first): pure. */
export function memberDesiredOf(
  email: string,
  person: PersonRow | undefined,
  purchases: Order[],
  extra: Pick<MemberDesired, 'lapsedCheckAt'> = {},
): MemberDesired {
  return {
    email,
    customerId: person?.customer_id ?? undefined,
    firstName: person?.first_name ?? undefined,
    lastName: person?.last_name ?? undefined,
    consent: person?.consent ? (JSON.parse(person.consent) as Consent) : undefined,
    ...optInSourcesField(parseOptInSources(person?.opt_in_sources)),
    purchases,
    ...extra,
  };
}

/** Present only when there are sources, so members without storefront opt-ins keep their desired content (and hash). */
function optInSourcesField(sources: ConsentSource[]): Pick<MemberDesired, 'optInSources'> {
  return sources.length > 0 ? {optInSources: sources} : {};
}
