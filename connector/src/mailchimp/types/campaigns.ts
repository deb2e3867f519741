import type {CollectionMeta, Link} from './common.js';
import type {SegmentCondition} from './segment-conditions.js';

export type CampaignType = 'regular' | 'plaintext' | 'absplit' | 'rss' | 'variate';
export type CampaignStatus =
  'save' | 'paused' | 'schedule' | 'sending' | 'sent' | 'canceled' | 'canceling' | 'archived';

/** Either an existing saved segment, or conditions that make a new one. */
export interface CampaignSegmentOptions {
  saved_segment_id?: number;
  prebuilt_segment_id?: string;
  match?: 'any' | 'all';
  conditions?: SegmentCondition[];
}

export interface CampaignRecipients {
  list_id: string;
  segment_opts?: CampaignSegmentOptions;
}

export interface CampaignSettings {
  subject_line?: string;
  preview_text?: string;
  title?: string;
  from_name?: string;
  /** Not needed to create, needed to send. */
  reply_to?: string;
  use_conversation?: boolean;
  to_name?: string;
  folder_id?: string;
  authenticate?: boolean;
  auto_footer?: boolean;
  inline_css?: boolean;
  auto_tweet?: boolean;
  auto_fb_post?: string[];
  fb_comments?: boolean;
  template_id?: number;
}

export interface CampaignTracking {
  opens?: boolean;
  html_clicks?: boolean;
  text_clicks?: boolean;
  goal_tracking?: boolean;
  ecomm360?: boolean;
  google_analytics?: string;
  clicktale?: string;
  salesforce?: {campaign?: boolean; notes?: boolean};
  capsule?: {notes?: boolean};
}

export interface CampaignVariateSettings {
  winner_criteria: 'opens' | 'clicks' | 'manual' | 'total_revenue';
  wait_time?: number;
  test_size?: number;
  subject_lines?: string[];
  send_times?: string[];
  from_names?: string[];
  reply_to_addresses?: string[];
}

export interface CampaignRssOptions {
  feed_url: string;
  frequency: 'daily' | 'weekly' | 'monthly';
  schedule?: {
    hour?: number;
    daily_send?: Partial<
      Record<'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday', boolean>
    >;
    weekly_send_day?: 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';
    monthly_send_date?: number;
  };
  constrain_rss_img?: boolean;
}

/** POST /campaigns (required: type). */
export interface CampaignCreateRequest {
  type: CampaignType;
  recipients?: CampaignRecipients;
  settings?: CampaignSettings;
  variate_settings?: CampaignVariateSettings;
  tracking?: CampaignTracking;
  rss_opts?: CampaignRssOptions;
  social_card?: {image_url?: string; description?: string; title?: string};
  content_type?: 'template' | 'multichannel';
}

export interface Campaign {
  id: string;
  web_id: number;
  parent_campaign_id?: string;
  type: CampaignType;
  create_time: string;
  archive_url?: string;
  long_archive_url?: string;
  status: CampaignStatus;
  emails_sent: number;
  send_time?: string;
  content_type?: 'template' | 'html' | 'url' | 'multichannel';
  needs_block_refresh?: boolean;
  resendable?: boolean;
  recipients: CampaignRecipients & {
    list_is_active?: boolean;
    list_name?: string;
    segment_text?: string;
    recipient_count?: number;
  };
  settings: CampaignSettings & {timewarp?: boolean; drag_and_drop?: boolean};
  variate_settings?: CampaignVariateSettings;
  tracking?: CampaignTracking;
  rss_opts?: CampaignRssOptions & {last_sent?: string};
  social_card?: {image_url?: string; description?: string; title?: string};
  report_summary?: {
    opens: number;
    unique_opens: number;
    open_rate: number;
    clicks: number;
    subscriber_clicks: number;
    click_rate: number;
    ecommerce?: {total_orders: number; total_spent: number; total_revenue: number};
  };
  delivery_status?: DeliveryStatus;
  _links?: Link[];
}

export interface DeliveryStatus {
  enabled: boolean;
  can_cancel?: boolean;
  status?: 'delivering' | 'delivered' | 'canceling' | 'canceled';
  emails_sent?: number;
  emails_canceled?: number;
}

export interface CampaignsCollection extends CollectionMeta {
  campaigns: Campaign[];
}

/** Filters of GET /campaigns (the ones the connector uses). */
export interface CampaignsListQuery {
  type?: CampaignType;
  status?: CampaignStatus;
  list_id?: string;
  since_create_time?: string;
  before_create_time?: string;
  since_send_time?: string;
  before_send_time?: string;
  sort_field?: 'create_time' | 'send_time';
  sort_dir?: 'ASC' | 'DESC';
}

interface ContentSource {
  plain_text?: string;
  html?: string;
  url?: string;
  /** `id` must be a number: a string id gives "Your Campaign is not ready to send". */
  template?: {id: number; sections?: Record<string, string>};
  archive?: {archive_content: string; archive_type?: 'zip' | 'tar.gz' | 'tar.bz2' | 'tar' | 'tgz' | 'tbz'};
}

/** PUT /campaigns/{campaign_id}/content */
export interface CampaignContentRequest extends ContentSource {
  variate_contents?: Array<ContentSource & {content_label: string}>;
}

export interface CampaignContent {
  plain_text?: string;
  html?: string;
  archive_html?: string;
  variate_contents?: Array<{content_label: string; plain_text?: string; html?: string}>;
  _links?: Link[];
}

/** POST /campaigns/{campaign_id}/actions/test */
export interface CampaignTestRequest {
  test_emails: string[];
  send_type: 'html' | 'plaintext';
}

/** POST /campaigns/{campaign_id}/actions/schedule: UTC ISO 8601 on a quarter hour (:00, :15, :30, :45). */
export interface CampaignScheduleRequest {
  schedule_time: string;
  timewarp?: boolean;
  batch_delivery?: {batch_delay: number; batch_count: number};
}

/** GET /campaigns/{campaign_id}/send-checklist */
export interface SendChecklist {
  is_ready: boolean;
  items: Array<{type: 'success' | 'warning' | 'error'; id: number; heading: string; details: string}>;
  _links?: Link[];
}
