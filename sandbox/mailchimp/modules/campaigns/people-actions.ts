import {changeStatus, unsubscribeByContact} from '../../core/members.js';
import {problems} from '../../core/problem.js';
import type {RouteTable, SandboxResponse} from '../../core/routes.js';
import {
  subscriberHash,
  type CampaignRecord,
  type ListRecord,
  type MemberRecord,
  type SandboxState,
} from '../../core/state.js';

/**
 * What recipients do with a sent campaign (opens, clicks, unsubscribes, bounces, purchases), driven by tests and
 * demos through /__sandbox/campaigns/{id}/…. Only members the campaign was sent to can act on it.
 */
export interface Recipient {
  campaign: CampaignRecord;
  list: ListRecord;
  member: MemberRecord;
}

export function findRecipient(state: SandboxState, campaignId: string, email: unknown): Recipient {
  if (typeof email !== 'string' || !email.includes('@'))
    throw problems.invalidResource([{field: 'email', message: 'An email address is required.'}]);
  const campaign = state.campaigns.get(campaignId);
  if (!campaign || campaign.status !== 'sent') throw problems.notFound();
  const list = state.lists.get(campaign.recipients.list_id);
  const hash = subscriberHash(email);
  const member = list?.members.get(hash);
  if (!list || !member || !campaign.sent_to.includes(hash)) throw problems.notFound();
  return {campaign, list, member};
}

export function recordOpen(state: SandboxState, r: Recipient): {at: string} {
  const at = state.timestamp();
  r.campaign.activity.opens.push({member_id: r.member.id, at});
  return {at};
}

/**
 * The recipient clicks a link of the campaign. Answers where the browser lands: with e-commerce link tracking
 * (`tracking.ecomm360`) Mailchimp appends `mc_cid` (the campaign id) and `mc_eid` (the member's unique email id) to
 * the link, which is how a store attributes the purchase that follows to the campaign.
 */
export function recordClick(state: SandboxState, r: Recipient, url: unknown): {at: string; landing_url: string} {
  if (typeof url !== 'string' || url === '')
    throw problems.invalidResource([{field: 'url', message: 'The clicked URL is required.'}]);
  const at = state.timestamp();
  r.campaign.activity.clicks.push({member_id: r.member.id, url, at});
  return {
    at,
    landing_url:
      r.campaign.tracking.ecomm360 === true ? withTrackingParams(url, r.campaign.id, r.member.unique_email_id) : url,
  };
}

function withTrackingParams(url: string, campaignId: string, uniqueEmailId: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  parsed.searchParams.set('mc_cid', campaignId);
  parsed.searchParams.set('mc_eid', uniqueEmailId);
  return parsed.toString();
}

/**
 * The recipient unsubscribes through the campaign's link: the member becomes `unsubscribed` by their own doing (source
 * `user`, with the campaign id, so the list's unsubscribe webhook carries it; a compliance state for the API) and the
 * campaign counts it once.
 */
export function recordUnsubscribe(state: SandboxState, r: Recipient, reason: unknown): {at: string; changed: boolean} {
  const at = state.timestamp();
  const changed = r.member.status !== 'unsubscribed';
  if (changed)
    unsubscribeByContact(state, r.list, r.member, typeof reason === 'string' && reason !== '' ? reason : undefined, {
      campaign_id: r.campaign.id,
    });
  if (!r.campaign.activity.unsubscribes.some((u) => u.member_id === r.member.id)) {
    r.campaign.activity.unsubscribes.push({
      member_id: r.member.id,
      at,
      ...(typeof reason === 'string' && reason !== '' ? {reason} : {}),
    });
  }
  return {at, changed};
}

/** A hard bounce cleans the address; a soft bounce is only counted. */
export function recordBounce(state: SandboxState, r: Recipient, type: unknown): {at: string} {
  if (type !== 'hard' && type !== 'soft')
    throw problems.invalidResource([{field: 'type', message: 'Value must be one of: hard, soft'}]);
  const at = state.timestamp();
  r.campaign.activity.bounces.push({member_id: r.member.id, type, at});
  if (type === 'hard')
    changeStatus(state, r.list, r.member, 'cleaned', 'admin', {campaign_id: r.campaign.id, reason: 'hard'});
  return {at};
}

/**
 * The recipient buys: an order carrying the campaign id is created in the store through the e-commerce API
 * (POST /ecommerce/stores/{store_id}/orders, run in-process), so reports and member stats see it as any order.
 * Missing `id`, `currency_code` and `customer` are filled from the member and the store.
 */
export async function recordPurchase(
  state: SandboxState,
  table: RouteTable,
  r: Recipient,
  storeId: unknown,
  order: unknown,
): Promise<SandboxResponse> {
  if (typeof storeId !== 'string' || storeId === '')
    throw problems.invalidResource([{field: 'store_id', message: 'The store id is required.'}]);
  if (order !== undefined && (typeof order !== 'object' || order === null || Array.isArray(order))) {
    throw problems.invalidResource([{field: 'order', message: 'The order must be an object.'}]);
  }
  const given = (order ?? {}) as Record<string, unknown>;
  const store = state.stores.get(storeId);
  const body: Record<string, unknown> = {
    id: state.newId(12),
    ...(store ? {currency_code: store.currency_code} : {}),
    customer: {id: `mc-${r.member.id.slice(0, 20)}`, email_address: r.member.email_address, opt_in_status: false},
    ...given,
    campaign_id: r.campaign.id,
  };
  return table.dispatch(state, {
    method: 'POST',
    path: `/ecommerce/stores/${encodeURIComponent(storeId)}/orders`,
    query: {},
    body,
    via: 'http',
  });
}
