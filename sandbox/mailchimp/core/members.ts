import {assertNewContactEmail} from './email-address.js';
import {MailchimpProblem, problems} from './problem.js';
import {
  subscriberHash,
  type ListRecord,
  type MemberEvent,
  type MemberRecord,
  type MemberStatus,
  type MemberTag,
  type SandboxState,
} from './state.js';

/**
 * Member rules shared by every module that creates or changes list members (members API, e-commerce customers
 * and orders, people's actions). Status changes raise `member` events, which the list webhooks deliver.
 */

export function getList(state: SandboxState, listId: string): ListRecord {
  const list = state.lists.get(listId);
  if (!list) throw problems.notFound();
  return list;
}

/** Path segments accept the MD5 hash, the address itself, or the contact id. */
export function findMember(list: ListRecord, idOrEmail: string): MemberRecord | undefined {
  const byHash = list.members.get(idOrEmail.toLowerCase());
  if (byHash) return byHash;
  if (idOrEmail.includes('@')) return list.members.get(subscriberHash(idOrEmail));
  for (const m of list.members.values()) if (m.contact_id === idOrEmail) return m;
  return undefined;
}

export function requireMember(list: ListRecord, idOrEmail: string): MemberRecord {
  const member = findMember(list, idOrEmail);
  if (!member) throw problems.notFound();
  return member;
}

// Mailchimp answers these without an `errors` array (notes §9).
export const forgottenEmail = (email: string) =>
  new MailchimpProblem(
    400,
    'Forgotten Email Not Subscribed',
    `${email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.`,
  );

