import type {StoreEvent} from '../model/events.js';
import {ENTITY} from './entity-types.js';
import {refreshMember, rememberPerson, type ProjectionContext, type ProjectionResult} from './projector.js';
import {desireConsentWriteBack, desireCustomerWriteBack} from '../write-back/write-back-desired.js';

/**
 * Changes reported by Mailchimp's list webhook (unsubscribe, cleaned, subscribe, profile, upemail). Mailchimp already
 * holds them, so they update what the connector knows of the person and the member's desired state is marked as
 * already in Mailchimp: no member write goes back for them (the first half of the no-echo guarantee; the webhook is
 * registered without the `api` source, so the connector's own writes never come back either).
 */

type McEvent<K extends string> = Extract<StoreEvent, {kind: K}>;

export async function projectMailchimpConsent(event: McEvent<'mailchimp.consent'>, ctx: ProjectionContext): Promise<ProjectionResult> {
  const email = event.email.toLowerCase();
  await acknowledged(ctx, email, async () => {
    await rememberPerson(ctx, email, {firstName: event.firstName, lastName: event.lastName}, event.consent, {fillOnly: true});
    await refreshMember(ctx, email);
  });
  // Written back to the store only when it is now the person's newest consent (an older Mailchimp event is not).
  const row = await ctx.trx.selectFrom('people').select('consent').where('connection_id', '=', ctx.connectionId).where('email', '=', email).executeTakeFirst();
  const current = row?.consent ? (JSON.parse(row.consent) as {source?: string; updatedAt?: string}) : undefined;
  if (current?.source !== 'mailchimp' || current.updatedAt !== event.consent.updatedAt) return {ok: true, note: `Mailchimp ${event.reason} is older than the consent the store holds; not applied`};
  await desireConsentWriteBack(ctx, email, event.consent, event.reason);
  return {ok: true, note: `Mailchimp ${event.reason}: local consent is now ${event.consent.state}`};
}

export async function projectMailchimpProfile(event: McEvent<'mailchimp.profile'>, ctx: ProjectionContext): Promise<ProjectionResult> {
  const email = event.email.toLowerCase();
  const known = await ctx.trx.selectFrom('people').select('email').where('connection_id', '=', ctx.connectionId).where('email', '=', email).executeTakeFirst();
  if (!known) return {ok: true, note: 'profile change for a person the store does not know'};
  // The person edited their own profile: it is the newest word on their name.
  await acknowledged(ctx, email, async () => {
    await rememberPerson(ctx, email, {firstName: event.firstName, lastName: event.lastName});
    await refreshMember(ctx, email);
  });
  if (event.firstName !== undefined || event.lastName !== undefined) {
    await desireCustomerWriteBack(ctx, {email, firstName: event.firstName, lastName: event.lastName, at: event.at}, email);
  }
  return {ok: true};
}

/**
 * The person changed their address in Mailchimp (preferences page): what the connector knows moves to the new
 * address. The old member's state is dropped locally only: Mailchimp moved the member itself.
 */
export async function projectMailchimpEmailChange(event: McEvent<'mailchimp.email_change'>, ctx: ProjectionContext): Promise<ProjectionResult> {
  const oldEmail = event.oldEmail.toLowerCase();
  const newEmail = event.newEmail.toLowerCase();
  if (oldEmail === newEmail) return {ok: true, note: 'upemail without a change of address'};
  const {trx, connectionId} = ctx;
  const old = await trx.selectFrom('people').selectAll().where('connection_id', '=', connectionId).where('email', '=', oldEmail).executeTakeFirst();
  if (!old) return {ok: true, note: 'address change for a person the store does not know'};
  await acknowledged(ctx, newEmail, async () => {
    const taken = await trx.selectFrom('people').selectAll().where('connection_id', '=', connectionId).where('email', '=', newEmail).executeTakeFirst();
    if (taken) {
      await trx
        .updateTable('people')
        .set({customer_id: taken.customer_id ?? old.customer_id, first_name: taken.first_name ?? old.first_name, last_name: taken.last_name ?? old.last_name, updated_at: ctx.now})
        .where('connection_id', '=', connectionId)
        .where('email', '=', newEmail)
        .execute();
      await trx.deleteFrom('people').where('connection_id', '=', connectionId).where('email', '=', oldEmail).execute();
    } else {
      await trx.updateTable('people').set({email: newEmail, updated_at: ctx.now}).where('connection_id', '=', connectionId).where('email', '=', oldEmail).execute();
    }
    await trx.updateTable('purchases').set({email: newEmail}).where('connection_id', '=', connectionId).where('email', '=', oldEmail).execute();
    // The consent evidence follows the person, so that a GDPR redaction of the new address finds it.
    await trx.updateTable('consent_evidence').set({email: newEmail}).where('connection_id', '=', connectionId).where('email', '=', oldEmail).execute();
    await trx.deleteFrom('sync_state').where('connection_id', '=', connectionId).where('entity_type', '=', ENTITY.member).where('entity_id', '=', oldEmail).execute();
    await refreshMember(ctx, newEmail);
  });
  await desireCustomerWriteBack(ctx, {email: oldEmail, newEmail, at: event.at}, newEmail);
  return {ok: true, note: 'person moved to the new address'};
}

/**
 * Runs a change of the member's desired state that Mailchimp already reflects. If the member was in sync before
 * (or unknown), the new desired state is recorded as synced; if other changes were still waiting to be sent, the
 * record stays pending so they go out (with the new consent, which the consent rules then leave as it is).
 */
async function acknowledged(ctx: ProjectionContext, email: string, change: () => Promise<void>): Promise<void> {
  const before = await ctx.trx
    .selectFrom('sync_state')
    .select(['desired_hash', 'synced_hash', 'status'])
    .where('connection_id', '=', ctx.connectionId)
    .where('entity_type', '=', ENTITY.member)
    .where('entity_id', '=', email)
    .executeTakeFirst();
  await change();
  const wasInSync = !before || before.status === 'synced' || (before.synced_hash !== null && before.synced_hash === before.desired_hash);
  if (!wasInSync) return;
  const after = await ctx.trx
    .selectFrom('sync_state')
    .select(['desired', 'desired_hash', 'synced_hash'])
    .where('connection_id', '=', ctx.connectionId)
    .where('entity_type', '=', ENTITY.member)
    .where('entity_id', '=', email)
    .executeTakeFirst();
  if (!after || after.synced_hash === after.desired_hash) return;
  await ctx.trx
    .updateTable('sync_state')
    .set({status: 'synced', synced_hash: after.desired_hash, synced_desired: after.desired, synced_at: ctx.now, attempts: 0, last_error: null, updated_at: ctx.now})
    .where('connection_id', '=', ctx.connectionId)
    .where('entity_type', '=', ENTITY.member)
    .where('entity_id', '=', email)
    .where('desired_hash', '=', after.desired_hash)
    .execute();
}
