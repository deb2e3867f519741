import {link} from '../../core/collection.js';
import type {ListRecord, SandboxState} from '../../core/state.js';
import type {ViewContext} from './member-view.js';

/** A list ("Subscriber List" in the spec) with its statistics computed from its members and sent campaigns. */
export function listView(view: ViewContext, list: ListRecord, includeTotalContacts: boolean): Record<string, unknown> {
  const self = `${view.origin}/3.0/lists/${list.id}`;
  return {
    id: list.id,
    web_id: list.web_id,
    name: list.name,
    contact: list.contact,
    permission_reminder: list.permission_reminder,
    use_archive_bar: list.use_archive_bar,
    campaign_defaults: list.campaign_defaults,
    notify_on_subscribe: list.notify_on_subscribe ?? '',
    notify_on_unsubscribe: list.notify_on_unsubscribe ?? '',
    date_created: list.date_created,
    list_rating: 0,
    email_type_option: list.email_type_option,
    subscribe_url_short: `http://eepurl.com/sandbox${list.web_id}`,
    subscribe_url_long: `${view.origin}/subscribe?u=sandbox&id=${list.id}`,
    beamer_address: `us1-${list.id}@inbound.sandbox.invalid`,
    visibility: list.visibility,
    double_optin: list.double_optin,
    has_welcome: false,
    marketing_permissions: list.marketing_permissions,
    modules: [],
    stats: listStats(view.state, list, includeTotalContacts),
    _links: [
      link('self', self),
      link('parent', `${view.origin}/3.0/lists`),
      link('update', self, 'PATCH'),
      link('delete', self, 'DELETE'),
      link('members', `${self}/members`),
      link('merge-fields', `${self}/merge-fields`),
      link('segments', `${self}/segments`),
      link('webhooks', `${self}/webhooks`),
    ],
  };
}

/**
 * member_count counts subscribed contacts; unsubscribe_count and cleaned_count their statuses; the `_since_send`
 * counts only changes after the list's last sent campaign. Rates are percentages (0–100) over sent campaigns.
 * total_contacts (every contact in any state but archived) is there only when asked for, as in Mailchimp.
 */
function listStats(state: SandboxState, list: ListRecord, includeTotalContacts: boolean): Record<string, unknown> {
  const members = [...list.members.values()];
  const sent = [...state.campaigns.values()].filter(
    (c) => c.recipients.list_id === list.id && c.status === 'sent' && c.send_time,
  );
  const lastSent =
    sent
      .map((c) => c.send_time)
      .sort()
      .at(-1) ?? '';
  const since = (t: string) => lastSent === '' || t > lastSent;
  const withStatus = (s: string) => members.filter((m) => m.status === s);
  const subscribed = withStatus('subscribed');
  const unsubscribed = withStatus('unsubscribed');
  const cleaned = withStatus('cleaned');
  const delivered = sent.reduce((n, c) => n + c.sent_to.length, 0);
  const uniqueBy = (entries: Array<{member_id: string}>) => new Set(entries.map((e) => e.member_id)).size;
  const opened = sent.reduce((n, c) => n + uniqueBy(c.activity.opens), 0);
  const clicked = sent.reduce((n, c) => n + uniqueBy(c.activity.clicks), 0);
  const stats: Record<string, unknown> = {
    member_count: subscribed.length,
    unsubscribe_count: unsubscribed.length,
    cleaned_count: cleaned.length,
    member_count_since_send: subscribed.filter((m) => since(m.timestamp_opt)).length,
    unsubscribe_count_since_send: unsubscribed.filter((m) => since(m.last_changed)).length,
    cleaned_count_since_send: cleaned.filter((m) => since(m.last_changed)).length,
    campaign_count: sent.length,
    campaign_last_sent: lastSent,
    merge_field_count: list.mergeFields.size,
    avg_sub_rate: 0,
    avg_unsub_rate: 0,
    target_sub_rate: 0,
    open_rate: delivered === 0 ? 0 : (opened / delivered) * 100,
    click_rate: delivered === 0 ? 0 : (clicked / delivered) * 100,
    last_sub_date:
      subscribed
        .map((m) => m.timestamp_opt)
        .sort()
        .at(-1) ?? '',
    last_unsub_date:
      unsubscribed
        .map((m) => m.last_changed)
        .sort()
        .at(-1) ?? '',
  };
  if (includeTotalContacts) stats.total_contacts = members.filter((m) => m.status !== 'archived').length;
  return stats;
}
