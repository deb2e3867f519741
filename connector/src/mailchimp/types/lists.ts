import type {Link} from './common.js';

/** `stats` of GET /lists/{list_id}: counts by status, since the last campaign, and rates in percent (0–100). */
export interface ListStats {
  member_count: number;
  total_contacts?: number;
  unsubscribe_count: number;
  cleaned_count: number;
  member_count_since_send: number;
  unsubscribe_count_since_send: number;
  cleaned_count_since_send: number;
  campaign_count: number;
  campaign_last_sent: string;
  merge_field_count: number;
  avg_sub_rate: number;
  avg_unsub_rate: number;
  target_sub_rate: number;
  open_rate: number;
  click_rate: number;
  last_sub_date: string;
  last_unsub_date: string;
}

/** GET /lists/{list_id} (the fields the connector reads). */
export interface List {
  id: string;
  web_id?: number;
  name: string;
  date_created?: string;
  double_optin?: boolean;
  stats: ListStats;
  _links?: Link[];
}

/** GET /lists: the account's audiences (with `fields=`, only the selected fields are present). */
export interface ListsCollection {
  lists: List[];
  total_items: number;
}

/** The list's contact: Mailchimp requires a physical address for every audience (CAN-SPAM). */
export interface ListContact {
  company: string;
  address1: string;
  address2?: string;
  city: string;
  state?: string;
  zip?: string;
  country: string;
  phone?: string;
}

/** POST /lists (required: name, contact, permission_reminder, campaign_defaults, email_type_option). */
export interface ListCreateRequest {
  name: string;
  contact: ListContact;
  permission_reminder: string;
  campaign_defaults: {from_name: string; from_email: string; subject: string; language: string};
  email_type_option: boolean;
  double_optin?: boolean;
}
