import {Migrator, type Kysely, type Migration, type MigrationProvider} from 'kysely';
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
        await db.schema.createIndex('people_by_customer').on('people').columns(['connection_id', 'customer_id']).execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['people', 'purchases', 'dead_letters', 'sync_state', 'inbox_events', 'connections']) await db.schema.dropTable(t).ifExists().execute();
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
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.engine);
  }
}

export async function migrateToLatest<T>(db: Kysely<T>, engine: Engine): Promise<void> {
  const migrator = new Migrator({db, provider: new InCodeMigrations(engine)});
  const {error, results} = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
