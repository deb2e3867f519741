import type {CollectionMeta, Link} from './common.js';

/** Statuses a client may set. */
export type MemberStatus = 'subscribed' | 'unsubscribed' | 'cleaned' | 'pending' | 'transactional';
/** Statuses Mailchimp reports (DELETE archives). */
export type MemberStatusRead = MemberStatus | 'archived';

/** The ADDRESS merge field value (addr1, city, state and zip are required by Mailchimp). */
export interface AddressMergeValue {
  addr1: string;
  addr2?: string;
  city: string;
  state: string;
  zip: string;
  country?: string;
}

export type MergeFieldValue = string | number | AddressMergeValue;

export interface MarketingPermissionInput {
  marketing_permission_id: string;
  enabled: boolean;
}

/** PUT /lists/{list_id}/members/{subscriber_hash} — "Add or update list member". */
export interface MemberUpsertRequest {
  email_address: string;
  /** Used only when the address is new to the list. */
  status_if_new: MemberStatus;
  /** Applied to an existing member: only set it from fresh, explicit consent. */
  status?: MemberStatus;
  email_type?: 'html' | 'text';
  merge_fields?: Record<string, MergeFieldValue>;
  interests?: Record<string, boolean>;
  language?: string;
  vip?: boolean;
  location?: {latitude: number; longitude: number};
  marketing_permissions?: MarketingPermissionInput[];
  ip_signup?: string;
  timestamp_signup?: string;
  ip_opt?: string;
  timestamp_opt?: string;
}

/** PATCH /lists/{list_id}/members/{subscriber_hash}: everything optional; `transactional` cannot be set. */
export type MemberPatchRequest = Partial<Omit<MemberUpsertRequest, 'status_if_new' | 'status'>> & {
  status?: Exclude<MemberStatus, 'transactional'>;
};

export interface Member {
  id: string;
  email_address: string;
  unique_email_id: string;
  contact_id?: string;
  full_name?: string;
  web_id?: number;
  email_type?: string;
  status: MemberStatusRead;
  unsubscribe_reason?: string;
  consents_to_one_to_one_messaging?: boolean;
  merge_fields: Record<string, MergeFieldValue>;
  interests?: Record<string, boolean>;
  stats?: {
    avg_open_rate: number;
    avg_click_rate: number;
    ecommerce_data?: {total_revenue: number; number_of_orders: number; currency_code: string};
  };
  ip_signup?: string;
  timestamp_signup?: string;
  ip_opt?: string;
  timestamp_opt?: string;
  member_rating?: number;
  last_changed?: string;
  language?: string;
  vip?: boolean;
  email_client?: string;
  location?: {
    latitude: number;
    longitude: number;
    gmtoff?: number;
    dstoff?: number;
    country_code?: string;
    timezone?: string;
    region?: string;
  };
  marketing_permissions?: Array<{marketing_permission_id: string; text: string; enabled: boolean}>;
  last_note?: {note_id: number; created_at: string; created_by: string; note: string};
  source?: string;
  tags_count?: number;
  /** Up to 50 tags. */
  tags?: Array<{id: number; name: string}>;
  list_id: string;
  _links?: Link[];
}

export interface MembersCollection extends CollectionMeta {
  members: Member[];
  list_id: string;
}

/** Query of GET /lists/{list_id}/members (the filters the connector uses). */
export interface MembersListQuery {
  status?: MemberStatusRead;
  since_last_changed?: string;
  before_last_changed?: string;
  unique_email_id?: string;
  vip_only?: boolean;
}

/** One change of POST /lists/{list_id}/members/{subscriber_hash}/tags: `active` adds, `inactive` removes. */
export interface MemberTagChange {
  name: string;
  status: 'active' | 'inactive';
}

export interface MemberTagsRequest {
  tags: MemberTagChange[];
  /** When true, automations based on these tags do not fire. */
  is_syncing?: boolean;
}

export interface MemberTag {
  id: number;
  name: string;
  date_added: string;
}

export interface MemberTagsCollection extends CollectionMeta {
  tags: MemberTag[];
}
