import {createHash} from 'node:crypto';
import {EventEmitter} from 'node:events';
import {SeededRandom} from './random.js';

/**
 * Everything the sandbox holds for its one account. Resource modules own the logic over their part; the types live
 * here so that modules can read each other's data (segments read e-commerce stats, campaigns read segments, ...).
 * Shapes follow the OpenAPI description in ../shared/mailchimp/ (field names exactly as Mailchimp sends them).
 */

export type MemberStatus = 'subscribed' | 'unsubscribed' | 'cleaned' | 'pending' | 'transactional' | 'archived';

export interface MemberTag {
  id: number;
  name: string;
  date_added: string;
}

export interface MemberEcommerceStats {
  total_revenue: number;
  number_of_orders: number;
  currency_code: string;
}

export interface MemberRecord {
  id: string; // subscriber hash
  email_address: string;
  unique_email_id: string;
  contact_id: string;
  web_id: number;
  email_type: 'html' | 'text';
  status: MemberStatus;
  /** While unsubscribed: the contact's own reason, or "N/A (Unsubscribed by admin)" when the API or an admin did it. */
  unsubscribe_reason?: string;
  /**
   * While unsubscribed: who did it. Mailchimp keeps the difference (its activity feed has `is_admin_unsubscribed`):
   * only a contact's own unsubscribe puts them in a compliance state that the API cannot subscribe them out of.
   */
  unsubscribed_by?: 'contact' | 'admin';
  merge_fields: Record<string, unknown>;
  interests: Record<string, boolean>;
  language: string;
  vip: boolean;
  ip_signup: string;
  timestamp_signup: string;
  ip_opt: string;
  timestamp_opt: string;
  last_changed: string;
  source: string;
  marketing_permissions: Array<{marketing_permission_id: string; enabled: boolean}>;
  /**
   * A read-only view over the list's static segments (tags are static segments; they hold the data). Members made
   * by createMember() get a getter here; change tags through the segments, never by assigning this.
   */
  tags: MemberTag[];
  ecommerce: MemberEcommerceStats;
  /** Campaign activity recorded by the people-actions (opens/clicks), for reports and segment conditions. */
  created_at: string;
}

export interface MergeFieldRecord {
  merge_id: number;
  tag: string;
  name: string;
  type: string;
  required: boolean;
  default_value: string;
  public: boolean;
  display_order: number;
  options: Record<string, unknown>;
  help_text: string;
  list_id: string;
}

export interface SegmentCondition {
  condition_type?: string;
  field: string;
  op: string;
  value?: unknown;
  extra?: unknown;
}

export interface SegmentRecord {
  id: number;
  name: string;
  type: 'saved' | 'static' | 'fuzzy';
  created_at: string;
  updated_at: string;
  options?: {match: 'any' | 'all'; conditions: SegmentCondition[]};
  /** Member ids (subscriber hashes) of a static segment / tag. */
  static_members: Set<string>;
  /** When each member of `static_members` was added (the tag's `date_added`); missing entries read as created_at. */
  static_added_at?: Map<string, string>;
  list_id: string;
}

export interface ListWebhookRecord {
  id: string;
  url: string;
  events: {
    subscribe: boolean;
    unsubscribe: boolean;
    profile: boolean;
    cleaned: boolean;
    upemail: boolean;
    campaign: boolean;
  };
  sources: {user: boolean; admin: boolean; api: boolean};
  list_id: string;
}

export interface ListRecord {
  id: string;
  web_id: number;
  name: string;
  contact: Record<string, unknown>;
  permission_reminder: string;
  use_archive_bar: boolean;
  campaign_defaults: {from_name: string; from_email: string; subject: string; language: string};
  email_type_option: boolean;
  double_optin: boolean;
  marketing_permissions: boolean;
  visibility: string;
  notify_on_subscribe?: string;
  notify_on_unsubscribe?: string;
  date_created: string;
  members: Map<string, MemberRecord>;
  /** Hashes of permanently deleted addresses: they can never be re-added through the API. */
  forgotten: Set<string>;
  mergeFields: Map<string, MergeFieldRecord>;
  segments: Map<number, SegmentRecord>;
  webhooks: Map<string, ListWebhookRecord>;
}

