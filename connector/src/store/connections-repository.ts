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
  /** An expiring offline token's expiry (ISO time); absent for a token that does not expire (custom apps). */
  accessTokenExpiresAt?: string;
  /** The refresh token of an expiring offline token; every refresh rotates it. */
  refreshToken?: string;
  refreshTokenExpiresAt?: string;
  /** The access scopes Shopify granted. */
  scope?: string;
  /** Overrides https://<shop>/admin (the Shopify stand-in). */
  adminUrl?: string;
}

export interface ConnectionSettings {
  /** Lifetime spend above which a customer is tagged VIP, in the store currency's minor units. */
  vipSpendMinor?: number;
  lapsedAfterDays?: number;
  /** STORE_CURRENCY: an explicit override of the Mailchimp store's currency (absent: the shop's own currency). */
  currency?: string;
  /**
   * The shop's detected currency (Connection.currency.shop), filled in when the connection is read and never stored
   * in the settings JSON: for code that only sees the settings (tag rules).
   */
  readonly shopCurrency?: string;
  /** The Mailchimp store's name (STORE_NAME; the shop's name from the Admin API for an installed shop). */
  storeName?: string;
  /**
   * The prefix of the connector's tags for this shop (chosen on the shop's page, at most 20 characters; '' for none);
   * absent: TAG_PREFIX.
   */
  tagPrefix?: string;
  /** Web origins whose pages may call the storefront endpoints (`/v1/subscribe`, `/v1/consent`) for this shop. */
  storefrontOrigins?: string[];
  /**
   * The subscribe form's opt-in: `false` only when the merchant chose single opt-in explicitly
   * (STOREFRONT_DOUBLE_OPT_IN=false); absent or true, a form subscription is confirmed by e-mail (Mailchimp `pending`).
   */
  storefrontDoubleOptIn?: boolean;
}

/** How the shop's currency was learned: Shopify's Admin API, or the first order or product payload that states it. */
export type ShopCurrencySource = 'admin_api' | 'order' | 'product';

/** What the connector knows about the currencies of a connection (migration 0007_shop_currency). */
export interface ConnectionCurrency {
  /** STORE_CURRENCY (settings.currency), the explicit override. */
  configured?: string;
  /** The shop's own currency, once known. */
  shop?: string;
  shopSource?: ShopCurrencySource;
  shopSeenAt?: string;
  /** The Mailchimp store's currency_code as last read or written. */
  mailchimp?: string;
  /** Why the Mailchimp store's currency is not the wanted one, when it could not be corrected. */
  note?: string;
}

/** Whether the connection can reach Mailchimp (migration 0010_app_install). */
export type MailchimpStatus = 'connected' | 'not_connected' | 'reconnect_needed';

/** The shop's webhook subscriptions as last checked (install/webhook-subscriptions.ts). */
export interface ShopifyWebhooksState {
  checkedAt: string;
  callbackUrl: string;
  /** Topics with a subscription to callbackUrl after the check. */
  subscribed: string[];
  /** Topics the check had to create (missing before). */
  created: string[];
  /** Topics still without one (the check failed for them), and why. */
  missing: string[];
  error?: string;
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
  currency: ConnectionCurrency;
  /** `env`: the environment configures it (main.ts); `app`: a merchant installed the Shopify app. */
  installSource: 'env' | 'app';
  mailchimpStatus: MailchimpStatus;
  /** Why Mailchimp needs reconnecting (what it answered), when it does. */
  mailchimpStatusDetail?: string;
  /** The Mailchimp account's name, for the merchant's page (not a secret). */
  mailchimpAccountName?: string;
  shopifyWebhooks?: ShopifyWebhooksState;
}

/**
 * Whether the sync may send this connection's records to Mailchimp: active (not uninstalled), Mailchimp connected
 * (not waiting for a connect or a reconnect) and an audience chosen. Records of other connections wait, kept.
 */
export function isSyncable(connection: Connection): boolean {
  return connection.status === 'active' && connection.mailchimpStatus === 'connected' && !!connection.mailchimpListId;
}

/** The columns a new connection starts without: learned or set while it runs. */
const LEARNED_LATER = {
  shop_currency: null,
  shop_currency_source: null,
  shop_currency_at: null,
  mailchimp_currency: null,
  currency_note: null,
  currency_warned: null,
  mailchimp_account_name: null,
  shopify_refresh_lease: null,
  shopify_webhooks: null,
} as const;

