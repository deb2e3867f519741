import {assertNewContactEmail, assertValidEmail} from '../../core/email-address.js';
import type {NewMemberInput} from '../../core/members.js';
import {problems} from '../../core/problem.js';
import {
  addressInList,
  assertStatusChangeAllowed,
  changeStatus,
  createMember,
  emitMember,
  findMember,
  forgottenEmail,
  memberExists,
} from '../../core/members.js';
import {
  subscriberHash,
  type ListRecord,
  type MemberEvent,
  type MemberRecord,
  type MemberStatus,
  type SandboxState,
} from '../../core/state.js';
import {mergeValues, sameMergeValues} from './merge-values.js';
import {
  oneOf,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringArray,
  requireFields,
  type Body,
} from './request-body.js';
import {addToStatic, dropFromSegments, findOrCreateTag, renameInSegments} from './segment-store.js';

/**
 * The member use-cases behind PUT/POST/PATCH/DELETE …/members and the people's actions. Each one validates the
 * whole request before it changes anything, then raises the events Mailchimp would (via changeStatus/emitMember),
 * which the list webhooks deliver.
 */

export interface WriteOptions {
  /** `skip_merge_validation=true`. */
  skipMergeValidation: boolean;
  /** Who made the change, for webhook `sources`. */
  source: MemberEvent['source'];
}

const NEW_STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'pending', 'transactional'] as const;
const PATCH_STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'pending'] as const;

/**
 * PUT …/members/{subscriber_hash}: add or update (recorded traffic).
 * - The path names a member: an update. `email_address` is not needed; one that differs changes the address.
 * - Otherwise the body's address is upserted, and `email_address` is required. Whether or not its hash is the path's
 *   (a hash made without lower-casing, or another address altogether), it is added under its own hash, as POST
 *   adds: a new address needs status_if_new, an archived one comes back with its old values, and one already on
 *   the list otherwise is "Member Exists" (notes §2.1; the path did not name it, so this is not an update of it).
 */
export function upsertMember(
  state: SandboxState,
  list: ListRecord,
  pathId: string,
  body: Body,
  options: WriteOptions,
): MemberRecord {
  const status = oneOf(body, 'status', NEW_STATUSES);
  const statusIfNew = oneOf(body, 'status_if_new', NEW_STATUSES);
  const existing = findMember(list, pathId);
  if (existing) return updateMember(state, list, existing, body, options, upsertStatus(existing, status, statusIfNew));
  requireFields(body, ['email_address']);
  const email = optionalString(body, 'email_address')!;
  assertValidEmail(email);
  const named = findMember(list, email);
  if (named) {
    if (named.status !== 'archived') throw memberExists(email);
    return updateMember(state, list, named, body, options, upsertStatus(named, status, statusIfNew));
  }
  if (list.forgotten.has(subscriberHash(email))) throw forgottenEmail(email);
  assertNewContactEmail(email);
  if (statusIfNew === undefined) requireFields(body, ['status_if_new']);
  return addNew(state, list, email, statusIfNew!, body, options);
}

/** Archived contacts come back through PUT; for them status_if_new stands in when no status is sent. */
function upsertStatus(
  member: MemberRecord,
  status: MemberStatus | undefined,
  statusIfNew: MemberStatus | undefined,
): MemberStatus | undefined {
  return member.status === 'archived' ? (status ?? statusIfNew) : status;
}

/** POST …/members: add; an address already on the list is "Member Exists" unless it is archived. */
export function addMember(state: SandboxState, list: ListRecord, body: Body, options: WriteOptions): MemberRecord {
  requireFields(body, ['email_address', 'status']);
  const email = optionalString(body, 'email_address')!;
  const status = oneOf(body, 'status', NEW_STATUSES)!;
  const tags = optionalStringArray(body, 'tags') ?? [];
  assertValidEmail(email);
  const existing = findMember(list, email);
  let member: MemberRecord;
  if (existing && existing.status !== 'archived') throw memberExists(existing.email_address);
  if (existing) member = updateMember(state, list, existing, body, options, status);
  else member = addNew(state, list, email, status, body, options);
  for (const name of tags) if (name.trim() !== '') addToStatic(state, findOrCreateTag(state, list, name), member);
  return member;
}