export const complianceState = (email: string) =>
  new MailchimpProblem(
    400,
    'Member In Compliance State',
    `${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
  );

export const memberExists = (email: string) =>
  new MailchimpProblem(
    400,
    'Member Exists',
    `${email} is already a list member. Use PUT to insert or update list members.`,
  );

/** Changing a member's address (PUT/PATCH `email_address`) onto one the list already holds (recorded traffic). */
export const addressInList = (email: string, status: MemberStatus) =>
  problems.invalidResource([
    {field: 'email address', message: `"${email}" is already in this list with a status of "${status}".`},
  ]);

/** unsubscribe_reason of a member unsubscribed through the API or by an admin (recorded traffic). */
export const ADMIN_UNSUBSCRIBE_REASON = 'N/A (Unsubscribed by admin)';

/** A contact's own unsubscribe without words of their own: through a campaign's link, or otherwise. */
function contactDefaultReason(data: Record<string, string>): string {
  return data.campaign_id ? 'N/A (Unsubscribe link)' : 'N/A';
}

/**
 * Cleaned addresses (bounces) and contacts who unsubscribed themselves are in a compliance state: the API may not
 * subscribe them again (only `pending`, which asks them to confirm). An API or admin unsubscribe is no such state.
 */
export function inComplianceState(member: MemberRecord): boolean {
  return member.status === 'cleaned' || (member.status === 'unsubscribed' && member.unsubscribed_by === 'contact');
}

/** A member's tags: the static segments of its list that hold it, oldest first (the list's segments are the data). */
export function memberTags(list: ListRecord, memberId: string): MemberTag[] {
  const tags: MemberTag[] = [];
  for (const segment of list.segments.values()) {
    if (segment.type !== 'static' || !segment.static_members.has(memberId)) continue;
    tags.push({
      id: segment.id,
      name: segment.name,
      date_added: segment.static_added_at?.get(memberId) ?? segment.created_at,
    });
  }
  return tags;
}

/**
 * Refuses what changeStatus would refuse, without changing anything: lets a use-case check a status change before
 * it applies the other fields of the same request.
 */
export function assertStatusChangeAllowed(
  member: MemberRecord,
  status: MemberStatus,
  eventSource: MemberEvent['source'] = 'api',
): void {
  if (member.status === status) return;
  if (status === 'subscribed' && eventSource !== 'user' && inComplianceState(member))
    throw complianceState(member.email_address);
}

export interface NewMemberInput {
  email_address: string;
  status: MemberStatus;
  merge_fields?: Record<string, unknown>;
  interests?: Record<string, boolean>;
  email_type?: 'html' | 'text';
  language?: string;
  vip?: boolean;
  ip_signup?: string;
  timestamp_signup?: string;
  ip_opt?: string;
  timestamp_opt?: string;
  marketing_permissions?: Array<{marketing_permission_id: string; enabled: boolean}>;
  source?: string;
}

/**
 * Adds a member; refuses invalid or fake addresses and forgotten (permanently deleted) ones. The caller checks for
 * existing members. Every new contact comes through here, so the address checks hold for every way in.
 */
export function createMember(
  state: SandboxState,
  list: ListRecord,
  input: NewMemberInput,
  eventSource: MemberEvent['source'] = 'api',
): MemberRecord {
  assertNewContactEmail(input.email_address);
  const hash = subscriberHash(input.email_address);
  if (list.forgotten.has(hash)) throw forgottenEmail(input.email_address);
  const now = state.timestamp();
  const member: MemberRecord = {
    id: hash,
    email_address: input.email_address,
    unique_email_id: state.newId(10),
    contact_id: state.newId(32),
    web_id: state.nextNumber(),
    email_type: input.email_type ?? 'html',
    status: input.status,
    ...(input.status === 'unsubscribed' ? unsubscribedFields(eventSource, {}) : {}),
    merge_fields: {FNAME: '', LNAME: '', ...(input.merge_fields ?? {})},
    interests: input.interests ?? {},
    language: input.language ?? '',
    vip: input.vip ?? false,
    ip_signup: input.ip_signup ?? '',
    timestamp_signup: input.timestamp_signup ?? '',
    ip_opt: input.ip_opt ?? '',
    timestamp_opt: input.timestamp_opt ?? (input.status === 'subscribed' ? now : ''),
    last_changed: now,
    source: input.source ?? 'API - Generic',
    marketing_permissions: input.marketing_permissions ?? [],
    tags: [],
    ecommerce: {total_revenue: 0, number_of_orders: 0, currency_code: ''},
    created_at: now,
  };
  // Tags live in the list's static segments; the member shows them through a getter (one source of truth).
  Object.defineProperty(member, 'tags', {get: () => memberTags(list, member.id), enumerable: true, configurable: true});
  list.members.set(hash, member);
  if (member.status === 'subscribed')
    emitMember(state, {type: 'subscribe', source: eventSource, listId: list.id, member});
  return member;
}

/**
 * Changes a member's status and raises the matching event (subscribe, unsubscribe, cleaned).
 * Subscribing a member in a compliance state (cleaned, or unsubscribed by themselves) through the API is refused;
 * `pending` is allowed. A member the API or an admin unsubscribed may be subscribed again. People's actions (source
 * `user`) may resubscribe. An unsubscribe records who did it and why (unsubscribe_reason); leaving the state clears it.
 */
export function changeStatus(
  state: SandboxState,
  list: ListRecord,
  member: MemberRecord,
  status: MemberStatus,
  eventSource: MemberEvent['source'] = 'api',
  data: Record<string, string> = {},
): void {
  if (member.status === status) return;
  assertStatusChangeAllowed(member, status, eventSource);
  member.status = status;
  member.last_changed = state.timestamp();
  if (status === 'unsubscribed') {
    Object.assign(member, unsubscribedFields(eventSource, data));
  } else {
    delete member.unsubscribed_by;
    delete member.unsubscribe_reason;
  }
  if (status === 'subscribed') {
    member.timestamp_opt = member.last_changed;
    emitMember(state, {type: 'subscribe', source: eventSource, listId: list.id, member, data});
  } else if (status === 'unsubscribed') {
    emitMember(state, {
      type: 'unsubscribe',
      source: eventSource,
      listId: list.id,
      member,
      data: {action: 'unsub', reason: 'manual', ...data},
    });
  } else if (status === 'cleaned') {
    emitMember(state, {type: 'cleaned', source: eventSource, listId: list.id, member, data: {reason: 'hard', ...data}});
  }
}

/** Who unsubscribed a member and the reason shown for it; the contact's own words come from unsubscribeByContact. */
function unsubscribedFields(
  eventSource: MemberEvent['source'],
  data: Record<string, string>,
): Pick<MemberRecord, 'unsubscribed_by' | 'unsubscribe_reason'> {
  return eventSource === 'user'
    ? {unsubscribed_by: 'contact', unsubscribe_reason: contactDefaultReason(data)}
    : {unsubscribed_by: 'admin', unsubscribe_reason: ADMIN_UNSUBSCRIBE_REASON};
}

/**
 * The contact unsubscribes themselves (unsubscribe link, preferences page, spam complaint), which puts them in a
 * compliance state. `reason` is their own words for unsubscribe_reason; `data` goes to the webhook (campaign_id, ...).
 * Also when an admin had unsubscribed them already: their own choice then stands, and binds the API.
 */
export function unsubscribeByContact(
  state: SandboxState,
  list: ListRecord,
  member: MemberRecord,
  reason: string | undefined,
  data: Record<string, string> = {},
): void {
  changeStatus(state, list, member, 'unsubscribed', 'user', data);
  member.unsubscribed_by = 'contact';
  member.unsubscribe_reason = reason ?? contactDefaultReason(data);
}

/**
 * The member behind an e-commerce customer (official e-commerce docs): a new address becomes `subscribed` when
 * `opt_in_status` is true and `transactional` otherwise; false→true upgrades a transactional member to subscribed;
 * an existing member's status is otherwise never changed (never resubscribes an opted-out one).
 * Forgotten addresses get no member.
 */
export function ensureEcommerceMember(
  state: SandboxState,
  list: ListRecord,
  email: string,
  optIn: boolean,
): MemberRecord | undefined {
  const existing = findMember(list, email);
  if (existing) {
    if (optIn && existing.status === 'transactional') changeStatus(state, list, existing, 'subscribed');
    return existing;
  }
  if (list.forgotten.has(subscriberHash(email))) return undefined;
  return createMember(state, list, {
    email_address: email,
    status: optIn ? 'subscribed' : 'transactional',
    source: 'E-commerce',
  });
}

/**
 * Refuses what ensureEcommerceMember would refuse, without changing anything: an address that would become a new
 * contact must be valid and not fake. Lets customers, orders and carts be checked before anything is stored.
 */
export function assertEcommerceContactAllowed(list: ListRecord, email: string): void {
  if (findMember(list, email) || list.forgotten.has(subscriberHash(email))) return;
  assertNewContactEmail(email);
}

export function emitMember(state: SandboxState, event: MemberEvent): void {
  state.events.emit('member', event);
}
