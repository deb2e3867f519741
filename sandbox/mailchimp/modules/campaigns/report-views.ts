import {link} from '../../core/collection.js';
import type {CampaignRecord, ListRecord, SandboxState} from '../../core/state.js';
import {figuresFor} from './campaign-figures.js';

const HOUR_MS = 3_600_000;

/** GET /reports/{campaign_id} (spec schema "Campaign Report"). */
export function reportView(state: SandboxState, campaign: CampaignRecord, apiBase: string): Record<string, unknown> {
  const list = state.lists.get(campaign.recipients.list_id);
  const f = figuresFor(state, campaign);
  const self = `${apiBase}/reports/${campaign.id}`;
  return {
    id: campaign.id,
    campaign_title: String(campaign.settings.title ?? ''),
    type: campaign.type,
    list_id: campaign.recipients.list_id,
    list_is_active: list !== undefined,
    list_name: list?.name ?? '',
    subject_line: String(campaign.settings.subject_line ?? ''),
    preview_text: String(campaign.settings.preview_text ?? ''),
    emails_sent: f.emails_sent,
    abuse_reports: 0,
    unsubscribed: f.unsubscribed,
    send_time: campaign.send_time,
    bounces: {hard_bounces: f.hard_bounces, soft_bounces: f.soft_bounces, syntax_errors: 0},
    forwards: {forwards_count: 0, forwards_opens: 0},
    opens: {opens_total: f.opens_total, unique_opens: f.unique_opens, open_rate: f.open_rate, last_open: f.last_open},
    clicks: {
      clicks_total: f.clicks_total,
      unique_clicks: f.unique_clicks,
      unique_subscriber_clicks: f.unique_subscriber_clicks,
      click_rate: f.click_rate,
      last_click: f.last_click,
    },
    facebook_likes: {recipient_likes: 0, unique_likes: 0, facebook_likes: 0},
    list_stats: list ? listStats(state, list) : {sub_rate: 0, unsub_rate: 0, open_rate: 0, click_rate: 0},
    timeseries: timeseries(campaign),
    ecommerce: f.ecommerce,
    delivery_status: {
      enabled: true,
      can_cancel: false,
      status: 'delivered',
      emails_sent: f.emails_sent,
      emails_canceled: 0,
    },
    _links: [
      link('parent', `${apiBase}/reports`),
      link('self', self),
      link('campaign', `${apiBase}/campaigns/${campaign.id}`),
      link('unsubscribed', `${self}/unsubscribed`),
      link('email-activity', `${self}/email-activity`),
    ],
  };
}

/**
 * The audience's averages, in percent as Mailchimp's list_stats give them. The sandbox keeps no monthly history:
 * sub_rate and unsub_rate are the shares of contacts now subscribed and unsubscribed; open_rate and click_rate
 * average the list's sent campaigns.
 */
export function listStats(state: SandboxState, list: ListRecord): Record<string, number> {
  const members = [...list.members.values()];
  const share = (n: number) => (members.length === 0 ? 0 : round((n / members.length) * 100));
  const sent = [...state.campaigns.values()]
    .filter((c) => c.status === 'sent' && c.recipients.list_id === list.id)
    .map((c) => figuresFor(state, c));
  const average = (values: number[]) =>
    values.length === 0 ? 0 : round((values.reduce((a, b) => a + b, 0) / values.length) * 100);
  return {
    sub_rate: share(members.filter((m) => m.status === 'subscribed').length),
    unsub_rate: share(members.filter((m) => m.status === 'unsubscribed').length),
    open_rate: average(sent.map((f) => f.open_rate)),
    click_rate: average(sent.map((f) => f.click_rate)),
  };
}

/** 24 hourly buckets from the send: emails sent, first opens and first clicks per hour. */
function timeseries(campaign: CampaignRecord): Array<Record<string, unknown>> {
  const start = Date.parse(campaign.send_time);
  if (Number.isNaN(start)) return [];
  const hourStart = start - (start % HOUR_MS);
  const firstBy = (events: Array<{member_id: string; at: string}>) => {
    const first = new Map<string, number>();
    for (const e of events) {
      const at = Date.parse(e.at);
      if (!first.has(e.member_id) || at < first.get(e.member_id)!) first.set(e.member_id, at);
    }
    return [...first.values()];
  };
  const opens = firstBy(campaign.activity.opens);
  const clicks = firstBy(campaign.activity.clicks);
  const inHour = (times: number[], h: number) =>
    times.filter((t) => t >= hourStart + h * HOUR_MS && t < hourStart + (h + 1) * HOUR_MS).length;
  return Array.from({length: 24}, (_, h) => ({
    timestamp: new Date(hourStart + h * HOUR_MS).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    emails_sent: h === 0 ? campaign.emails_sent : 0,
    unique_opens: inHour(opens, h),
    recipients_clicks: inHour(clicks, h),
  }));
}

/** One entry of GET /reports/{id}/unsubscribed. */
export function unsubscribeView(
  campaign: CampaignRecord,
  list: ListRecord | undefined,
  entry: CampaignRecord['activity']['unsubscribes'][number],
  apiBase: string,
): Record<string, unknown> {
  const member = list?.members.get(entry.member_id);
  return {
    email_id: entry.member_id,
    email_address: member?.email_address ?? '',
    merge_fields: member?.merge_fields ?? {},
    vip: member?.vip ?? false,
    timestamp: entry.at,
    reason: entry.reason ?? '',
    campaign_id: campaign.id,
    list_id: campaign.recipients.list_id,
    list_is_active: list !== undefined,
    _links: [link('self', `${apiBase}/reports/${campaign.id}/unsubscribed/${entry.member_id}`)],
  };
}

/** One recipient's entry of GET /reports/{id}/email-activity: opens, clicks and bounces in time order. */
export function emailActivityView(
  campaign: CampaignRecord,
  list: ListRecord | undefined,
  memberId: string,
  since: string | undefined,
  apiBase: string,
): Record<string, unknown> {
  const mine = <T extends {member_id: string; at: string}>(events: T[]) =>
    events.filter((e) => e.member_id === memberId && (since === undefined || Date.parse(e.at) > Date.parse(since)));
  const activity: Array<Record<string, unknown>> = [
    ...mine(campaign.activity.opens).map((e) => ({action: 'open', timestamp: e.at, ip: '127.0.0.1'})),
    ...mine(campaign.activity.clicks).map((e) => ({action: 'click', timestamp: e.at, url: e.url, ip: '127.0.0.1'})),
    ...mine(campaign.activity.bounces).map((e) => ({action: 'bounce', type: e.type, timestamp: e.at})),
  ].sort((a, b) => Date.parse(String(a.timestamp)) - Date.parse(String(b.timestamp)));
  return {
    campaign_id: campaign.id,
    list_id: campaign.recipients.list_id,
    list_is_active: list !== undefined,
    email_id: memberId,
    email_address: list?.members.get(memberId)?.email_address ?? '',
    activity,
    _links: [link('self', `${apiBase}/reports/${campaign.id}/email-activity/${memberId}`)],
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
