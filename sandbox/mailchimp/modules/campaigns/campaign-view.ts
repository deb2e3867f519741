import {link} from '../../core/collection.js';
import type {CampaignRecord, SandboxState} from '../../core/state.js';
import {figuresFor} from './campaign-figures.js';
import {resolveRecipients, segmentText} from './recipients.js';

const SENT = new Set<CampaignRecord['status']>(['sent', 'sending']);

/** A campaign as GET /campaigns/{id} shows it (spec schema "Campaign"). */
export function campaignView(state: SandboxState, campaign: CampaignRecord, apiBase: string): Record<string, unknown> {
  const self = `${apiBase}/campaigns/${campaign.id}`;
  const sent = SENT.has(campaign.status);
  const list = state.lists.get(campaign.recipients.list_id);
  const recipients = sent ? undefined : resolveRecipients(state, campaign);
  const view: Record<string, unknown> = {
    id: campaign.id,
    web_id: campaign.web_id,
    type: campaign.type,
    create_time: campaign.create_time,
    archive_url: `http://eepurl.com/sandbox-${campaign.id}`,
    long_archive_url: `https://us1.campaign-archive.com/?u=sandbox&id=${campaign.id}`,
    status: campaign.status,
    emails_sent: campaign.emails_sent,
    send_time: campaign.send_time,
    content_type: campaign.content_type,
    needs_block_refresh: false,
    resendable: false,
    recipients: {
      list_id: campaign.recipients.list_id,
      list_is_active: list !== undefined,
      list_name: list?.name ?? '',
      segment_text: recipients ? segmentText(recipients) : '',
      recipient_count: sent ? campaign.sent_to.length : recipients?.kind === 'ok' ? recipients.members.length : 0,
      ...(campaign.recipients.segment_opts ? {segment_opts: campaign.recipients.segment_opts} : {}),
    },
    settings: campaign.settings,
    tracking: campaign.tracking,
    ...(campaign.extra ?? {}),
    delivery_status: sent
      ? {enabled: true, can_cancel: false, status: 'delivered', emails_sent: campaign.emails_sent, emails_canceled: 0}
      : {enabled: false},
    _links: [
      link('parent', `${apiBase}/campaigns`),
      link('self', self),
      link('delete', self, 'DELETE'),
      link('content', `${self}/content`),
      link('send_checklist', `${self}/send-checklist`),
      ...(sent
        ? [link('reports', `${apiBase}/reports/${campaign.id}`)]
        : [link('send', `${self}/actions/send`, 'POST')]),
    ],
  };
  if (sent) {
    const f = figuresFor(state, campaign);
    view.report_summary = {
      opens: f.opens_total,
      unique_opens: f.unique_opens,
      open_rate: f.open_rate,
      clicks: f.clicks_total,
      subscriber_clicks: f.unique_subscriber_clicks,
      click_rate: f.click_rate,
      ecommerce: {
        total_orders: f.ecommerce.total_orders,
        total_spent: f.ecommerce.total_spent,
        total_revenue: f.ecommerce.total_revenue,
      },
    };
  }
  return view;
}
