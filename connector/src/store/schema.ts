import type {ColumnType, Generated} from 'kysely';

/**
 * Tables, as Kysely sees them. Timestamps are ISO 8601 strings (TEXT on both engines, so the same queries and
 * comparisons work on SQLite and Postgres); booleans are 0/1 integers for the same reason.
 */

export interface ConnectionsTable {
  id: string;
  /** Shop domain (`x.myshopify.com`) or a store name for the generic ingest. */
  shop_domain: string;
  platform: 'shopify' | 'custom';
  /** Stable per connection, never derived from a domain that can change. */
  mailchimp_store_id: string;
  mailchimp_list_id: string | null;
  /** Key of the Mailchimp account's limiter: `<dc>:<hash of key>`; never the key. */
  mailchimp_account: string;
  /** Encrypted JSON of the Mailchimp credentials (API key or OAuth token + dc + base URL). */
  mailchimp_credentials: string;
  /** Encrypted Shopify webhook secret / Admin token, when the platform is Shopify. */
  shopify_credentials: string | null;
  /** SHA-256 of the bearer token of the generic ingest API. */
  ingest_token_hash: string | null;
  double_opt_in: number;
  settings: string;
  status: 'active' | 'uninstalled';
  store_created: number;
  created_at: string;
  updated_at: string;
  /** The shop's currency (ISO 4217) once known (migration 0007_shop_currency). */
  shop_currency: string | null;
  /** How it was learned: `admin_api` (Shopify `shop { currencyCode }`), `order` or `product` (the first payload stating it). */
  shop_currency_source: string | null;
  shop_currency_at: string | null;
  /** The Mailchimp store's currency_code as last read or written. */
  mailchimp_currency: string | null;
  /** Why the Mailchimp store's currency is not the wanted one (shown in /v1/sync/status), or null. */
  currency_note: string | null;
  /** The `STORE_CURRENCY/shop currency` pair last warned about: the mismatch warning is logged once per pair. */
  currency_warned: string | null;
  /** `env` (configured by environment variables; null for rows before 0010) or `app` (installed through the Shopify app). */
  install_source: string | null;
  /** null or `connected`; `not_connected` (installed, Mailchimp not yet connected); `reconnect_needed` (a 401). */
  mailchimp_status: string | null;
  mailchimp_status_detail: string | null;
  /** The Mailchimp account's name (OAuth metadata `accountname`, or `/ping`'s account for a key); not a secret. */
  mailchimp_account_name: string | null;
  /** Until when one process holds the right to refresh the shop's expiring Shopify token (ISO time). */
  shopify_refresh_lease: string | null;
  /** JSON of the shop's webhook subscriptions as last checked (install/webhook-subscriptions.ts). */
  shopify_webhooks: string | null;
}

