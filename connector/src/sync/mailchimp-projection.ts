import type {StoreEvent} from '../model/events.js';
import {ENTITY, PRIORITY} from './entity-types.js';
import type {ProjectionContext, ProjectionResult} from './projector.js';
import {refreshMember, rememberPerson} from './member-state.js';
import {
  desireConsentWriteBack,
  desireCustomerWriteBack,
  desireEmailChangeWriteBack,
} from '../write-back/write-back-desired.js';
import {
  MAILCHIMP_CONFIRM_ENTITY,
  mergeHints,
  type ConfirmedChange,
  type MailchimpChangeHint,
} from '../mailchimp-webhooks/mailchimp-confirmation.js';

/**
 * Changes reported by Mailchimp's list webhook (unsubscribe, cleaned, subscribe, profile, upemail).
 *
 * A delivery is a hint, not the truth (anyone who learns the webhook URL can post one): projecting it records a
 * hint to confirm (`mailchimp_confirm`, see mailchimp-webhooks/mailchimp-confirmation.ts), and nothing else. The
 * sync worker then reads the member from Mailchimp and applies what Mailchimp confirms through the `applyConfirmed…`
 * functions below.
 *
 * A confirmed change is already in Mailchimp, so it updates what the connector knows of the person and the
 * member's desired state is marked as already in Mailchimp: no member write goes back for it (the first half of the
 * no-echo guarantee; the webhook is registered without the `api` source, so the connector's own writes never come
 * back either).
 */

type McEvent<K extends string> = Extract<StoreEvent, {kind: K}>;

export function projectMailchimpConsent(
  event: McEvent<'mailchimp.consent'>,
  ctx: ProjectionContext,
): Promise<ProjectionResult> {
  const state = event.consent.state === 'subscribed' ? 'subscribed' : 'unsubscribed';
  return recordHint(ctx, {
    email: event.email.toLowerCase(),
    consent: {state, reason: event.reason, at: event.consent.updatedAt},
    requestedAt: ctx.now,
  });
}

export function projectMailchimpProfile(
  event: McEvent<'mailchimp.profile'>,
  ctx: ProjectionContext,
): Promise<ProjectionResult> {
  return recordHint(ctx, {email: event.email.toLowerCase(), profile: {at: event.at}, requestedAt: ctx.now});
}

export function projectMailchimpEmailChange(
  event: McEvent<'mailchimp.email_change'>,
  ctx: ProjectionContext,
): Promise<ProjectionResult> {
  return recordHint(ctx, {
    email: event.newEmail.toLowerCase(),
    emailChange: {oldEmail: event.oldEmail.toLowerCase(), at: event.at},
    requestedAt: ctx.now,
  });
}

/** Records (or merges into the one still waiting) the hint to confirm with Mailchimp for one address. */
async function recordHint(ctx: ProjectionContext, hint: MailchimpChangeHint): Promise<ProjectionResult> {
  const syncState = ctx.syncState;
  const key = {connectionId: ctx.connectionId, entityType: MAILCHIMP_CONFIRM_ENTITY, entityId: hint.email};
  const existing = await syncState.get(key);
  const waiting =
    existing && existing.status !== 'synced' ? (JSON.parse(existing.desired) as MailchimpChangeHint) : undefined;
  const value = mergeHints(waiting, hint);
  // Hints are ordered by arrival, not by their (outside) times: the version only has to keep rising.
  const version = existing && existing.desired_version > ctx.now ? existing.desired_version : ctx.now;
  await syncState.desire(key, value, version, {now: ctx.now, priority: PRIORITY.live});
  return {ok: true, note: 'Mailchimp webhook delivery recorded; it is applied once Mailchimp confirms it'};
}

/** Applies one change Mailchimp confirmed (MailchimpConfirmProcessor, in its transaction). */
export function applyConfirmedChange(
  change: ConfirmedChange,
  ctx: ProjectionContext,
  options: {emailChangeWriteBack: boolean},
): Promise<ProjectionResult> {
  switch (change.kind) {
    case 'consent':
      return applyConfirmedConsent(change, ctx);
    case 'profile':
      return applyConfirmedProfile(change, ctx);
    case 'email_change':
      return applyConfirmedEmailChange(change, ctx, options);
  }
}

