import type {Kysely} from 'kysely';
import type {Logger} from '../../logging/logger.js';
import {accountFromAccessToken, accountFromApiKey} from '../../mailchimp/account.js';
import type {AccountLimiters} from '../../mailchimp/account-limiters.js';
import {MailchimpClient} from '../../mailchimp/client.js';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {CallEvent} from '../../mailchimp/transport.js';
import type {Connection, ConnectionsRepository} from '../../store/connections-repository.js';
import type {Database} from '../../store/schema.js';
import type {LineItem, Product} from '../../model/entities.js';
import {extractCampaignId, type AttributionSource} from '../mappers/campaign-attribution.js';
import type {CatalogView} from '../mappers/placeholder-product.js';
import {ENTITY} from '../entity-types.js';
import {
  fallbackCurrencyNote,
  FALLBACK_CURRENCY,
  keptCurrencyNote,
  overridesShopCurrency,
  wantedStoreCurrency,
} from '../store-currency.js';
import {NotReadyYet} from '../sync-worker.js';
import {CustomerIdentities} from './customer-identity.js';

export interface SyncContextOptions {
  db: Kysely<Database>;
  connections: ConnectionsRepository;
  limiters: AccountLimiters;
  logger: Logger;
  timeoutMs?: number;
  retry?: ConstructorParameters<typeof MailchimpClient>[0]['retry'];
  onCall?: (event: CallEvent) => void;
  now?: () => Date;
  /** How long a campaign-existence answer is trusted. */
  campaignCacheMs?: number;
  /**
   * The shop's currency from the platform's API (Shopify Admin `shop { currencyCode }`); resolves undefined when the
   * connection has no API access. Asked once per process and connection, before the Mailchimp store is checked.
   */
  shopCurrencyLookup?: (connection: Connection) => Promise<string | undefined>;
  /** How long the store's creation waits for the shop's currency when nothing has said it yet (default 5 s). */
  shopCurrencyWaitMs?: number;
}

/** What a processor works with for one connection. */
export interface ConnectionTarget {
  connection: Connection;
  client: MailchimpClient;
  listId: string;
  storeId: string;
}

/**
 * Shared by the entity processors: one Mailchimp client per account (over the process-wide limiters), the store
 * created on first use, a view of which products Mailchimp holds, and a cache of campaign ids known to exist.
 */
export class SyncContext {
  private readonly clients = new Map<string, MailchimpClient>();
  /** The store's check per connection, for the currencies it was checked against (`STORE_CURRENCY/shop`). */
  private readonly storesReady = new Map<string, {key: string; ready: Promise<void>}>();
  /** The Admin API's answer per connection (a failure is asked again after a while). */
  private readonly shopLookups = new Map<string, {answer: Promise<string | undefined>; until: number}>();
  /** Since when a missing store has been waiting for the shop's currency (this process's clock), for which key. */
  private readonly currencyWaits = new Map<string, {since: number; key: string}>();
  private readonly campaigns = new Map<string, {exists: boolean; at: number}>();
  private readonly audienceCampaigns = new Map<string, {ids: Set<string>; at: number}>();
  /** Alias customer ids after e-mail changes; every write naming a customer goes through it. */
  readonly identities: CustomerIdentities;

  constructor(readonly options: SyncContextOptions) {
    this.identities = new CustomerIdentities(options.db, options.now ?? (() => new Date()));
  }

  async target(connectionId: string): Promise<ConnectionTarget> {
    const connection = await this.options.connections.byId(connectionId);
    if (!connection) throw new Error(`connection ${connectionId} no longer exists`);
    if (!connection.mailchimpListId)
      throw new Error(`connection ${connection.shopDomain} has no Mailchimp audience (MAILCHIMP_LIST_ID)`);
    const client = await this.clientFor(connection);
    return {connection, client, listId: connection.mailchimpListId, storeId: connection.mailchimpStoreId};
  }

  /**
   * The target of an e-commerce write: the connection's client, with its Mailchimp store created if missing (in the
   * shop's currency) and its currency checked. Throws NotReadyYet while a missing store waits for the shop's currency.
   */
  async storeTarget(connectionId: string): Promise<ConnectionTarget> {
    const target = await this.target(connectionId);
    const connection = await this.withShopCurrency(target.connection);
    const ready = {...target, connection};
    await this.ensureStore(ready);
    return ready;
  }

