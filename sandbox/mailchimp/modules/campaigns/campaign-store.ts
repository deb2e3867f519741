import {problems} from '../../core/problem.js';
import type {CampaignRecord, SandboxState} from '../../core/state.js';
import {validConditions} from '../segment-conditions.js';
import type {CampaignInput} from './campaign-input.js';

/** Settings as Mailchimp returns them for a new campaign: every field present, nothing filled in for you. */
const DEFAULT_SETTINGS = {
  subject_line: '',
  preview_text: '',
  title: '',
  from_name: '',
  reply_to: '',
  use_conversation: false,
  to_name: '',
  folder_id: '',
  authenticate: true,
  auto_footer: false,
  inline_css: false,
  auto_tweet: false,
  fb_comments: true,
  timewarp: false,
  template_id: 0,
  drag_and_drop: false,
};

/** Tracking defaults from the spec ("Defaults to `true`" for opens and clicks). */
const DEFAULT_TRACKING = {
  opens: true,
  html_clicks: true,
  text_clicks: true,
  goal_tracking: false,
  ecomm360: false,
  google_analytics: '',
  clicktale: '',
};

/** Campaigns that can still be changed: not sent, not on their way, not scheduled (unschedule first). */
const EDITABLE = new Set<CampaignRecord['status']>(['save', 'paused']);

export function requireCampaign(state: SandboxState, id: string | undefined): CampaignRecord {
  const campaign = id === undefined ? undefined : state.campaigns.get(id);
  if (!campaign) throw problems.notFound();
  return campaign;
}

export function createCampaign(state: SandboxState, input: CampaignInput): CampaignRecord {
  if (input.recipients) checkRecipients(state, input.recipients);
  const campaign: CampaignRecord = {
    id: state.newId(10),
    web_id: state.nextNumber(),
    type: input.type ?? 'regular',
    create_time: state.timestamp(),
    status: 'save',
    send_time: '',
    emails_sent: 0,
    content_type: input.content_type ?? 'template',
    recipients: input.recipients ?? {list_id: ''},
    settings: {...DEFAULT_SETTINGS, ...(input.settings ?? {})},
    tracking: {...DEFAULT_TRACKING, ...(input.tracking ?? {})},
    sent_to: [],
    test_sends: [],
    activity: {opens: [], clicks: [], unsubscribes: [], bounces: []},
  };
  if (Object.keys(input.extra).length > 0) campaign.extra = input.extra;
  state.campaigns.set(campaign.id, campaign);
  return campaign;
}

/** PATCH: merges settings and tracking, replaces recipients. */
export function updateCampaign(state: SandboxState, campaign: CampaignRecord, input: CampaignInput): CampaignRecord {
  assertEditable(campaign);
  if (input.recipients) {
    checkRecipients(state, input.recipients);
    campaign.recipients = input.recipients;
  }
  if (input.settings) campaign.settings = {...campaign.settings, ...input.settings};
  if (input.tracking) campaign.tracking = {...campaign.tracking, ...input.tracking};
  if (input.content_type) campaign.content_type = input.content_type;
  if (Object.keys(input.extra).length > 0) campaign.extra = {...(campaign.extra ?? {}), ...input.extra};
  return campaign;
}

export function assertEditable(campaign: CampaignRecord): void {
  if (EDITABLE.has(campaign.status)) return;
  throw problems.badRequest(
    campaign.status === 'schedule'
      ? 'This campaign is scheduled. Unschedule it before making changes.'
      : 'This campaign has already been sent and cannot be changed.',
  );
}

function checkRecipients(state: SandboxState, recipients: CampaignRecord['recipients']): void {
  const list = state.lists.get(recipients.list_id);
  if (!list)
    throw problems.invalidResource([
      {field: 'recipients.list_id', message: `The list ${recipients.list_id} could not be found.`},
    ]);
  const segmentId = recipients.segment_opts?.saved_segment_id;
  if (segmentId !== undefined && !list.segments.has(segmentId)) {
    throw problems.invalidResource([
      {
        field: 'recipients.segment_opts.saved_segment_id',
        message: `The segment ${segmentId} does not exist in list ${list.id}.`,
      },
    ]);
  }
  // Conditions the sandbox cannot evaluate are refused now, not when the campaign is read or sent.
  const conditions = recipients.segment_opts?.conditions;
  if (conditions !== undefined) validConditions(list, conditions, 'recipients.segment_opts.conditions');
}

const SORT_FIELDS = new Set(['create_time', 'send_time']);

/** GET /campaigns filters: type, status, list_id, since/before create and send times, sort_field + sort_dir. */
export function filterCampaigns(campaigns: Iterable<CampaignRecord>, query: Record<string, string>): CampaignRecord[] {
  const after = (value: string, bound: string | undefined) =>
    bound === undefined || (value !== '' && Date.parse(value) > Date.parse(bound));
  const before = (value: string, bound: string | undefined) =>
    bound === undefined || (value !== '' && Date.parse(value) < Date.parse(bound));
  const out = [...campaigns].filter(
    (c) =>
      (query.type === undefined || c.type === query.type) &&
      (query.status === undefined || c.status === query.status) &&
      (query.list_id === undefined || c.recipients.list_id === query.list_id) &&
      after(c.create_time, query.since_create_time) &&
      before(c.create_time, query.before_create_time) &&
      after(c.send_time, query.since_send_time) &&
      before(c.send_time, query.before_send_time),
  );
  const field = query.sort_field;
  if (field !== undefined && SORT_FIELDS.has(field)) {
    const key = field as 'create_time' | 'send_time';
    const dir = query.sort_dir?.toUpperCase() === 'DESC' ? -1 : 1;
    out.sort((a, b) => dir * ((Date.parse(a[key]) || 0) - (Date.parse(b[key]) || 0)));
  }
  return out;
}