/** PATCH …/members/{subscriber_hash}. */
export function patchMember(
  state: SandboxState,
  list: ListRecord,
  member: MemberRecord,
  body: Body,
  options: WriteOptions,
): MemberRecord {
  return updateMember(state, list, member, body, options, oneOf(body, 'status', PATCH_STATUSES));
}

/**
 * Applies a write to an existing member: address change (upemail), profile fields (profile event when merge
 * values or interests change), then the status (subscribe/unsubscribe/cleaned events through changeStatus).
 */
export function updateMember(
  state: SandboxState,
  list: ListRecord,
  member: MemberRecord,
  body: Body,
  options: WriteOptions,
  status: MemberStatus | undefined,
): MemberRecord {
  const profile = readProfile(body);
  const newEmail = optionalString(body, 'email_address');
  const emailChanges = newEmail !== undefined && newEmail !== member.email_address;
  if (emailChanges && subscriberHash(newEmail) !== member.id) assertAddressChangeAllowed(list, newEmail);
  // Required merge fields are checked when merge values are written, not on every status or flag change: members
  // created by the e-commerce API have none and Mailchimp still lets them be updated.
  const merges =
    profile.merge_fields === undefined
      ? undefined
      : mergeValues(list, member.merge_fields, profile.merge_fields, {
          skipRequired: options.skipMergeValidation,
          isNew: false,
        });
  if (status !== undefined) assertStatusChangeAllowed(member, status, options.source);

  if (emailChanges) changeEmail(state, list, member, newEmail, options.source);
  const profileChanged =
    (merges !== undefined && !sameMergeValues(merges, member.merge_fields)) ||
    (profile.interests !== undefined && Object.entries(profile.interests).some(([k, v]) => member.interests[k] !== v));
  if (merges) member.merge_fields = merges;
  if (profile.interests) member.interests = {...member.interests, ...profile.interests};
  if (profile.email_type) member.email_type = profile.email_type;
  if (profile.language !== undefined) member.language = profile.language;
  if (profile.vip !== undefined) member.vip = profile.vip;
  if (profile.ip_signup !== undefined) member.ip_signup = profile.ip_signup;
  if (profile.timestamp_signup !== undefined) member.timestamp_signup = profile.timestamp_signup;
  if (profile.ip_opt !== undefined) member.ip_opt = profile.ip_opt;
  if (profile.timestamp_opt !== undefined) member.timestamp_opt = profile.timestamp_opt;
  if (profile.marketing_permissions) member.marketing_permissions = profile.marketing_permissions;
  if (profileChanged) {
    member.last_changed = state.timestamp();
    emitMember(state, {type: 'profile', source: options.source, listId: list.id, member});
  }
  if (status !== undefined) changeStatus(state, list, member, status, options.source);
  return member;
}

/** A new address: checked, merge values checked and defaulted, then created (createMember raises `subscribe`). */
function addNew(
  state: SandboxState,
  list: ListRecord,
  email: string,
  status: MemberStatus,
  body: Body,
  options: WriteOptions,
): MemberRecord {
  // Before the merge values, so that a fake address is refused as such whatever else the body gets wrong.
  assertNewContactEmail(email);
  const profile = readProfile(body);
  const merges = mergeValues(list, {}, profile.merge_fields, {skipRequired: options.skipMergeValidation, isNew: true});
  return createMember(
    state,
    list,
    {
      email_address: email,
      status,
      merge_fields: merges,
      interests: profile.interests,
      email_type: profile.email_type,
      language: profile.language,
      vip: profile.vip,
      ip_signup: profile.ip_signup,
      timestamp_signup: profile.timestamp_signup,
      ip_opt: profile.ip_opt,
      timestamp_opt: profile.timestamp_opt,
      marketing_permissions: profile.marketing_permissions,
      source: options.source === 'user' ? 'Hosted Signup Form' : 'API - Generic',
    },
    options.source,
  );
}

/**
 * An API write moving a member onto another address: one the list holds already, whatever its status, is refused as
 * an invalid address naming that status (recorded traffic), not as "Member Exists".
 */
function assertAddressChangeAllowed(list: ListRecord, email: string): void {
  assertValidEmail(email);
  const holder = findMember(list, email);
  if (holder) throw addressInList(email, holder.status);
  if (list.forgotten.has(subscriberHash(email))) throw forgottenEmail(email);
}

