import {createHash, randomBytes, randomUUID} from 'node:crypto';
import type {Kysely, Selectable} from 'kysely';
import type {SecretBox} from '../security/secret-box.js';
import type {ConnectionsTable, Database} from './schema.js';

/** How the connector reaches a Mailchimp account. Stored sealed; decrypted only when a client is built. */
export type MailchimpCredentials =
  | {kind: 'api_key'; apiKey: string; baseUrl?: string}
  | {kind: 'oauth'; accessToken: string; dc: string; baseUrl?: string};

export interface ShopifyCredentials {
  /** The app's API secret: verifies webhook HMACs. */
  apiSecret?: string;
  /** Admin API access token (backfill, consent write-back). */
  accessToken?: string;
  /** Overrides https://<shop>/admin (the Shopify stand-in). */
  adminUrl?: string;
}

export interface ConnectionSettings {
  /** Lifetime spend above which a customer is tagged VIP, in the store currency's minor units. */
  vipSpendMinor?: number;
  lapsedAfterDays?: number;
  currency?: string;
  storeName?: string;
  /** Web origins whose pages may call the storefront endpoints (`/v1/subscribe`, `/v1/consent`) for this shop. */
  storefrontOrigins?: string[];
}

export interface Connection {
  id: string;
  shopDomain: string;
  platform: 'shopify' | 'custom';
  mailchimpStoreId: string;
  mailchimpListId: string | null;
  mailchimpAccount: string;
  doubleOptIn: boolean;
  settings: ConnectionSettings;
  status: 'active' | 'uninstalled';
  storeCreated: boolean;
}

export interface NewConnection {
  shopDomain: string;
  platform: 'shopify' | 'custom';
  mailchimp: MailchimpCredentials;
  mailchimpListId?: string;
  /** Keep a given store id; otherwise a random, stable one is made (never derived from the domain). */
  mailchimpStoreId?: string;
  shopify?: ShopifyCredentials;
  /** Bearer token for the generic ingest API; only its hash is stored. */
  ingestToken?: string;
  doubleOptIn?: boolean;
  settings?: ConnectionSettings;
}

/** The limiter key of a Mailchimp account: shared by every connection on the account, and never the key itself. */
export function mailchimpAccountKey(credentials: MailchimpCredentials): string {
  const secret = credentials.kind === 'api_key' ? credentials.apiKey : credentials.accessToken;
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ConnectionsRepository {
  constructor(private readonly db: Kysely<Database>, private readonly box: SecretBox) {}

  /** Creates the connection for a shop, or updates credentials and settings of the existing one (ids stay). */
  async upsert(input: NewConnection, now: string): Promise<Connection> {
    const existing = await this.db.selectFrom('connections').selectAll().where('shop_domain', '=', input.shopDomain).executeTakeFirst();
    const values = {
      platform: input.platform,
      mailchimp_list_id: input.mailchimpListId ?? existing?.mailchimp_list_id ?? null,
      mailchimp_account: mailchimpAccountKey(input.mailchimp),
      mailchimp_credentials: this.box.seal(JSON.stringify(input.mailchimp)),
      shopify_credentials: input.shopify ? this.box.seal(JSON.stringify(input.shopify)) : (existing?.shopify_credentials ?? null),
      ingest_token_hash: input.ingestToken ? hashToken(input.ingestToken) : (existing?.ingest_token_hash ?? null),
      double_opt_in: input.doubleOptIn ? 1 : 0,
      settings: JSON.stringify({...(existing ? (JSON.parse(existing.settings) as ConnectionSettings) : {}), ...input.settings}),
      status: 'active' as const,
      updated_at: now,
    };
    if (existing) {
      await this.db.updateTable('connections').set(values).where('id', '=', existing.id).execute();
      return toConnection({...existing, ...values});
    }
    const row = {
      ...values,
      id: randomUUID(),
      shop_domain: input.shopDomain,
      mailchimp_store_id: input.mailchimpStoreId ?? `msb_${randomBytes(8).toString('hex')}`,
      store_created: 0,
      created_at: now,
    };
    await this.db.insertInto('connections').values(row).execute();
    return toConnection(row);
  }

  async byId(id: string): Promise<Connection | undefined> {
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toConnection(row);
  }

  async byShopDomain(shopDomain: string): Promise<Connection | undefined> {
    const row = await this.db.selectFrom('connections').selectAll().where('shop_domain', '=', shopDomain).executeTakeFirst();
    return row && toConnection(row);
  }

  async byIngestToken(token: string): Promise<Connection | undefined> {
    const row = await this.db.selectFrom('connections').selectAll().where('ingest_token_hash', '=', hashToken(token)).executeTakeFirst();
    return row && toConnection(row);
  }

  async all(): Promise<Connection[]> {
    return (await this.db.selectFrom('connections').selectAll().orderBy('created_at').execute()).map(toConnection);
  }

  async mailchimpCredentials(id: string): Promise<MailchimpCredentials> {
    const row = await this.db.selectFrom('connections').select('mailchimp_credentials').where('id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(this.box.open(row.mailchimp_credentials)) as MailchimpCredentials;
  }

  async shopifyCredentials(id: string): Promise<ShopifyCredentials | undefined> {
    const row = await this.db.selectFrom('connections').select('shopify_credentials').where('id', '=', id).executeTakeFirstOrThrow();
    return row.shopify_credentials ? (JSON.parse(this.box.open(row.shopify_credentials)) as ShopifyCredentials) : undefined;
  }

  async markStoreCreated(id: string, listId: string, now: string): Promise<void> {
    await this.db.updateTable('connections').set({store_created: 1, mailchimp_list_id: listId, updated_at: now}).where('id', '=', id).execute();
  }

  async setStatus(id: string, status: Connection['status'], now: string): Promise<void> {
    await this.db.updateTable('connections').set({status, updated_at: now}).where('id', '=', id).execute();
  }
}

function toConnection(row: Selectable<ConnectionsTable>): Connection {
  return {
    id: row.id,
    shopDomain: row.shop_domain,
    platform: row.platform,
    mailchimpStoreId: row.mailchimp_store_id,
    mailchimpListId: row.mailchimp_list_id,
    mailchimpAccount: row.mailchimp_account,
    doubleOptIn: row.double_opt_in === 1,
    settings: JSON.parse(row.settings) as ConnectionSettings,
    status: row.status,
    storeCreated: row.store_created === 1,
  };
}
