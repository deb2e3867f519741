import type {Consent} from '../model/consent.js';
import type {ProjectionContext} from '../sync/projector.js';
import {ENTITY, PRIORITY} from '../sync/entity-types.js';

/**
 * What the connector writes back to the store when Mailchimp reports a change (sync_state rows of the write-back
 * entity types, sent by the processors in this folder through the worker: retries, back-off and dead letters as
 * for Mailchimp writes). Only Shopify connections have a store Admin API to write to.
 */

/** Shopify's settable consent states (customerEmailMarketingConsentUpdate accepts SUBSCRIBED, UNSUBSCRIBED, PENDING). */
export type WriteBackState = 'SUBSCRIBED' | 'UNSUBSCRIBED';

export interface ConsentWriteBack {
  email: string;
  /** The store's customer id when known; otherwise the customer is found by address (guests). */
  customerId?: string;
  state: WriteBackState;
  /** When the person changed it in Mailchimp: Shopify records it as the consent time, and a newer store consent wins. */
  consentUpdatedAt: string;
  reason: 'subscribe' | 'unsubscribe' | 'cleaned';
}

export interface CustomerWriteBack {
  /** The address the store knows the customer by now. */
  email: string;
  customerId?: string;
  firstName?: string;
  lastName?: string;
  /** A new address chosen in Mailchimp. */
  newEmail?: string;
  at: string;
}

const STATE_OF: Record<WriteBackState, Consent['state']> = {SUBSCRIBED: 'subscribed', UNSUBSCRIBED: 'unsubscribed'};

async function writesBack(ctx: ProjectionContext): Promise<boolean> {
  return (await ctx.connections.platform(ctx.connectionId)) === 'shopify';
}

/** Write-backs are live work, always at live priority (whatever the projection's own priority and lane). */
async function desire(
  ctx: ProjectionContext,
  type: string,
  id: string,
  value: unknown,
  version: string,
): Promise<void> {
  await ctx.syncState.desire({connectionId: ctx.connectionId, entityType: type, entityId: id}, value, version, {
    now: ctx.now,
    priority: PRIORITY.live,
  });
}

function customerIdOf(ctx: ProjectionContext, email: string): Promise<string | undefined> {
  return ctx.people.customerIdOf(ctx.connectionId, email);
}

/** Queues the store consent write-back of a Mailchimp consent change (newer-wins by the change's time). */
export async function desireConsentWriteBack(
  ctx: ProjectionContext,
  emailRaw: string,
  consent: Consent,
  reason: ConsentWriteBack['reason'],
): Promise<void> {
  if (!(await writesBack(ctx))) return;
  const email = emailRaw.toLowerCase();
  const state: WriteBackState = consent.state === 'subscribed' ? 'SUBSCRIBED' : 'UNSUBSCRIBED';
  const customerId = await customerIdOf(ctx, email);
  const value: ConsentWriteBack = {
    email,
    ...(customerId ? {customerId} : {}),
    state,
    consentUpdatedAt: consent.updatedAt,
    reason,
  };
  await desire(ctx, ENTITY.shopifyConsent, email, value, consent.updatedAt);
}

/** Queues a profile (names) or address write-back, keyed by the store customer (or, for guests, the address). */
export async function desireCustomerWriteBack(
  ctx: ProjectionContext,
  change: Omit<CustomerWriteBack, 'customerId'>,
  customerEmail: string,
): Promise<void> {
  if (!(await writesBack(ctx))) return;
  const customerId = await customerIdOf(ctx, customerEmail.toLowerCase());
  const key = customerId ?? change.email.toLowerCase();
  const existing = await ctx.syncState.get({
    connectionId: ctx.connectionId,
    entityType: ENTITY.shopifyCustomer,
    entityId: key,
  });
  // Changes not yet written merge (a name edit then an address change both reach the store).
  const pending =
    existing && existing.status !== 'synced' ? (JSON.parse(existing.desired) as CustomerWriteBack) : undefined;
  const value: CustomerWriteBack = {
    ...pending,
    ...dropUndefined(change),
    email: pending?.email ?? change.email.toLowerCase(),
    at: change.at,
    ...(customerId ? {customerId} : {}),
  };
  await desire(ctx, ENTITY.shopifyCustomer, key, value, change.at);
}