export interface Address {
  address1?: string;
  address2?: string;
  city?: string;
  province?: string;
  province_code?: string;
  postal_code?: string;
  country?: string;
  country_code?: string;
  [field: string]: unknown;
}

export interface CustomerRecord {
  id: string;
  email_address: string;
  opt_in_status: boolean;
  company?: string;
  first_name?: string;
  last_name?: string;
  orders_count: number;
  total_spent: number;
  address?: Address;
  created_at: string;
  updated_at: string;
}

export interface VariantRecord {
  id: string;
  title: string;
  url?: string;
  sku?: string;
  price?: number;
  inventory_quantity?: number;
  image_url?: string;
  backorders?: string;
  visibility?: string;
  created_at: string;
  updated_at: string;
}

export interface ProductRecord {
  id: string;
  currency_code: string;
  title: string;
  handle?: string;
  url?: string;
  description?: string;
  type?: string;
  vendor?: string;
  image_url?: string;
  variants: Map<string, VariantRecord>;
  images: Array<{id: string; url: string; variant_ids: string[]}>;
  published_at_foreign?: string;
}

export interface LineRecord {
  id: string;
  product_id: string;
  product_title: string;
  product_variant_id: string;
  product_variant_title: string;
  image_url: string;
  quantity: number;
  price: number;
  discount: number;
}

export interface OrderRecord {
  id: string;
  customer_id: string;
  campaign_id?: string;
  landing_site?: string;
  financial_status?: string;
  fulfillment_status?: string;
  currency_code: string;
  order_total: number;
  order_url?: string;
  discount_total?: number;
  tax_total?: number;
  shipping_total?: number;
  tracking_code?: string;
  processed_at_foreign?: string;
  cancelled_at_foreign?: string;
  updated_at_foreign?: string;
  shipping_address?: Address;
  billing_address?: Address;
  promos?: Array<{code: string; amount_discounted: number; type: string}>;
  tracking_number?: string;
  tracking_carrier?: string;
  tracking_url?: string;
  lines: LineRecord[];
  /** Everything else the caller sent that the spec allows, echoed back as is. */
  extra: Record<string, unknown>;
}

export interface CartRecord {
  id: string;
  customer_id: string;
  campaign_id?: string;
  checkout_url?: string;
  currency_code: string;
  order_total: number;
  tax_total?: number;
  lines: LineRecord[];
  created_at: string;
  updated_at: string;
}

export interface PromoCodeRecord {
  id: string;
  code: string;
  redemption_url: string;
  usage_count: number;
  enabled: boolean;
  created_at_foreign: string;
  updated_at_foreign: string;
}

export interface PromoRuleRecord {
  id: string;
  title: string;
  description: string;
  starts_at?: string;
  ends_at?: string;
  amount: number;
  type: 'fixed' | 'percentage';
  target: 'per_item' | 'total' | 'shipping';
  enabled: boolean;
  created_at_foreign: string;
  updated_at_foreign: string;
  codes: Map<string, PromoCodeRecord>;
}

export interface StoreRecord {
  id: string;
  list_id: string;
  name: string;
  platform: string;
  domain: string;
  is_syncing: boolean;
  email_address: string;
  currency_code: string;
  money_format: string;
  primary_locale: string;
  timezone: string;
  phone: string;
  address: Address;
  created_at: string;
  updated_at: string;
  customers: Map<string, CustomerRecord>;
  products: Map<string, ProductRecord>;
  orders: Map<string, OrderRecord>;
  carts: Map<string, CartRecord>;
  promoRules: Map<string, PromoRuleRecord>;
  /** Indexes kept by the e-commerce module (order ids per customer id, customer ids per lower-cased email), so
   * totals are recomputed per customer rather than by scanning every order of the store. */
  ordersByCustomer: Map<string, Set<string>>;
  customersByEmail: Map<string, Set<string>>;
}

export type BatchStatus = 'pending' | 'preprocessing' | 'started' | 'finalizing' | 'finished';