export interface InboxEventsTable {
  id: Generated<number>;
  connection_id: string;
  source: 'shopify' | 'ingest' | 'storefront' | 'mailchimp';
  topic: string;
  /** Idempotency key of the delivery (Shopify webhook id, Idempotency-Key, ...): unique per connection + source. */
  dedupe_key: string;
  received_at: string;
  triggered_at: string | null;
  /** The raw body as received (kept for replay). */
  payload: string;
  status: 'pending' | 'processed' | 'failed';
  attempts: number;
  processed_at: string | null;
  error: string | null;
  /** When a GDPR redaction erased the payload (migration 0008_redaction_tombstones); such an event is never replayed. */
  redacted_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SyncStateTable {
  connection_id: string;
  entity_type: string;
  entity_id: string;
  /** The newest canonical version to send (JSON), and its version time for newer-wins. */
  desired: string;
  desired_version: string;
  desired_hash: string;
  /** Hash of what Mailchimp last accepted; equal to desired_hash means nothing to send. */
  synced_hash: string | null;
  /** The desired JSON as last accepted by Mailchimp (tag diffs and resyncs compare against it). */
  synced_desired: string | null;
  status: 'pending' | 'synced' | 'retry' | 'dead' | 'skipped';
  priority: number;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  updated_at: string;
  synced_at: string | null;
  /** Who sends it: `live` (the sync worker, one call at a time) or `backfill` (the backfill, in batches). */
  lane: Generated<SyncLane>;
}

export type SyncLane = 'live' | 'backfill';

export interface DeadLettersTable {
  id: Generated<number>;
  connection_id: string;
  entity_type: string;
  entity_id: string;
  desired_hash: string;
  /** The Mailchimp problem document (JSON) or the error that made the record terminal. */
  problem: string;
  created_at: string;
  resolved_at: string | null;
  resolution: 'retried' | 'discarded' | null;
}

/** One row per order that may count as a purchase: the history tag rules and segments are computed from. */
export interface PurchasesTable {
  connection_id: string;
  order_id: string;
  email: string;
  customer_id: string | null;
  /** Canonical order JSON (with refunds), for tag rules. */
  order: string;
  processed_at: string;
}

/** What the connector knows of a person: the id → email map (customers/delete carries no email) and consent. */
export interface PeopleTable {
  connection_id: string;
  email: string;
  customer_id: string | null;
  first_name: string | null;
  last_name: string | null;
  /** Newest consent (JSON of model Consent) and its time. */
  consent: string | null;
  consent_at: string | null;
  /** JSON array of the storefront sources (subscribe_form, checkout_checkbox) opted in through since the last opt-out. */
  opt_in_sources: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: string;
}

/** What a person agreed to on the storefront (subscribe form or checkout checkbox): the consent evidence. */
export interface ConsentEvidenceTable {
  id: Generated<number>;
  connection_id: string;
  /** The inbox event that carries the same request through the sync. */
  inbox_event_id: number;
  /** Lower-cased address. */
  email: string;
  source: 'subscribe_form' | 'checkout_checkbox';
  state: 'subscribed';
  /** The exact text shown next to the form or checkbox, and its version (given, or a hash of the text). */
  text: string;
  text_version: string;
  locale: string | null;
  ip: string | null;
  user_agent: string | null;
  page: string | null;
  /** JSON of the campaign attribution captured on landing (mc_cid, mc_eid, utm_*), if any. */
  attribution: string | null;
  recorded_at: string;
  /**
   * The checkout checkbox only (migration 0009): its consent counts once a signed order or checkout for the same
   * address confirms it. `awaiting_order` until `confirm_until`, then `expired`; `confirmed` names the order or
   * checkout. Null for the subscribe form (and for checkbox evidence stored before the rule).
   */
  confirmation: 'awaiting_order' | 'confirmed' | 'expired' | null;
  confirm_until: string | null;
  confirmed_by_type: 'order' | 'checkout' | null;
  confirmed_by_id: string | null;
  confirmed_at: string | null;
}

/**
 * Signed orders and checkouts (Shopify webhooks, the generic ingest) by address, kept for the confirmation window,
 * so a checkbox beacon that arrives after its order is still confirmed by it (migration 0009). The address is kept
 * only as a hash (checkout-consent.ts addressHash), and rows older than the window are deleted.
 */
export interface CheckoutSightingsTable {
  connection_id: string;
  /** Hex SHA-256 of the lower-cased address. */
  email_hash: string;
  type: 'order' | 'checkout';
  entity_id: string;
  /** The order's or checkout's own time (placed, or last updated), UTC ISO 8601. */
  seen_at: string;
  recorded_at: string;
}

/** Alias e-commerce customer ids for customers whose e-mail changed after Mailchimp bound their id to the old one. */
export interface CustomerEmailAliasesTable {
  connection_id: string;
  /** The Mailchimp customer id the platform id maps to (stableEcommerceId). */
  customer_id: string;
  /** Lower-cased address. */
  email: string;
  alias_id: string;
  created_at: string;
}

/** A segment defined through the API: its definition, what was sent to Mailchimp, and the last counts. */
export interface SegmentsTable {
  id: Generated<number>;
  connection_id: string;
  name: string;
  /** JSON of the validated definition (segments/segment-definition.ts). */
  definition: string;
  /** JSON of the Mailchimp saved-segment options sent (match + conditions). */
  compiled: string;
  /** JSON array of the tags that carry conditions computed from local data: [{index, name, id}]. */
  local_tags: string;
  mailchimp_segment_id: number | null;
  mailchimp_count: number | null;
  local_count: number | null;
  counted_at: string | null;
  tags_refreshed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One promo send per client idempotency key: the request, how far it got, and what it created. */
export interface PromoSendsTable {
  id: Generated<number>;
  connection_id: string;
  idempotency_key: string;
  /** SHA-256 of the canonical request: the same key with another request is refused. */
  request_hash: string;
  request: string;
  status: 'running' | 'completed' | 'failed';
  /** JSON of the steps done so far (promo-send-service.ts), so that a repeat resumes instead of redoing them. */
  progress: string;
  result: string | null;
  error: string | null;
  campaign_id: string | null;
  /** A run holds the send until then; a crashed run's hold expires. */
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

/** Campaigns of the connection's audience, as last pulled from Mailchimp (and those the connector created). */
export interface CampaignsTable {
  connection_id: string;
  campaign_id: string;
  web_id: number | null;
  list_id: string | null;
  title: string | null;
  subject_line: string | null;
  status: string;
  create_time: string | null;
  send_time: string | null;
  promo_send_id: number | null;
  segment_id: number | null;
  updated_at: string;
}

/** The latest report of a sent campaign. Money in minor units of `currency`. */
export interface CampaignReportsTable {
  connection_id: string;
  campaign_id: string;
  emails_sent: number;
  opens_total: number;
  unique_opens: number;
  open_rate: number;
  clicks_total: number;
  unique_clicks: number;
  click_rate: number;
  hard_bounces: number;
  soft_bounces: number;
  unsubscribed: number;
  abuse_reports: number;
  ecommerce_orders: number;
  ecommerce_spent_minor: number;
  ecommerce_revenue_minor: number;
  currency: string | null;
  /** The report as Mailchimp sent it (JSON). */
  report: string;
  fetched_at: string;
}

/** One snapshot of the audience's stats per pull: growth is the difference between snapshots. */
export interface ListStatsTable {
  id: Generated<number>;
  connection_id: string;
  list_id: string;
  member_count: number;
  unsubscribe_count: number;
  cleaned_count: number;
  campaign_count: number;
  open_rate: number;
  click_rate: number;
  stats: string;
  fetched_at: string;
}

/** The list webhook a connection registers in Mailchimp; its URL carries a secret token (sealed here). */
export interface MailchimpWebhooksTable {
  connection_id: string;
  list_id: string;
  /** SHA-256 of the token: how a delivery finds its connection. */
  token_hash: string;
  token_sealed: string;
  webhook_id: string | null;
  /** The public base URL the webhook was registered under. */
  url_base: string | null;
  status: 'unregistered' | 'registered' | 'failed';
  last_checked_at: string | null;
  /** What the last check had to do: created, updated, none. */
  last_repair: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  /**
   * The check that holds the connection's registration lease (one id per check, not per process), and until when:
   * one check at a time lists, repairs and deduplicates the webhook, across processes; a crashed holder's lease
   * lapses (migration 0006_webhook_check_lease).
   */
  check_holder: string | null;
  check_lease_until: string | null;
}

export interface BackfillRunsTable {
  id: string;
  connection_id: string;
  kind: 'backfill' | 'resync';
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  phase: string;
  /** Where reading stopped (JSON, per phase: bulk operation id and parents consumed, or a page cursor). */
  position: string;
  /** Counts per phase (JSON). */
  progress: string;
  /** The run's options (JSON: order window, …). */
  options: string;
  error: string | null;
  /** The process running it, and until when its lease holds (a crashed process's run is taken over after). */
  owner: string | null;
  lease_until: string | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** The audience's members as the backfill found them: decides member writes without one GET per member. */
export interface BackfillMemberSnapshotTable {
  connection_id: string;
  email: string;
  status: string;
  last_changed: string | null;
  /** JSON array of tag names. */
  tags: string;
}

export interface ResyncSeenTable {
  connection_id: string;
  entity_type: string;
  /** The Mailchimp id. */
  entity_id: string;
  fingerprint: string;
}

/** A person erased by a GDPR redaction, as a keyed hash (security/tombstone-key.ts), and when the redaction happened. */
export interface RedactionTombstonesTable {
  connection_id: string;
  /** `email:<hmac>` or `customer:<hmac>`. */
  subject: string;
  /** The redaction's time: events about the subject from no later than this are dropped. */
  redacted_at: string;
  created_at: string;
}

export interface Database {
  redaction_tombstones: RedactionTombstonesTable;
  resync_seen: ResyncSeenTable;
  backfill_runs: BackfillRunsTable;
  backfill_member_snapshot: BackfillMemberSnapshotTable;
  segments: SegmentsTable;
  promo_sends: PromoSendsTable;
  campaigns: CampaignsTable;
  campaign_reports: CampaignReportsTable;
  list_stats: ListStatsTable;
  mailchimp_webhooks: MailchimpWebhooksTable;
  consent_evidence: ConsentEvidenceTable;
  checkout_sightings: CheckoutSightingsTable;
  customer_email_aliases: CustomerEmailAliasesTable;
  purchases: PurchasesTable;
  people: PeopleTable;
  connections: ConnectionsTable;
  inbox_events: InboxEventsTable;
  sync_state: SyncStateTable;
  dead_letters: DeadLettersTable;
}