  /**
   * The connection with the shop's currency from the platform's API when it has one (asked once per process; the
   * answer is stored and replaces a currency learned from a payload). Without API access, or when the API fails, the
   * connection as stored.
   */
  async withShopCurrency(connection: Connection): Promise<Connection> {
    const lookup = this.options.shopCurrencyLookup;
    if (!lookup) return connection;
    let entry = this.shopLookups.get(connection.id);
    if (!entry || entry.until < Date.now()) {
      entry = {answer: this.lookUpShopCurrency(connection, lookup), until: Number.POSITIVE_INFINITY};
      this.shopLookups.set(connection.id, entry);
    }
    const shop = await entry.answer;
    if (!shop) return connection;
    return {
      ...connection,
      currency: {...connection.currency, shop, shopSource: 'admin_api'},
      settings: {...connection.settings, shopCurrency: shop},
    };
  }

  private async lookUpShopCurrency(
    connection: Connection,
    lookup: (connection: Connection) => Promise<string | undefined>,
  ): Promise<string | undefined> {
    try {
      const currency = (await lookup(connection))?.trim().toUpperCase();
      if (currency && /^[A-Z]{3}$/.test(currency)) {
        await this.options.connections.recordShopCurrency(connection.id, currency, 'admin_api', this.nowIso());
        return currency;
      }
      return undefined;
    } catch (err) {
      // The currency then comes from an order payload (or the wait's fallback); the API is asked again later.
      this.options.logger.warn(
        {err: err instanceof Error ? err.message : String(err), shop: connection.shopDomain},
        "the shop's currency could not be read from the Admin API",
      );
      const entry = this.shopLookups.get(connection.id);
      if (entry) entry.until = Date.now() + 60_000;
      return undefined;
    }
  }

  /**
   * What an order or cart needs before it is sent: whether every product its lines name has reached Mailchimp (a
   * product still on its way means "wait"), the catalog view for placeholders, and the campaign id from the
   * attribution, kept only when that campaign exists in the audience.
   */
  async prepareLines(
    target: ConnectionTarget,
    lines: readonly LineItem[],
    attribution: AttributionSource | undefined,
  ): Promise<{ready: false; pending: string[]} | {ready: true; catalog: CatalogView; campaignId?: string}> {
    const productIds = lines.map((l) => l.productId).filter((id): id is NonNullable<typeof id> => id !== null);
    const catalog = await this.catalog(target.connection.id, productIds);
    if (catalog.pending.size > 0) return {ready: false, pending: [...catalog.pending]};
    const candidate = attribution && extractCampaignId(attribution);
    const campaignId = candidate && (await this.campaignExists(target, candidate)) ? candidate : undefined;
    return {ready: true, catalog, campaignId};
  }

  async clientFor(connection: Connection): Promise<MailchimpClient> {
    let client = this.clients.get(connection.id);
    if (!client) {
      const credentials = await this.options.connections.mailchimpCredentials(connection.id);
      const account =
        credentials.kind === 'api_key'
          ? accountFromApiKey(credentials.apiKey, {baseUrl: credentials.baseUrl})
          : accountFromAccessToken(credentials.accessToken, credentials.dc, {baseUrl: credentials.baseUrl});
      client = new MailchimpClient({
        account,
        limiters: this.options.limiters,
        timeoutMs: this.options.timeoutMs,
        retry: this.options.retry,
        logger: this.options.logger.child({module: 'mailchimp'}),
        onCall: this.options.onCall,
      });
      this.clients.set(connection.id, client);
    }
    return client;
  }

  /**
   * The Mailchimp store exists before anything e-commerce is sent, in the right currency. Its id is the connection's
   * stable id; it is created with `is_syncing: false` (the backfill turns it on for its run, so live automations work
   * otherwise). The check runs once per process and connection, and again whenever STORE_CURRENCY or the shop's
   * currency changes (an order stated it, the Admin API answered).
   *
   * Which currency a new store gets, given that it is created lazily by the first sync of any entity (a product or a
   * customer may well come before the first order): STORE_CURRENCY when set; else the shop's currency, from the
   * Admin API when the connection has a token (asked first, so a product webhook or the backfill gets it at once),
   * else from the first order (or generic-ingest product) payload, recorded by the inbox processor in the same
   * transaction that projects it, so an order's currency is known before the order can be sent. When nothing has
   * said it yet, creation waits up to SHOP_CURRENCY_WAIT_SECONDS (the records wait, nothing fails) for an order to
   * arrive, then creates the store in USD; the first order then corrects it, because a store with the wrong
   * currency is PATCHed while it holds no orders. A store that already holds orders keeps its currency (the status
   * says so).
   */
  async ensureStore(target: ConnectionTarget): Promise<void> {
    const {id, currency} = target.connection;
    const key = `${currency.configured ?? ''}/${currency.shop ?? ''}`;
    let entry = this.storesReady.get(id);
    if (!entry || entry.key !== key) {
      // A missing store waiting for the shop's currency is not looked up again for every record meanwhile.
      const waiting = this.currencyWaits.get(id);
      if (waiting?.key === key) this.throwWhileWaiting(waiting.since);
      const ready = this.reconcileStore(target, key);
      const created = {key, ready};
      entry = created;
      this.storesReady.set(id, created);
      ready.catch(() => {
        if (this.storesReady.get(id) === created) this.storesReady.delete(id);
      });
    }
    await entry.ready;
  }