/**
 * The sync-state entity type of address changes reported by Mailchimp that were NOT written to the store: they wait
 * for the operator (`GET /v1/email-changes`). Status `skipped`: the worker never sends them. A confirmed change is
 * keyed by the store customer (or, for guests, the old address); one Mailchimp did not confirm by the same key plus
 * `#unconfirmed`, so a forged report never hides a genuine one.
 */
export const EMAIL_CHANGE_ENTITY = 'shopify_email_change';

/** An address change awaiting the operator. */
export interface EmailChangeRecord {
  /** The address the store knows the customer by (the first one of a chain of changes). */
  oldEmail: string;
  newEmail: string;
  customerId?: string;
  /** When the person changed it in Mailchimp (as reported). */
  changedAt: string;
  /** When the connector checked it with Mailchimp. */
  recordedAt: string;
  /** Whether Mailchimp confirmed it (the new address is the member, the old one is gone); if not, why. */
  confirmed: boolean;
  reason?: string;
}

/**
 * A confirmed address change: written back to the store's customer only when the operator allowed it
 * (MAILCHIMP_EMAIL_CHANGE_WRITE_BACK; a Shopify customer's address is their login, so a change made automatically
 * hands the account to whoever made it, through a password reset); otherwise recorded for the operator.
 */
export async function desireEmailChangeWriteBack(
  ctx: ProjectionContext,
  change: {email: string; newEmail: string; at: string},
  customerEmail: string,
  options: {automatic: boolean},
): Promise<void> {
  if (options.automatic && (await writesBack(ctx))) {
    await desireCustomerWriteBack(ctx, change, customerEmail);
    return;
  }
  await recordEmailChange(ctx, change, customerEmail, {confirmed: true});
}

/**
 * An address change Mailchimp did not confirm (forged, or the old address is still on the audience), for a person
 * the store knows: nothing moves, and the operator sees it with the reason.
 */
export async function recordUnconfirmedEmailChange(
  ctx: ProjectionContext,
  change: {email: string; newEmail: string; at: string},
  reason: string,
): Promise<boolean> {
  const known = await ctx.people.get(ctx.connectionId, change.email.toLowerCase());
  if (!known) return false;
  await recordEmailChange(ctx, change, change.email, {confirmed: false, reason});
  return true;
}

async function recordEmailChange(
  ctx: ProjectionContext,
  change: {email: string; newEmail: string; at: string},
  customerEmail: string,
  outcome: {confirmed: boolean; reason?: string},
): Promise<void> {
  const customerId = await customerIdOf(ctx, customerEmail.toLowerCase());
  const key = `${customerId ?? change.email.toLowerCase()}${outcome.confirmed ? '' : '#unconfirmed'}`;
  const syncState = ctx.syncState;
  const entity = {connectionId: ctx.connectionId, entityType: EMAIL_CHANGE_ENTITY, entityId: key};
  const existing = await syncState.get(entity);
  const waiting =
    outcome.confirmed && existing?.status === 'skipped'
      ? (JSON.parse(existing.desired) as EmailChangeRecord)
      : undefined;
  const value: EmailChangeRecord = {
    oldEmail: waiting?.oldEmail ?? change.email.toLowerCase(),
    newEmail: change.newEmail.toLowerCase(),
    ...(customerId ? {customerId} : {}),
    changedAt: change.at,
    recordedAt: ctx.now,
    confirmed: outcome.confirmed,
    ...(outcome.reason ? {reason: outcome.reason} : {}),
  };
  await syncState.desire(entity, value, ctx.now, {now: ctx.now, priority: PRIORITY.live});
  // Not for the worker: it waits for the operator.
  await syncState.skip(entity, ctx.now);
}

/**
 * Whether a store consent event is the echo of the connector's own write-back: same state and same consent time
 * (Shopify reports back the `consentUpdatedAt` it was given; Mailchimp's times have whole seconds). An echo changes
 * nothing and is not sent to Mailchimp: that is the store half of the no-echo guarantee.
 */
export async function isConsentWriteBackEcho(
  ctx: ProjectionContext,
  emailRaw: string,
  consent: Consent,
): Promise<boolean> {
  if (consent.source !== 'shopify') return false;
  const written = await ctx.syncState.desiredOf<ConsentWriteBack>({
    connectionId: ctx.connectionId,
    entityType: ENTITY.shopifyConsent,
    entityId: emailRaw.toLowerCase(),
  });
  if (!written) return false;
  return (
    STATE_OF[written.state] === consent.state &&
    Math.abs(Date.parse(written.consentUpdatedAt) - Date.parse(consent.updatedAt)) < 1000
  );
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