export interface BatchOperationInput {
  method: string;
  path: string;
  params?: Record<string, unknown>;
  body?: string;
  operation_id?: string;
}

export interface BatchRecord {
  id: string;
  status: BatchStatus;
  total_operations: number;
  finished_operations: number;
  errored_operations: number;
  submitted_at: string;
  completed_at: string;
  response_body_url: string;
  operations: BatchOperationInput[];
  /** The gzipped tar archive of the results, served at response_body_url once finished. */
  archive?: Buffer;
}

export interface BatchWebhookRecord {
  id: string;
  url: string;
  enabled: boolean;
}

export interface CampaignActivity {
  opens: Array<{member_id: string; at: string}>;
  clicks: Array<{member_id: string; url: string; at: string}>;
  unsubscribes: Array<{member_id: string; at: string; reason?: string}>;
  bounces: Array<{member_id: string; type: 'hard' | 'soft'; at: string}>;
}

export interface CampaignRecord {
  id: string;
  web_id: number;
  type: string;
  create_time: string;
  status: 'save' | 'paused' | 'schedule' | 'sending' | 'sent' | 'canceled' | 'canceling' | 'archived';
  send_time: string;
  emails_sent: number;
  content_type: string;
  recipients: {
    list_id: string;
    segment_opts?: {saved_segment_id?: number; match?: 'any' | 'all'; conditions?: SegmentCondition[]};
  };
  settings: Record<string, unknown>;
  tracking: Record<string, unknown>;
  content?: {html?: string; plain_text?: string; template?: unknown; url?: string};
  /** When status is `schedule`: the UTC time it goes out (ISO 8601). */
  schedule_time?: string;
  /** Parts kept and echoed as sent, not interpreted by the sandbox (rss_opts, social_card, variate_settings). */
  extra?: Record<string, unknown>;
  /** Hashes of the members the campaign was delivered to. */
  sent_to: string[];
  test_sends: Array<{emails: string[]; send_type: string; at: string}>;
  activity: CampaignActivity;
}

/** Events modules raise so that others (list webhooks, reports) can react without importing each other. */
export interface MemberEvent {
  type: 'subscribe' | 'unsubscribe' | 'profile' | 'cleaned' | 'upemail';
  source: 'user' | 'admin' | 'api';
  listId: string;
  member: MemberRecord;
  /** Extra `data[...]` fields of the webhook (reason, campaign_id, old_email, ...). */
  data?: Record<string, string>;
}

export interface SandboxEvents {
  member: [MemberEvent];
}

export interface SandboxStateOptions {
  seed?: number;
  now?: () => Date;
}

export class SandboxState {
  readonly lists = new Map<string, ListRecord>();
  readonly stores = new Map<string, StoreRecord>();
  readonly batches = new Map<string, BatchRecord>();
  readonly batchWebhooks = new Map<string, BatchWebhookRecord>();
  readonly campaigns = new Map<string, CampaignRecord>();
  readonly events = new EventEmitter<SandboxEvents>();
  readonly random: SeededRandom;
  private readonly clock: () => Date;
  private counter = 0;

  constructor(options: SandboxStateOptions = {}) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.clock = options.now ?? (() => new Date());
  }

  now(): Date {
    return this.clock();
  }

  /** ISO 8601 with an explicit +00:00 offset and no milliseconds, as Mailchimp writes timestamps. */
  timestamp(date: Date = this.now()): string {
    return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  }

  /** A short unique hex id (deterministic for a seed), like Mailchimp's list and campaign ids. */
  newId(length = 10): string {
    this.counter += 1;
    return createHash('md5').update(`${this.random.next()}:${this.counter}`).digest('hex').slice(0, length);
  }

  /** Increasing integers for web ids, segment ids, merge ids. */
  nextNumber(): number {
    this.counter += 1;
    return this.counter;
  }

  reset(): void {
    this.lists.clear();
    this.stores.clear();
    this.batches.clear();
    this.batchWebhooks.clear();
    this.campaigns.clear();
  }
}

/** MD5 of the lower-cased address: the member id Mailchimp uses in paths. */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.toLowerCase()).digest('hex');
}