  private async reconcileStore(target: ConnectionTarget, key: string): Promise<void> {
    const {client, connection} = target;
    const log = this.options.logger.child({shop: connection.shopDomain, storeId: target.storeId});
    const wanted = wantedStoreCurrency(connection.currency);
    const store = await client.stores.get(target.storeId, {fields: ['id', 'currency_code']});
    if (!store) {
      let currency = wanted;
      let note: string | null = null;
      if (!currency) {
        const waitedMs = this.waitForShopCurrency(connection.id, key);
        currency = FALLBACK_CURRENCY;
        note = fallbackCurrencyNote(currency, Math.round(waitedMs / 1000));
        log.warn(
          {currency},
          "creating the Mailchimp store without knowing the shop's currency; the first order corrects it",
        );
      }
      await this.createStore(target, {currency, name: connection.settings.storeName});
      this.currencyWaits.delete(connection.id);
      await this.options.connections.recordStoreCurrency(connection.id, currency, note, this.nowIso());
    } else {
      this.currencyWaits.delete(connection.id);
      let current = store.currency_code;
      let note: string | null = null;
      if (wanted && current !== wanted) {
        // Mailchimp accepts a new currency_code at any time but never converts amounts: orders already in the store
        // keep the currency they were sent with. Corrected only while there are none.
        const orders = await client.orders.count(target.storeId);
        if (orders === 0) {
          await client.stores.update(target.storeId, {currency_code: wanted});
          log.info(
            {from: current, to: wanted},
            "the Mailchimp store had no orders yet: its currency is now the shop's",
          );
          current = wanted;
        } else {
          note = keptCurrencyNote(current, wanted, orders);
          log.warn({mailchimp: current, wanted, orders}, note);
        }
      }
      await this.options.connections.recordStoreCurrency(connection.id, current, note, this.nowIso());
    }
    if (overridesShopCurrency(connection.currency)) {
      const {configured, shop} = connection.currency;
      if (await this.options.connections.claimCurrencyWarning(connection.id, `${configured}/${shop}`)) {
        log.warn(
          {configured, shop},
          `STORE_CURRENCY=${configured} differs from the shop's currency ${shop}: the Mailchimp store uses ${configured}, the shop's amounts are ${shop}`,
        );
      }
    }
  }

  /** Throws NotReadyYet while a missing store may still learn the shop's currency; returns how long it waited. */
  private waitForShopCurrency(connectionId: string, key: string): number {
    const since = this.currencyWaits.get(connectionId)?.since ?? Date.now();
    this.currencyWaits.set(connectionId, {since, key});
    this.throwWhileWaiting(since);
    return Date.now() - since;
  }

  private throwWhileWaiting(since: number): void {
    const left = since + (this.options.shopCurrencyWaitMs ?? 5_000) - Date.now();
    if (left > 0)
      throw new NotReadyYet(
        "the Mailchimp store waits for the shop's currency (an order, or the Admin API)",
        Math.max(20, Math.min(2_000, left)),
      );
  }

  private async createStore(target: ConnectionTarget, settings: {currency: string; name?: string}): Promise<void> {
    const {client, connection} = target;
    const body = {
      id: target.storeId,
      list_id: target.listId,
      name: settings.name ?? connection.shopDomain,
      currency_code: settings.currency,
      platform: connection.platform === 'shopify' ? 'Shopify' : 'Custom',
      domain: connection.shopDomain,
      is_syncing: false,
    };
    // Another process of the connector may create the same store at the same moment: the id is the connection's
    // own, so "already exists" means the store is there.
    const create = (input: typeof body | Omit<typeof body, 'domain'>): Promise<unknown> =>
      client.stores.create(input).catch((err: unknown) => {
        if (!isMailchimpError(err, 'already_exists')) throw err;
      });
    try {
      await create(body);
    } catch (err) {
      // Another store of the account already uses the domain (Mailchimp wants it unique): the domain is optional.
      if (!isMailchimpError(err, 'store_domain_taken')) throw err;
      const {domain: _domain, ...withoutDomain} = body;
      await create(withoutDomain);
    }
    await this.options.connections.markStoreCreated(connection.id, target.listId, this.nowIso());
  }