/** The sealed value of "no Mailchimp credentials yet" (the column is NOT NULL since 0001). */
const NO_MAILCHIMP = 'null';

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

let changes = 0;
/**
 * How many times this process changed a connection (upsert, status): caches of connection data (the storefront's
 * allowed origins) compare it to drop what they hold at once; changes by other processes reach them by their TTL.
 */
export function connectionChanges(): number {
  return changes;
}

/** A shop's connection with its webhook secret (the app secret that signs its Shopify webhooks), if it has one. */
export interface WebhookShop {
  connection: Connection;
  secret: string | undefined;
}

export class ConnectionsRepository {
  private readonly listeners = new Set<(connectionId: string | undefined) => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  /**
   * Calls `listener` after every write through this repository (the connection's id, or undefined when unknown):
   * caches of connection data over it (store/connection-cache.ts) drop what they hold. Returns the unsubscribe.
   */
  onChange(listener: (connectionId: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(connectionId: string | undefined): void {
    changes += 1;
    for (const listener of this.listeners) listener(connectionId);
  }

  /** Creates the connection for a shop, or updates credentials and settings of the existing one (ids stay). */
  async upsert(input: NewConnection, now: string): Promise<Connection> {
    const existing = await this.db
      .selectFrom('connections')
      .selectAll()
      .where('shop_domain', '=', input.shopDomain)
      .executeTakeFirst();
    const values = {
      platform: input.platform,
      mailchimp_list_id: input.mailchimpListId ?? existing?.mailchimp_list_id ?? null,
      mailchimp_account: mailchimpAccountKey(input.mailchimp),
      mailchimp_credentials: this.box.seal(JSON.stringify(input.mailchimp)),
      shopify_credentials: input.shopify
        ? this.box.seal(JSON.stringify(input.shopify))
        : (existing?.shopify_credentials ?? null),
      ingest_token_hash: input.ingestToken ? hashToken(input.ingestToken) : (existing?.ingest_token_hash ?? null),
      double_opt_in: input.doubleOptIn ? 1 : 0,
      settings: JSON.stringify({
        ...(existing ? (JSON.parse(existing.settings) as ConnectionSettings) : {}),
        ...input.settings,
      }),
      status: 'active' as const,
      updated_at: now,
      mailchimp_status: 'connected',
      mailchimp_status_detail: null,
    };
    if (existing) {
      await this.db.updateTable('connections').set(values).where('id', '=', existing.id).execute();
      this.changed(existing.id);
      return toConnection({...existing, ...values});
    }
    const row = {
      ...values,
      id: randomUUID(),
      shop_domain: input.shopDomain,
      mailchimp_store_id: input.mailchimpStoreId ?? `msb_${randomBytes(8).toString('hex')}`,
      store_created: 0,
      created_at: now,
      ...LEARNED_LATER,
      install_source: 'env',
    };
    await this.db.insertInto('connections').values(row).execute();
    this.changed(row.id);
    return toConnection(row);
  }

  /**
   * A shop installed through the Shopify app (install/): created on its first install with Mailchimp not yet
   * connected and no audience; a re-install stores the new tokens and re-activates it, keeping everything else.
   */
  async installShop(shopDomain: string, shopify: ShopifyCredentials, now: string): Promise<Connection> {
    const existing = await this.byShopDomain(shopDomain);
    if (existing) {
      await this.db
        .updateTable('connections')
        .set({
          platform: 'shopify',
          shopify_credentials: this.box.seal(JSON.stringify(shopify)),
          status: 'active',
          shopify_refresh_lease: null,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .execute();
      this.changed(existing.id);
      return (await this.byId(existing.id))!;
    }
    const row = {
      id: randomUUID(),
      shop_domain: shopDomain,
      platform: 'shopify' as const,
      mailchimp_store_id: `msb_${randomBytes(8).toString('hex')}`,
      mailchimp_list_id: null,
      mailchimp_account: '',
      mailchimp_credentials: this.box.seal(NO_MAILCHIMP),
      shopify_credentials: this.box.seal(JSON.stringify(shopify)),
      ingest_token_hash: null,
      double_opt_in: 1,
      settings: '{}',
      status: 'active' as const,
      store_created: 0,
      created_at: now,
      updated_at: now,
      ...LEARNED_LATER,
      install_source: 'app',
      mailchimp_status: 'not_connected',
      mailchimp_status_detail: null,
    };
    await this.db.insertInto('connections').values(row).execute();
    this.changed(row.id);
    return toConnection(row);
  }

  /** Stores a Mailchimp account for the connection (OAuth connect, a pasted key, a reconnect): connected again. */
  async connectMailchimp(
    id: string,
    credentials: MailchimpCredentials,
    accountName: string,
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({
        mailchimp_credentials: this.box.seal(JSON.stringify(credentials)),
        mailchimp_account: mailchimpAccountKey(credentials),
        mailchimp_status: 'connected',
        mailchimp_status_detail: null,
        mailchimp_account_name: accountName,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    this.changed(id);
  }

  /**
   * Mailchimp refused the connection's credentials (401): the sync of this connection waits, its queue kept, until
   * the merchant reconnects. Only the credentials that failed are marked (`accountKey`): a reconnect that stored new
   * ones in the meantime is not undone. True when this call changed the state.
   */
  async markMailchimpReconnectNeeded(id: string, accountKey: string, detail: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({mailchimp_status: 'reconnect_needed', mailchimp_status_detail: detail, updated_at: now})
      .where('id', '=', id)
      .where('mailchimp_account', '=', accountKey)
      .where((eb) => eb.or([eb('mailchimp_status', 'is', null), eb('mailchimp_status', '=', 'connected')]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) this.changed(id);
    return Number(result.numUpdatedRows) > 0;
  }

  /** The merchant's audience choice (onboarding): the list, its opt-in and settings such as the tag prefix. */
  async chooseAudience(
    id: string,
    choice: {listId: string; doubleOptIn: boolean; settings?: ConnectionSettings},
    now: string,
  ): Promise<Connection> {
    const existing = await this.byId(id);
    if (!existing) throw new Error(`no connection ${id}`);
    await this.db
      .updateTable('connections')
      .set({
        mailchimp_list_id: choice.listId,
        double_opt_in: choice.doubleOptIn ? 1 : 0,
        settings: JSON.stringify({...stripDerived(existing.settings), ...choice.settings}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    this.changed(id);
    return (await this.byId(id))!;
  }

  /** Replaces the shop's Shopify credentials (a refreshed token and its rotated refresh token). */
  async setShopifyCredentials(id: string, shopify: ShopifyCredentials, now: string): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({shopify_credentials: this.box.seal(JSON.stringify(shopify)), updated_at: now})
      .where('id', '=', id)
      .execute();
    this.changed(id);
  }

  /**
   * Uninstall: the tokens are dropped (Shopify revoked them); the app secret stays, since compliance webhooks
   * (`shop/redact`) still arrive for an uninstalled shop and must be verified.
   */
  async dropShopifyTokens(id: string, now: string): Promise<void> {
    const credentials = await this.shopifyCredentials(id);
    await this.setShopifyCredentials(id, credentials?.apiSecret ? {apiSecret: credentials.apiSecret} : {}, now);
  }

  /**
   * Claims the right to refresh the shop's Shopify token until `until` (one process at a time, across processes):
   * true for the one caller that finds no live lease.
   */
  async claimShopifyRefresh(id: string, until: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({shopify_refresh_lease: until})
      .where('id', '=', id)
      .where((eb) => eb.or([eb('shopify_refresh_lease', 'is', null), eb('shopify_refresh_lease', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async releaseShopifyRefresh(id: string): Promise<void> {
    await this.db.updateTable('connections').set({shopify_refresh_lease: null}).where('id', '=', id).execute();
  }

  async recordShopifyWebhooks(id: string, state: ShopifyWebhooksState): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({shopify_webhooks: JSON.stringify(state)})
      .where('id', '=', id)
      .execute();
    this.changed(id);
  }

  async byId(id: string): Promise<Connection | undefined> {
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toConnection(row);
  }

  async byShopDomain(shopDomain: string): Promise<Connection | undefined> {
    const row = await this.db
      .selectFrom('connections')
      .selectAll()
      .where('shop_domain', '=', shopDomain)
      .executeTakeFirst();
    return row && toConnection(row);
  }

  async byIngestToken(token: string): Promise<Connection | undefined> {
    const row = await this.db
      .selectFrom('connections')
      .selectAll()
      .where('ingest_token_hash', '=', hashToken(token))
      .executeTakeFirst();
    return row && toConnection(row);
  }

  /** The shop's connection and its webhook secret, read and opened now (ConnectionCache keeps them). */
  async webhookShop(shopDomain: string): Promise<WebhookShop | undefined> {
    const found = await this.sealedByShopDomain(shopDomain);
    return found && {connection: found.connection, secret: this.openShopify(found.sealedShopify)?.apiSecret};
  }

  /**
   * The shop's connection with its Shopify credentials as stored (sealed, unopened): a cache that already holds the
   * opened secret of the same sealed value need not open it again (every write seals afresh, with a new IV).
   */
  async sealedByShopDomain(
    shopDomain: string,
  ): Promise<{connection: Connection; sealedShopify: string | null} | undefined> {
    const row = await this.db
      .selectFrom('connections')
      .selectAll()
      .where('shop_domain', '=', shopDomain)
      .executeTakeFirst();
    return row && {connection: toConnection(row), sealedShopify: row.shopify_credentials};
  }

  /** Opens sealed Shopify credentials as sealedByShopDomain returns them. */
  openShopify(sealed: string | null): ShopifyCredentials | undefined {
    return sealed ? ((JSON.parse(this.box.open(sealed)) as ShopifyCredentials | null) ?? undefined) : undefined;
  }

  async all(): Promise<Connection[]> {
    return (await this.db.selectFrom('connections').selectAll().orderBy('created_at').execute()).map(toConnection);
  }

  /** The connection's Mailchimp credentials; throws when the merchant has not connected Mailchimp yet. */
  async mailchimpCredentials(id: string): Promise<MailchimpCredentials> {
    const credentials = await this.mailchimpCredentialsIfConnected(id);
    if (!credentials) throw new Error(`Mailchimp is not connected for connection ${id}`);
    return credentials;
  }

  async mailchimpCredentialsIfConnected(id: string): Promise<MailchimpCredentials | undefined> {
    const row = await this.db
      .selectFrom('connections')
      .select('mailchimp_credentials')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return (JSON.parse(this.box.open(row.mailchimp_credentials)) as MailchimpCredentials | null) ?? undefined;
  }

  async shopifyCredentials(id: string): Promise<ShopifyCredentials | undefined> {
    const row = await this.db
      .selectFrom('connections')
      .select('shopify_credentials')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.shopify_credentials
      ? (JSON.parse(this.box.open(row.shopify_credentials)) as ShopifyCredentials)
      : undefined;
  }

  async markStoreCreated(id: string, listId: string, now: string): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({store_created: 1, mailchimp_list_id: listId, updated_at: now})
      .where('id', '=', id)
      .execute();
    this.changed(id);
  }

  async setStatus(id: string, status: Connection['status'], now: string): Promise<void> {
    await this.db.updateTable('connections').set({status, updated_at: now}).where('id', '=', id).execute();
    this.changed(id);
  }

  /** Records the shop's currency; see recordShopCurrency. */
  async recordShopCurrency(id: string, currency: string, source: ShopCurrencySource, now: string): Promise<boolean> {
    const changed = await recordShopCurrency(this.db, id, currency, source, now);
    if (changed) this.changed(id);
    return changed;
  }

  /** The Mailchimp store's currency as just read or written, and the note for the status (null: none). */
  async recordStoreCurrency(id: string, mailchimpCurrency: string, note: string | null, now: string): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({mailchimp_currency: mailchimpCurrency, currency_note: note, updated_at: now})
      .where('id', '=', id)
      .execute();
    this.changed(id);
  }

  /**
   * Claims the warning about a STORE_CURRENCY/shop currency pair: true for the one caller (of any process) that
   * records the pair first, so the warning is logged once per pair.
   */
  async claimCurrencyWarning(id: string, pair: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({currency_warned: pair})
      .where('id', '=', id)
      .where((eb) => eb.or([eb('currency_warned', 'is', null), eb('currency_warned', '!=', pair)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

/**
 * Records the shop's currency (`db` may be the inbox processor's transaction, so the currency of an order is known
 * before the order's sync record can be claimed). The Admin API's answer is authoritative and replaces what was
 * known; a payload's currency is only taken while nothing is known (the first one wins). True when it changed.
 */
export async function recordShopCurrency(
  db: Kysely<Database>,
  connectionId: string,
  currency: string,
  source: ShopCurrencySource,
  now: string,
): Promise<boolean> {
  let query = db
    .updateTable('connections')
    .set({shop_currency: currency, shop_currency_source: source, shop_currency_at: now})
    .where('id', '=', connectionId);
  query =
    source === 'admin_api'
      ? query.where((eb) =>
          eb.or([
            eb('shop_currency', 'is', null),
            eb('shop_currency', '!=', currency),
            eb('shop_currency_source', 'is', null),
            eb('shop_currency_source', '!=', source),
          ]),
        )
      : query.where('shop_currency', 'is', null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toConnection(row: Selectable<ConnectionsTable>): Connection {
  const settings = JSON.parse(row.settings) as ConnectionSettings;
  const currency: ConnectionCurrency = {
    ...(settings.currency ? {configured: settings.currency} : {}),
    ...(row.shop_currency
      ? {
          shop: row.shop_currency,
          shopSource: (row.shop_currency_source ?? 'order') as ShopCurrencySource,
          shopSeenAt: row.shop_currency_at ?? undefined,
        }
      : {}),
    ...(row.mailchimp_currency ? {mailchimp: row.mailchimp_currency} : {}),
    ...(row.currency_note ? {note: row.currency_note} : {}),
  };
  return {
    id: row.id,
    shopDomain: row.shop_domain,
    platform: row.platform,
    mailchimpStoreId: row.mailchimp_store_id,
    mailchimpListId: row.mailchimp_list_id,
    mailchimpAccount: row.mailchimp_account,
    doubleOptIn: row.double_opt_in === 1,
    settings: row.shop_currency ? {...settings, shopCurrency: row.shop_currency} : settings,
    status: row.status,
    storeCreated: row.store_created === 1,
    currency,
    installSource: row.install_source === 'app' ? 'app' : 'env',
    mailchimpStatus: (row.mailchimp_status ?? 'connected') as MailchimpStatus,
    ...(row.mailchimp_status_detail ? {mailchimpStatusDetail: row.mailchimp_status_detail} : {}),
    ...(row.mailchimp_account_name ? {mailchimpAccountName: row.mailchimp_account_name} : {}),
    ...(row.shopify_webhooks ? {shopifyWebhooks: JSON.parse(row.shopify_webhooks) as ShopifyWebhooksState} : {}),
  };
}

/** Settings without what toConnection derives (shopCurrency is a column, never stored in the JSON). */
function stripDerived(settings: ConnectionSettings): ConnectionSettings {
  const {shopCurrency: _derived, ...stored} = settings;
  return stored;
}

/**
 * A connection's platform and status as the projection reads and changes them, on its transaction (no credentials,
 * so no SecretBox; ConnectionsRepository is the full one).
 */
export class ConnectionStateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The platform of a connection (`shopify`, `generic`). */
  async platform(connectionId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('connections')
      .select('platform')
      .where('id', '=', connectionId)
      .executeTakeFirst();
    return row?.platform;
  }

  /** Pauses a connection whose app was uninstalled. */
  async markUninstalled(connectionId: string, now: string): Promise<void> {
    await this.db
      .updateTable('connections')
      .set({status: 'uninstalled', updated_at: now})
      .where('id', '=', connectionId)
      .execute();
  }

  /**
   * Uninstall of an app-installed shop: its Shopify tokens are dropped (Shopify revoked them; a re-install stores
   * new ones), the app secret kept for the compliance webhooks (as ConnectionsRepository.dropShopifyTokens).
   */
  async dropAppShopTokens(connectionId: string, box: SecretBox, now: string): Promise<void> {
    const row = await this.db
      .selectFrom('connections')
      .select(['install_source', 'shopify_credentials'])
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!row || row.install_source !== 'app' || !row.shopify_credentials) return;
    const credentials = JSON.parse(box.open(row.shopify_credentials)) as ShopifyCredentials | null;
    const kept: ShopifyCredentials = credentials?.apiSecret ? {apiSecret: credentials.apiSecret} : {};
    await this.db
      .updateTable('connections')
      .set({shopify_credentials: box.seal(JSON.stringify(kept)), shopify_refresh_lease: null, updated_at: now})
      .where('id', '=', connectionId)
      .execute();
  }
}
