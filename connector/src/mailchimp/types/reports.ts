import type {CollectionMeta, Link} from './common.js';
import type {DeliveryStatus} from './campaigns.js';

interface AbSplitSide {
  bounces: number;
  abuse_reports: number;
  unsubs: number;
  recipient_clicks: number;
  forwards: number;
  forwards_opens: number;
  opens: number;
  last_open: string;
  unique_opens: number;
}

/** GET /reports/{campaign_id} */
export interface CampaignReport {
  id: string;
  campaign_title: string;
  type: string;
  list_id: string;
  list_is_active?: boolean;
  list_name: string;
  subject_line: string;
  preview_text?: string;
  emails_sent: number;
  abuse_reports: number;
  unsubscribed: number;
  send_time: string;
  rss_last_send?: string;
  bounces: {hard_bounces: number; soft_bounces: number; syntax_errors: number};
  forwards: {forwards_count: number; forwards_opens: number};
  opens: {opens_total: number; unique_opens: number; open_rate: number; last_open: string};
  clicks: {
    clicks_total: number;
    unique_clicks: number;
    unique_subscriber_clicks: number;
    click_rate: number;
    last_click: string;
  };
  facebook_likes?: {recipient_likes: number; unique_likes: number; facebook_likes: number};
  industry_stats?: {
    type: string;
    open_rate: number;
    click_rate: number;
    bounce_rate: number;
    unopen_rate: number;
    unsub_rate: number;
    abuse_rate: number;
  };
  list_stats?: {sub_rate: number; unsub_rate: number; open_rate: number; click_rate: number};
  ab_split?: {a: AbSplitSide; b: AbSplitSide};
  timewarp?: Array<{
    gmt_offset: number;
    opens: number;
    last_open: string;
    unique_opens: number;
    clicks: number;
    last_click: string;
    unique_clicks: number;
    bounces: number;
  }>;
  timeseries?: Array<{timestamp: string; emails_sent: number; unique_opens: number; recipients_clicks: number}>;
  share_report?: {share_url: string; share_password: string};
  /** total_spent: order totals without deductions; total_revenue: minus shipping and tax. */
  ecommerce?: {total_orders: number; total_spent: number; total_revenue: number; currency_code: string};
  delivery_status?: DeliveryStatus;
  _links?: Link[];
}

export interface CampaignReportsCollection extends CollectionMeta {
  reports: CampaignReport[];
}