  private nowIso(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  /**
   * The e-mail addresses the connector knows for these platform customer ids (an order or cart may name a customer by
   * id only; Mailchimp needs the address to create the customer, so a customer with none cannot hold orders there).
   */
  async emailsOfCustomers(connectionId: string, customerIds: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(customerIds)];
    if (unique.length === 0) return new Map();
    const rows = await this.options.db
      .selectFrom('people')
      .select(['customer_id', 'email'])
      .where('connection_id', '=', connectionId)
      .where('customer_id', 'in', unique)
      .execute();
    return new Map(rows.filter((r) => r.customer_id !== null).map((r) => [r.customer_id!, r.email]));
  }

  /** Forget the store (it was deleted, e.g. by shop/redact). */
  forgetStore(connectionId: string): void {
    this.storesReady.delete(connectionId);
  }

  /** Which product variants Mailchimp holds, from the sync state (no Mailchimp call). */
  async catalog(connectionId: string, productIds: string[]): Promise<CatalogView & {pending: Set<string>}> {
    const unique = [...new Set(productIds)];
    const rows = unique.length
      ? await this.options.db
          .selectFrom('sync_state')
          .select(['entity_id', 'status', 'synced_desired'])
          .where('connection_id', '=', connectionId)
          .where('entity_type', '=', ENTITY.product)
          .where('entity_id', 'in', unique)
          .execute()
      : [];
    const variants = new Map<string, Set<string>>();
    const pending = new Set<string>();
    for (const row of rows) {
      if (row.synced_desired) {
        const product = JSON.parse(row.synced_desired) as Product | {deleted: true};
        if (!('deleted' in product)) variants.set(row.entity_id, new Set(product.variants.map((v) => v.id)));
      }
      if ((row.status === 'pending' || row.status === 'retry') && !row.synced_desired) pending.add(row.entity_id);
    }
    return {
      pending,
      hasVariant: (productId, variantId) => variants.get(productId)?.has(variantId) ?? false,
    };
  }

  /** Does this campaign exist in the connection's audience? Cached; an unknown id is never an error. */
  async campaignExists(target: ConnectionTarget, campaignId: string): Promise<boolean> {
    const key = `${target.connection.id}:${campaignId}`;
    const now = Date.now();
    const cached = this.campaigns.get(key);
    if (cached && now - cached.at < (this.options.campaignCacheMs ?? 10 * 60_000)) return cached.exists;
    let exists: boolean;
    try {
      const campaign = await target.client.campaigns.get(campaignId, {fields: ['id', 'recipients.list_id']});
      exists = campaign !== null && campaign.recipients?.list_id === target.listId;
    } catch (err) {
      // Attribution must never block an order: treat a failed look-up as "unknown", briefly.
      this.options.logger.warn(
        {err: isMailchimpError(err) ? err.toJSON() : String(err), campaignId},
        'campaign look-up failed',
      );
      return false;
    }
    this.campaigns.set(key, {exists, at: now});
    return exists;
  }

  /**
   * Every campaign id of the connection's audience, read a page of 1,000 at a time and kept for the campaign cache
   * time: the backfill checks the attribution of thousands of orders against it instead of one GET per campaign id
   * (generated or stale mc_cid values are mostly distinct).
   */
  async audienceCampaignIds(target: ConnectionTarget): Promise<Set<string>> {
    const cached = this.audienceCampaigns.get(target.connection.id);
    if (cached && Date.now() - cached.at < (this.options.campaignCacheMs ?? 10 * 60_000)) return cached.ids;
    const ids = new Set<string>();
    for await (const campaign of target.client.campaigns.list(
      {list_id: target.listId},
      {pageSize: 1000, select: {fields: ['campaigns.id', 'total_items']}},
    ))
      ids.add(campaign.id);
    this.audienceCampaigns.set(target.connection.id, {ids, at: Date.now()});
    return ids;
  }

  markCampaignMissing(target: ConnectionTarget, campaignId: string): void {
    this.campaigns.set(`${target.connection.id}:${campaignId}`, {exists: false, at: Date.now()});
  }
}
