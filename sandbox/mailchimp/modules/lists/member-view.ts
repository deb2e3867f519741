import {link} from '../../core/collection.js';
import type {ListRecord, MemberRecord, SandboxState} from '../../core/state.js';

/** Mailchimp's member responses, shaped as the spec's "List Members" schemas. */

export interface ViewContext {
  state: SandboxState;
  /** `http://127.0.0.1:<port>`: the sandbox origin, for `_links`. */
  origin: string;
}

/** Up to 50 tags in a member response ("Returns up to 50 tags"); `tags_count` has them all. */
const MAX_TAGS_SHOWN = 50;

/** The full member: GET/PUT/PATCH/POST …/members answer this. */
export function memberView(view: ViewContext, list: ListRecord, member: MemberRecord): Record<string, unknown> {
  const tags = member.tags;
  const self = `${view.origin}/3.0/lists/${list.id}/members/${member.id}`;
  return {
    id: member.id,
    email_address: member.email_address,
    unique_email_id: member.unique_email_id,
    contact_id: member.contact_id,
    full_name: fullName(member),
    web_id: member.web_id,
    email_type: member.email_type,
    status: member.status,
    // Optional in the description ("A subscriber's reason for unsubscribing", not required): only unsubscribed members
    // carry it, the admin/API text or the contact's own reason.
    ...(member.unsubscribe_reason && member.status === 'unsubscribed'
      ? {unsubscribe_reason: member.unsubscribe_reason}
      : {}),
    consents_to_one_to_one_messaging: true,
    merge_fields: mergeFieldsView(list, member),
    interests: {...member.interests},
    stats: {
      ...engagement(view.state, list, member),
      ecommerce_data: {
        total_revenue: member.ecommerce.total_revenue,
        number_of_orders: member.ecommerce.number_of_orders,
        currency_code: member.ecommerce.currency_code,
      },
    },
    ip_signup: member.ip_signup,
    timestamp_signup: member.timestamp_signup,
    ip_opt: member.ip_opt,
    timestamp_opt: member.timestamp_opt,
    member_rating: MEMBER_RATING,
    last_changed: member.last_changed,
    language: member.language,
    vip: member.vip,
    email_client: '',
    location: emptyLocation(),
    marketing_permissions: member.marketing_permissions.map((p) => ({...p, text: ''})),
    source: member.source,
    tags_count: tags.length,
    tags: tags.slice(0, MAX_TAGS_SHOWN).map((t) => ({id: t.id, name: t.name})),
    list_id: list.id,
    _links: [
      link('self', self),
      link('parent', `${view.origin}/3.0/lists/${list.id}/members`),
      link('update', self, 'PATCH'),
      link('upsert', self, 'PUT'),
      link('delete', self, 'DELETE'),
      link('activity', `${self}/activity`),
      link('goals', `${self}/goals`),
      link('notes', `${self}/notes`),
      link('events', `${self}/events`),
      link('delete_permanent', `${self}/actions/delete-permanent`, 'POST'),
    ],
  };
}

/**
 * The shorter member shape of segment member lists and of the static-segment batch answer (no contact_id,
 * full_name, source or ecommerce stats in those schemas).
 */
export function segmentMemberView(view: ViewContext, list: ListRecord, member: MemberRecord): Record<string, unknown> {
  const tags = member.tags;
  return {
    id: member.id,
    email_address: member.email_address,
    unique_email_id: member.unique_email_id,
    email_type: member.email_type,
    status: member.status,
    merge_fields: mergeFieldsView(list, member),
    interests: {...member.interests},
    stats: engagement(view.state, list, member),
    ip_signup: member.ip_signup,
    timestamp_signup: member.timestamp_signup,
    ip_opt: member.ip_opt,
    timestamp_opt: member.timestamp_opt,
    member_rating: MEMBER_RATING,
    last_changed: member.last_changed,
    language: member.language,
    vip: member.vip,
    email_client: '',
    location: emptyLocation(),
    tags_count: tags.length,
    tags: tags.slice(0, MAX_TAGS_SHOWN).map((t) => ({id: t.id, name: t.name})),
    list_id: list.id,
    _links: [link('self', `${view.origin}/3.0/lists/${list.id}/members/${member.id}`)],
  };
}

/** Every merge field of the list, empty ones as '' (Mailchimp always lists them all). */
export function mergeFieldsView(list: ListRecord, member: MemberRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of list.mergeFields.values()) out[field.tag] = member.merge_fields[field.tag] ?? '';
  return out;
}

export function fullName(member: MemberRecord): string {
  const part = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return [part(member.merge_fields.FNAME), part(member.merge_fields.LNAME)].filter((p) => p !== '').join(' ');
}

// The sandbox has no engagement history to rate from; 2 stars is what Mailchimp gives a new contact.
const MEMBER_RATING = 2;

function emptyLocation() {
  return {latitude: 0, longitude: 0, gmtoff: 0, dstoff: 0, country_code: '', timezone: '', region: ''};
}

/** Open and click rates over the campaigns of this list delivered to the member (fractions, 0 when none). */
function engagement(
  state: SandboxState,
  list: ListRecord,
  member: MemberRecord,
): {avg_open_rate: number; avg_click_rate: number} {
  let sent = 0;
  let opened = 0;
  let clicked = 0;
  for (const campaign of state.campaigns.values()) {
    if (campaign.recipients.list_id !== list.id || !campaign.sent_to.includes(member.id)) continue;
    sent += 1;
    if (campaign.activity.opens.some((o) => o.member_id === member.id)) opened += 1;
    if (campaign.activity.clicks.some((c) => c.member_id === member.id)) clicked += 1;
  }
  return sent === 0
    ? {avg_open_rate: 0, avg_click_rate: 0}
    : {avg_open_rate: opened / sent, avg_click_rate: clicked / sent};
}
