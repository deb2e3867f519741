import {Migrator, type ColumnDefinitionBuilder, type Kysely, type Migration, type MigrationProvider} from 'kysely';
import type {Engine} from './database.js';

/**
 * Migrations in code (no files to find at run time), the same for SQLite and Postgres. Only the auto-increment
 * column type differs between engines. Never edit a shipped migration: add a new one.
 */
function migrations(engine: Engine): Record<string, Migration> {
  const serial = engine === 'postgres' ? 'bigserial' : 'integer';
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('connections')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('shop_domain', 'text', (c) => c.notNull().unique())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('mailchimp_store_id', 'text', (c) => c.notNull())
          .addColumn('mailchimp_list_id', 'text')
          .addColumn('mailchimp_account', 'text', (c) => c.notNull())
          .addColumn('mailchimp_credentials', 'text', (c) => c.notNull())
          .addColumn('shopify_credentials', 'text')
          .addColumn('ingest_token_hash', 'text')
          .addColumn('double_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
          .addColumn('store_created', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('inbox_events')
          .addColumn('id', serial, (c) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('topic', 'text', (c) => c.notNull())
          .addColumn('dedupe_key', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('triggered_at', 'text')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('processed_at', 'text')
          .addColumn('error', 'text')
          .addUniqueConstraint('inbox_events_dedupe', ['connection_id', 'source', 'dedupe_key'])
          .execute();
        await db.schema.createIndex('inbox_events_pending').on('inbox_events').columns(['status', 'id']).execute();

        await db.schema
          .createTable('sync_state')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('entity_type', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('desired', 'text', (c) => c.notNull())
          .addColumn('desired_version', 'text', (c) => c.notNull())
          .addColumn('desired_hash', 'text', (c) => c.notNull())
          .addColumn('synced_hash', 'text')
          .addColumn('synced_desired', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('claimed_by', 'text')
          .addColumn('claimed_until', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('synced_at', 'text')
          .addPrimaryKeyConstraint('sync_state_pk', ['connection_id', 'entity_type', 'entity_id'])
          .execute();
        await db.schema.createIndex('sync_state_due').on('sync_state').columns(['status', 'next_attempt_at']).execute();

        await db.schema
          .createTable('dead_letters')
          .addColumn('id', serial, (c) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('entity_type', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('desired_hash', 'text', (c) => c.notNull())
          .addColumn('problem', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('resolved_at', 'text')
          .addColumn('resolution', 'text')
          .execute();

        await db.schema
          .createTable('purchases')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('order_id', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('customer_id', 'text')
          .addColumn('order', 'text', (c) => c.notNull())
          .addColumn('processed_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('purchases_pk', ['connection_id', 'order_id'])
          .execute();
        await db.schema.createIndex('purchases_by_email').on('purchases').columns(['connection_id', 'email']).execute();

        await db.schema
          .createTable('people')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('customer_id', 'text')
          .addColumn('first_name', 'text')
          .addColumn('last_name', 'text')
          .addColumn('consent', 'text')
          .addColumn('consent_at', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('people_pk', ['connection_id', 'email'])
          .execute();
        await db.schema
          .createIndex('people_by_customer')
          .on('people')
          .columns(['connection_id', 'customer_id'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['people', 'purchases', 'dead_letters', 'sync_state', 'inbox_events', 'connections'])
          await db.schema.dropTable(t).ifExists().execute();
      },
    },
    '0002_consent_evidence': {
      // What a person agreed to on the storefront (subscribe form, checkout checkbox): the text shown, its version,
      // when, from where. Written with the inbox event in one transaction, before the widget gets its answer.
      // `people.opt_in_sources` keeps the storefront sources a person opted in through since their last opt-out,
      // so that the `newsletter` and `checkout-opt-in` tags survive a later consent from another source.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('consent_evidence')
          .addColumn('id', serial, (c) => (engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('inbox_event_id', 'integer', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('text_version', 'text', (c) => c.notNull())
          .addColumn('locale', 'text')
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('page', 'text')
          .addColumn('attribution', 'text')
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('consent_evidence_by_email')
          .on('consent_evidence')
          .columns(['connection_id', 'email'])
          .execute();
        await db.schema.alterTable('people').addColumn('opt_in_sources', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('people').dropColumn('opt_in_sources').execute();
        await db.schema.dropTable('consent_evidence').ifExists().execute();
      },
    },
    '0003_customer_email_aliases': {
      // Mailchimp binds an e-commerce customer id to its first e-mail address; after an e-mail change the customer
      // continues under an alias id (customer-identity.ts). One row per (customer, address) that needed one.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('customer_email_aliases')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('customer_id', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('alias_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('customer_email_aliases_pk', ['connection_id', 'customer_id', 'email'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('customer_email_aliases').ifExists().execute();
      },
    },
    '0005_backfill': {
      // The initial sync (backfill): its runs with their resumable position, a lane on the outbox so batch-sent
      // backfill work and live work never claim each other's rows, and a snapshot of the audience's members
      // (status, tags) so member writes are decided exactly without one GET per member.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('sync_state')
          .addColumn('lane', 'text', (c) => c.notNull().defaultTo('live'))
          .execute();
        await db.schema
          .createIndex('sync_state_by_lane')
          .on('sync_state')
          .columns(['lane', 'status', 'entity_type', 'next_attempt_at'])
          .execute();
        await db.schema
          .createTable('backfill_runs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          .addColumn('position', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('progress', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('error', 'text')
          .addColumn('owner', 'text')
          .addColumn('lease_until', 'text')
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .execute();
        await db.schema
          .createIndex('backfill_runs_by_connection')
          .on('backfill_runs')
          .columns(['connection_id', 'status'])
          .execute();
        await db.schema
          .createTable('backfill_member_snapshot')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('last_changed', 'text')
          .addColumn('tags', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('backfill_member_snapshot_pk', ['connection_id', 'email'])
          .execute();
        // What Mailchimp holds, by entity, while a resync compares it with local state (fingerprints of the
        // compared fields; read a page at a time, kept here rather than in memory).
        await db.schema
          .createTable('resync_seen')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('entity_type', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('resync_seen_pk', ['connection_id', 'entity_type', 'entity_id'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('resync_seen').ifExists().execute();
        await db.schema.dropTable('backfill_member_snapshot').ifExists().execute();
        await db.schema.dropTable('backfill_runs').ifExists().execute();
        await db.schema.dropIndex('sync_state_by_lane').ifExists().execute();
        await db.schema.alterTable('sync_state').dropColumn('lane').execute();
      },
    },
    '0004_segments_campaigns': {
      // Segments and their Mailchimp saved segments, idempotent promo sends, campaign statistics pulled back, and the
      // list webhook each connection registers (segments/, campaigns/, mailchimp-webhooks/).
      async up(db: Kysely<unknown>) {
        const id = (c: ColumnDefinitionBuilder) =>
          engine === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey();
        await db.schema
          .createTable('segments')
          .addColumn('id', serial, id)
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('definition', 'text', (c) => c.notNull())
          .addColumn('compiled', 'text', (c) => c.notNull())
          .addColumn('local_tags', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('mailchimp_segment_id', 'integer')
          .addColumn('mailchimp_count', 'integer')
          .addColumn('local_count', 'integer')
          .addColumn('counted_at', 'text')
          .addColumn('tags_refreshed_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('segments_name', ['connection_id', 'name'])
          .execute();

        await db.schema
          .createTable('promo_sends')
          .addColumn('id', serial, id)
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull())
          .addColumn('request_hash', 'text', (c) => c.notNull())
          .addColumn('request', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('progress', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('result', 'text')
          .addColumn('error', 'text')
          .addColumn('campaign_id', 'text')
          .addColumn('locked_until', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('promo_sends_key', ['connection_id', 'idempotency_key'])
          .execute();

        await db.schema
          .createTable('campaigns')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('campaign_id', 'text', (c) => c.notNull())
          .addColumn('web_id', 'integer')
          .addColumn('list_id', 'text')
          .addColumn('title', 'text')
          .addColumn('subject_line', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('create_time', 'text')
          .addColumn('send_time', 'text')
          .addColumn('promo_send_id', 'integer')
          .addColumn('segment_id', 'integer')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('campaigns_pk', ['connection_id', 'campaign_id'])
          .execute();

        await db.schema
          .createTable('campaign_reports')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('campaign_id', 'text', (c) => c.notNull())
          .addColumn('emails_sent', 'integer', (c) => c.notNull())
          .addColumn('opens_total', 'integer', (c) => c.notNull())
          .addColumn('unique_opens', 'integer', (c) => c.notNull())
          .addColumn('open_rate', 'double precision', (c) => c.notNull())
          .addColumn('clicks_total', 'integer', (c) => c.notNull())
          .addColumn('unique_clicks', 'integer', (c) => c.notNull())
          .addColumn('click_rate', 'double precision', (c) => c.notNull())
          .addColumn('hard_bounces', 'integer', (c) => c.notNull())
          .addColumn('soft_bounces', 'integer', (c) => c.notNull())
          .addColumn('unsubscribed', 'integer', (c) => c.notNull())
          .addColumn('abuse_reports', 'integer', (c) => c.notNull())
          .addColumn('ecommerce_orders', 'integer', (c) => c.notNull())
          .addColumn('ecommerce_spent_minor', 'bigint', (c) => c.notNull())
          .addColumn('ecommerce_revenue_minor', 'bigint', (c) => c.notNull())
          .addColumn('currency', 'text')
          .addColumn('report', 'text', (c) => c.notNull())
          .addColumn('fetched_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('campaign_reports_pk', ['connection_id', 'campaign_id'])
          .execute();

        await db.schema
          .createTable('list_stats')
          .addColumn('id', serial, id)
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('list_id', 'text', (c) => c.notNull())
          .addColumn('member_count', 'integer', (c) => c.notNull())
          .addColumn('unsubscribe_count', 'integer', (c) => c.notNull())
          .addColumn('cleaned_count', 'integer', (c) => c.notNull())
          .addColumn('campaign_count', 'integer', (c) => c.notNull())
          .addColumn('open_rate', 'double precision', (c) => c.notNull())
          .addColumn('click_rate', 'double precision', (c) => c.notNull())
          .addColumn('stats', 'text', (c) => c.notNull())
          .addColumn('fetched_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('list_stats_by_time')
          .on('list_stats')
          .columns(['connection_id', 'fetched_at'])
          .execute();

        await db.schema
          .createTable('mailchimp_webhooks')
          .addColumn('connection_id', 'text', (c) => c.primaryKey())
          .addColumn('list_id', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('token_sealed', 'text', (c) => c.notNull())
          .addColumn('webhook_id', 'text')
          .addColumn('url_base', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('last_checked_at', 'text')
          .addColumn('last_repair', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of [
          'mailchimp_webhooks',
          'list_stats',
          'campaign_reports',
          'campaigns',
          'promo_sends',
          'segments',
        ])
          await db.schema.dropTable(t).ifExists().execute();
      },
    },
    '0007_shop_currency': {
      // The shop's own currency and how it was learned (Admin API `shop { currencyCode }`, or the first order or
      // product payload that states it), the Mailchimp store's currency as last seen or set, the status note when
      // the two cannot be reconciled (the store already holds orders), and the STORE_CURRENCY/shop pair last warned
      // about (so the warning is logged once, whichever process sees it first).
      async up(db: Kysely<unknown>) {
        for (const column of [
          'shop_currency',
          'shop_currency_source',
          'shop_currency_at',
          'mailchimp_currency',
          'currency_note',
          'currency_warned',
        ]) {
          await db.schema.alterTable('connections').addColumn(column, 'text').execute();
        }
      },
      async down(db: Kysely<unknown>) {
        for (const column of [
          'currency_warned',
          'currency_note',
          'mailchimp_currency',
          'shop_currency_at',
          'shop_currency_source',
          'shop_currency',
        ]) {
          await db.schema.alterTable('connections').dropColumn(column).execute();
        }
      },
    },
    '0006_webhook_check_lease': {
      // A lease on each connection's list webhook registration (mailchimp-webhooks/list-webhook-registrar.ts): the
      // check holding it and until when. Taken by one conditional UPDATE, so that concurrent checks (operator calls,
      // the start-up check, other processes) never each create a webhook. One column per statement (SQLite).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('mailchimp_webhooks').addColumn('check_holder', 'text').execute();
        await db.schema.alterTable('mailchimp_webhooks').addColumn('check_lease_until', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('mailchimp_webhooks').dropColumn('check_lease_until').execute();
        await db.schema.alterTable('mailchimp_webhooks').dropColumn('check_holder').execute();
      },
    },
    '0009_checkout_consent_confirmation': {
      // The storefront checkout checkbox counts only once a signed order or checkout for the same address confirms
      // it (storefront/checkout-consent.ts): its evidence row waits (`confirmation`, `confirm_until`) and then names
      // what confirmed it; signed orders and checkouts are noted by address (hashed) for a beacon that comes after them.
      // Evidence stored before keeps null (its consent was applied directly). One column per statement (SQLite).
      async up(db: Kysely<unknown>) {
        for (const column of [
          'confirmation',
          'confirm_until',
          'confirmed_by_type',
          'confirmed_by_id',
          'confirmed_at',
        ]) {
          await db.schema.alterTable('consent_evidence').addColumn(column, 'text').execute();
        }
        await db.schema
          .createIndex('consent_evidence_by_inbox_event')
          .on('consent_evidence')
          .columns(['connection_id', 'inbox_event_id'])
          .execute();
        await db.schema
          .createIndex('consent_evidence_awaiting')
          .on('consent_evidence')
          .columns(['confirmation', 'confirm_until'])
          .execute();
        await db.schema
          .createTable('checkout_sightings')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('email_hash', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('checkout_sightings_pk', ['connection_id', 'type', 'entity_id', 'email_hash'])
          .execute();
        await db.schema
          .createIndex('checkout_sightings_by_email')
          .on('checkout_sightings')
          .columns(['connection_id', 'email_hash'])
          .execute();
        await db.schema
          .createIndex('checkout_sightings_by_time')
          .on('checkout_sightings')
          .columns(['seen_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('checkout_sightings').ifExists().execute();
        await db.schema.dropIndex('consent_evidence_awaiting').ifExists().execute();
        await db.schema.dropIndex('consent_evidence_by_inbox_event').ifExists().execute();
        for (const column of [
          'confirmed_at',
          'confirmed_by_id',
          'confirmed_by_type',
          'confirm_until',
          'confirmation',
        ]) {
          await db.schema.alterTable('consent_evidence').dropColumn(column).execute();
        }
      },
    },
    '0008_redaction_tombstones': {
      // GDPR redaction (sync/person-erasure.ts): who was erased, as keyed hashes of the address and of the customer id
      // (security/tombstone-key.ts), and when, so that a replay or a late retry of an older event never brings the
      // person back; and, on the inbox, when an event's payload was erased (an erased event is never replayed).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('redaction_tombstones')
          .addColumn('connection_id', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('redacted_at', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('redaction_tombstones_pk', ['connection_id', 'subject'])
          .execute();
        await db.schema.alterTable('inbox_events').addColumn('redacted_at', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('inbox_events').dropColumn('redacted_at').execute();
        await db.schema.dropTable('redaction_tombstones').ifExists().execute();
      },
    },
    '0010_app_install': {
      // Shops installed through the Shopify app (multi-shop mode, install/): how a connection came to be (`env` or
      // `app`); its Mailchimp connection state (null: connected, as every earlier connection is; `not_connected`
      // until the merchant connects Mailchimp; `reconnect_needed` after a 401), the detail shown for it and the
      // account's name as Mailchimp's metadata gives it; the lease of the one process refreshing the shop's expiring
      // Shopify token; and the state of the shop's webhook subscriptions as last checked (JSON).
      async up(db: Kysely<unknown>) {
        for (const column of [
          'install_source',
          'mailchimp_status',
          'mailchimp_status_detail',
          'mailchimp_account_name',
          'shopify_refresh_lease',
          'shopify_webhooks',
        ]) {
          await db.schema.alterTable('connections').addColumn(column, 'text').execute();
        }
      },
      async down(db: Kysely<unknown>) {
        for (const column of [
          'shopify_webhooks',
          'shopify_refresh_lease',
          'mailchimp_account_name',
          'mailchimp_status_detail',
          'mailchimp_status',
          'install_source',
        ]) {
          await db.schema.alterTable('connections').dropColumn(column).execute();
        }
      },
    },
    '0011_sync_state_lane_indexes': {
      // A big backfill leaves tens of thousands of rows pending in the backfill lane. Without these, the live
      // worker's poll (claimDue, nextDueForActiveConnections: lane = 'live') went through sync_state_due and read
      // every pending row of both lanes, about 90 ms per poll at 50k rows, four times a second, holding SQLite's
      // only connection meanwhile; and the backfill's backlog count read each row's full record.
      // (lane, status, next_attempt_at): the live lane's due rows only. (connection_id, lane, status, entity_type,
      // next_attempt_at): a connection's backfill lane by type, index-only for its counts and claims.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createIndex('sync_state_lane_due')
          .on('sync_state')
          .columns(['lane', 'status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('sync_state_connection_lane')
          .on('sync_state')
          .columns(['connection_id', 'lane', 'status', 'entity_type', 'next_attempt_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropIndex('sync_state_connection_lane').ifExists().execute();
        await db.schema.dropIndex('sync_state_lane_due').ifExists().execute();
      },
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.engine);
  }
}

/**
 * Runs the migrations. With a Postgres schema, Kysely's own bookkeeping tables live in it too: its check for them
 * looks at every schema of the database, so another schema's tables (a parallel test, another app) would otherwise
 * make it skip creating them here ("relation kysely_migration_lock does not exist").
 */
export async function migrateToLatest<T>(db: Kysely<T>, engine: Engine, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrations(engine),
    ...(schema ? {migrationTableSchema: schema} : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const {error, results} = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    // Kysely looks for its bookkeeping tables by introspecting every schema of the database; a schema another
    // process drops meanwhile (parallel tests, another app) makes that query fail with "schema … does not exist"
    // before any migration ran. Nothing was applied then, so the whole step is simply asked again.
    const beforeAnyMigration = !failed && !results?.some((r) => r.status === 'Success');
    const message = error instanceof Error ? error.message : String(error);
    if (beforeAnyMigration && attempt < 5 && /does not exist/.test(message)) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${message}`);
  }
}
