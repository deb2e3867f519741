import type {Generated} from 'kysely';

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
}

export interface InboxEventsTable {
  id: Generated<number>;
  connection_id: string;
  source: 'shopify' | 'ingest' | 'widget' | 'mailchimp';
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
}

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
  updated_at: string;
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

export interface Database {
  customer_email_aliases: CustomerEmailAliasesTable;
  purchases: PurchasesTable;
  people: PeopleTable;
  connections: ConnectionsTable;
  inbox_events: InboxEventsTable;
  sync_state: SyncStateTable;
  dead_letters: DeadLettersTable;
}