export async function applyConfirmedConsent(
  event: Extract<ConfirmedChange, {kind: 'consent'}>,
  ctx: ProjectionContext,
): Promise<ProjectionResult> {
  const email = event.email.toLowerCase();
  await acknowledged(ctx, email, async () => {
    await rememberPerson(ctx, email, {firstName: event.firstName, lastName: event.lastName}, event.consent, {
      fillOnly: true,
    });
    await refreshMember(ctx, email);
  });
  // Written back to the store only when it is now the person's newest consent (an older Mailchimp event is not).
  const current = await ctx.people.knownConsent(ctx.connectionId, email);
  if (current?.source !== 'mailchimp' || current.updatedAt !== event.consent.updatedAt)
    return {ok: true, note: `Mailchimp ${event.reason} is older than the consent the store holds; not applied`};
  await desireConsentWriteBack(ctx, email, event.consent, event.reason);
  return {ok: true, note: `Mailchimp ${event.reason}: local consent is now ${event.consent.state}`};
}

export async function applyConfirmedProfile(
  event: Extract<ConfirmedChange, {kind: 'profile'}>,
  ctx: ProjectionContext,
): Promise<ProjectionResult> {
  const email = event.email.toLowerCase();
  const known = await ctx.people.get(ctx.connectionId, email);
  if (!known) return {ok: true, note: 'profile change for a person the store does not know'};
  // The person edited their own profile: it is the newest word on their name.
  await acknowledged(ctx, email, async () => {
    await rememberPerson(ctx, email, {firstName: event.firstName, lastName: event.lastName});
    await refreshMember(ctx, email);
  });
  if (event.firstName !== undefined || event.lastName !== undefined) {
    await desireCustomerWriteBack(
      ctx,
      {email, firstName: event.firstName, lastName: event.lastName, at: event.at},
      email,
    );
  }
  return {ok: true};
}

/**
 * The person changed their address in Mailchimp (preferences page): what the connector knows moves to the new
 * address. The old member's state is dropped locally only: Mailchimp moved the member itself. The store's
 * customer keeps its address (it is the login of a Shopify customer account: changing it automatically would let a
 * forged change take over the account through a password reset); the change is recorded for the operator
 * (`GET /v1/email-changes`), or written back when MAILCHIMP_EMAIL_CHANGE_WRITE_BACK is on.
 */
export async function applyConfirmedEmailChange(
  event: Extract<ConfirmedChange, {kind: 'email_change'}>,
  ctx: ProjectionContext,
  options: {emailChangeWriteBack: boolean},
): Promise<ProjectionResult> {
  const oldEmail = event.oldEmail.toLowerCase();
  const newEmail = event.newEmail.toLowerCase();
  if (oldEmail === newEmail) return {ok: true, note: 'upemail without a change of address'};
  const {connectionId} = ctx;
  const people = ctx.people;
  const old = await people.get(connectionId, oldEmail);
  if (!old) return {ok: true, note: 'address change for a person the store does not know'};
  await acknowledged(ctx, newEmail, async () => {
    await people.moveAddress(connectionId, old, newEmail, ctx.now);
    // The consent evidence follows the person, so that a GDPR redaction of the new address finds it.
    await ctx.consentEvidence.moveAddress(connectionId, oldEmail, newEmail);
    await ctx.syncState.remove({connectionId, entityType: ENTITY.member, entityId: oldEmail});
    await refreshMember(ctx, newEmail);
  });
  await desireEmailChangeWriteBack(ctx, {email: oldEmail, newEmail, at: event.at}, newEmail, {
    automatic: options.emailChangeWriteBack,
  });
  return {ok: true, note: 'person moved to the new address'};
}

/**
 * Runs a change of the member's desired state that Mailchimp already reflects. If the member was in sync before
 * (or unknown), the new desired state is recorded as synced; if other changes were still waiting to be sent, the
 * record stays pending so they go out (with the new consent, which the consent rules then leave as it is).
 */
async function acknowledged(ctx: ProjectionContext, email: string, change: () => Promise<void>): Promise<void> {
  const syncState = ctx.syncState;
  const key = {connectionId: ctx.connectionId, entityType: ENTITY.member, entityId: email};
  const before = await syncState.get(key);
  await change();
  const wasInSync =
    !before ||
    before.status === 'synced' ||
    (before.synced_hash !== null && before.synced_hash === before.desired_hash);
  if (!wasInSync) return;
  const after = await syncState.get(key);
  if (!after || after.synced_hash === after.desired_hash) return;
  await syncState.acknowledge(key, after.desired_hash, after.desired, ctx.now);
}
