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
  private readonly storesReady = new Map<string, Promise<void>>();
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
    if (!connection.mailchimpListId) throw new Error(`connection ${connection.shopDomain} has no Mailchimp audience (MAILCHIMP_LIST_ID)`);
    const client = await this.clientFor(connection);
    return {connection, client, listId: connection.mailchimpListId, storeId: connection.mailchimpStoreId};
  }

  /** The target of an e-commerce write: the connection's client, with its Mailchimp store created if missing. */
  async storeTarget(connectionId: string): Promise<ConnectionTarget> {
    const target = await this.target(connectionId);
    await this.ensureStore(target);
    return target;
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
   * The Mailchimp store exists before anything e-commerce is sent. Its id is the connection's stable id; it is
   * created with `is_syncing: false` (the backfill turns it on for its run, so live automations work otherwise).
   */
  async ensureStore(target: ConnectionTarget): Promise<void> {
    let ready = this.storesReady.get(target.connection.id);
    if (!ready) {
      ready = this.createStoreIfMissing(target, {currency: target.connection.settings.currency ?? 'USD', name: target.connection.settings.storeName});
      this.storesReady.set(target.connection.id, ready);
      ready.catch(() => this.storesReady.delete(target.connection.id));
    }
    await ready;
  }

  private async createStoreIfMissing(target: ConnectionTarget, settings: {currency: string; name?: string}): Promise<void> {
    const {client, connection} = target;
    if (await client.stores.get(target.storeId, {fields: ['id']})) return;
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
    await this.options.connections.markStoreCreated(connection.id, target.listId, (this.options.now?.() ?? new Date()).toISOString());
  }

  /**
   * The e-mail addresses the connector knows for these platform customer ids (an order or cart may name a customer by
   * id only; Mailchimp needs the address to create the customer, so a customer with none cannot hold orders there).
   */
  async emailsOfCustomers(connectionId: string, customerIds: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(customerIds)];
    if (unique.length === 0) return new Map();
    const rows = await this.options.db.selectFrom('people').select(['customer_id', 'email']).where('connection_id', '=', connectionId).where('customer_id', 'in', unique).execute();
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
      this.options.logger.warn({err: isMailchimpError(err) ? err.toJSON() : String(err), campaignId}, 'campaign look-up failed');
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
    for await (const campaign of target.client.campaigns.list({list_id: target.listId}, {pageSize: 1000, select: {fields: ['campaigns.id', 'total_items']}})) ids.add(campaign.id);
    this.audienceCampaigns.set(target.connection.id, {ids, at: Date.now()});
    return ids;
  }

  markCampaignMissing(target: ConnectionTarget, campaignId: string): void {
    this.campaigns.set(`${target.connection.id}:${campaignId}`, {exists: false, at: Date.now()});
  }
}