/** The preferences page's address change (changeEmail): a taken address is "Member Exists". */
function assertAddressFree(list: ListRecord, email: string): void {
  assertValidEmail(email);
  if (findMember(list, email)) throw memberExists(email);
  if (list.forgotten.has(subscriberHash(email))) throw forgottenEmail(email);
}

/**
 * A new address for a member: its id (the hash of the address) and unique_email_id change, its contact_id, tags
 * and history stay. Raises `upemail` with data[new_id], data[new_email], data[old_email].
 */
export function changeEmail(
  state: SandboxState,
  list: ListRecord,
  member: MemberRecord,
  newEmail: string,
  source: MemberEvent['source'],
): void {
  if (subscriberHash(newEmail) === member.id) {
    // The same address (perhaps in other letter case): nothing changes but how it is written.
    member.email_address = newEmail;
    return;
  }
  assertAddressFree(list, newEmail);
  const oldEmail = member.email_address;
  const oldId = member.id;
  const newId = subscriberHash(newEmail);
  list.members.delete(oldId);
  member.id = newId;
  member.email_address = newEmail;
  member.unique_email_id = state.newId(10);
  member.last_changed = state.timestamp();
  list.members.set(newId, member);
  renameInSegments(list, oldId, newId);
  emitMember(state, {
    type: 'upemail',
    source,
    listId: list.id,
    member,
    data: {new_id: member.unique_email_id, new_email: newEmail, old_email: oldEmail},
  });
}

/**
 * DELETE …/members/{hash}: archive. Bounced (cleaned), pending and archived contacts cannot be archived: 405 with
 * `Allow: GET, PUT` and Mailchimp's text (notes §2.3). Archiving a subscriber raises `unsubscribe` with
 * data[action]=delete, as Mailchimp reports deletions.
 */
export function archiveMember(state: SandboxState, list: ListRecord, member: MemberRecord): void {
  if (member.status === 'cleaned' || member.status === 'pending' || member.status === 'archived') {
    throw problems.methodNotAllowed(
      ['GET', 'PUT'],
      'This list member cannot be removed. Can not archive a contact that is bounced, pending or archived',
    );
  }
  const wasSubscribed = member.status === 'subscribed';
  changeStatus(state, list, member, 'archived');
  if (wasSubscribed)
    emitMember(state, {
      type: 'unsubscribe',
      source: 'api',
      listId: list.id,
      member,
      data: {action: 'delete', reason: 'manual'},
    });
}

/** POST …/actions/delete-permanent: gone for good; the address can never be re-added through the API. */
export function deleteMemberPermanently(state: SandboxState, list: ListRecord, member: MemberRecord): void {
  list.members.delete(member.id);
  list.forgotten.add(member.id);
  dropFromSegments(list, member.id);
  if (member.status === 'subscribed') {
    emitMember(state, {
      type: 'unsubscribe',
      source: 'api',
      listId: list.id,
      member,
      data: {action: 'delete', reason: 'manual'},
    });
  }
}

/** The profile part of a member write: everything a new member takes except its address, status and source. */
type ProfileInput = Omit<NewMemberInput, 'email_address' | 'status' | 'source'>;

function readProfile(body: Body): ProfileInput {
  const interests = optionalObject(body, 'interests');
  if (interests && !Object.values(interests).every((v) => typeof v === 'boolean')) {
    throw problems.invalidResource([{field: 'interests', message: 'Interest values must be booleans.'}]);
  }
  const permissions = body.marketing_permissions;
  if (permissions !== undefined && !Array.isArray(permissions)) {
    throw problems.invalidResource([
      {field: 'marketing_permissions', message: 'Schema describes array, object found instead'},
    ]);
  }
  return {
    email_type: oneOf(body, 'email_type', ['html', 'text'] as const),
    merge_fields: optionalObject(body, 'merge_fields'),
    interests: interests as Record<string, boolean> | undefined,
    language: optionalString(body, 'language'),
    vip: optionalBoolean(body, 'vip'),
    ip_signup: optionalString(body, 'ip_signup'),
    timestamp_signup: optionalString(body, 'timestamp_signup'),
    ip_opt: optionalString(body, 'ip_opt'),
    timestamp_opt: optionalString(body, 'timestamp_opt'),
    marketing_permissions: (permissions as Array<Record<string, unknown>> | undefined)?.map((p) => ({
      marketing_permission_id: String(p.marketing_permission_id ?? ''),
      enabled: p.enabled === true,
    })),
  };
}
