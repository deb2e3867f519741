import type {Kysely} from 'kysely';
import type {Logger} from '../../logging/logger.js';
import type {AccountLimiters} from '../../mailchimp/account-limiters.js';
import type {MailchimpClient} from '../../mailchimp/client.js';
import type {CallEvent} from '../../mailchimp/transport.js';
import type {Connection, ConnectionsRepository} from '../../store/connections-repository.js';
import type {Database} from '../../store/schema.js';
import {CampaignCache} from './campaign-cache.js';
import {ClientRegistry, type ConnectionTarget, type CredentialsRefusal} from './client-registry.js';
import {CustomerEmails} from './customer-emails.js';
import {CustomerIdentities} from './customer-identity.js';
import {LineReadiness} from './line-readiness.js';
import {ProductCatalog} from './product-catalog.js';
import {StoreReadiness} from './store-readiness.js';

export type {ConnectionTarget, CredentialsRefusal} from './client-registry.js';

export interface SyncContextOptions {
  db: Kysely<Database>;
  connections: ConnectionsRepository;
  limiters: AccountLimiters;
  logger: Logger;
  timeoutMs?: number;
  retry?: ConstructorParameters<typeof MailchimpClient>[0]['retry'];
  onCall?: (event: CallEvent) => void;
  /** Mailchimp answered 401 for a connection's credentials (client-registry.ts): mark it reconnect needed. */
  onCredentialsRefused?: (refusal: CredentialsRefusal) => Promise<void>;
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

/**
 * The sync's shared services, built once per process: each has one job, and each processor is given only the ones
 * it uses (processors/index.ts). The delegating methods serve the backfill and the campaign and segment use-cases.
 */
export class SyncContext {
  /** One Mailchimp client per account; a connection's target. */
  readonly clients: ClientRegistry;
  /** The Mailchimp store created on first use and in the right currency. */
  readonly stores: StoreReadiness;
  /** Which products Mailchimp holds (sent) and the products' desired state. */
  readonly products: ProductCatalog;
  /** Campaign ids known to exist in an audience. */
  readonly campaigns: CampaignCache;
  /** E-mail addresses by platform customer id. */
  readonly emails: CustomerEmails;
  /** Whether an order's or cart's lines may be sent, and its campaign attribution. */
  readonly lines: LineReadiness;
  /** Alias customer ids after e-mail changes; every write naming a customer goes through it. */
  readonly identities: CustomerIdentities;
  readonly now: () => Date;

  constructor(readonly options: SyncContextOptions) {
    this.now = options.now ?? (() => new Date());
    this.clients = new ClientRegistry(options);
    this.stores = new StoreReadiness({...options, targets: this.clients});
    this.products = new ProductCatalog(options.db);
    this.campaigns = new CampaignCache(options);
    this.emails = new CustomerEmails(options.db);
    this.lines = new LineReadiness(this.products, this.campaigns);
    this.identities = new CustomerIdentities(options.db, this.now);
  }

  target(connectionId: string): Promise<ConnectionTarget> {
    return this.clients.target(connectionId);
  }

  storeTarget(connectionId: string): Promise<ConnectionTarget> {
    return this.stores.storeTarget(connectionId);
  }

  withShopCurrency(connection: Connection): Promise<Connection> {
    return this.stores.withShopCurrency(connection);
  }

  clientFor(connection: Connection): Promise<MailchimpClient> {
    return this.clients.clientFor(connection);
  }

  catalog(connectionId: string, productIds: string[]): ReturnType<ProductCatalog['catalog']> {
    return this.products.catalog(connectionId, productIds);
  }

  emailsOfCustomers(connectionId: string, customerIds: string[]): Promise<Map<string, string>> {
    return this.emails.emailsOfCustomers(connectionId, customerIds);
  }

  audienceCampaignIds(target: ConnectionTarget): Promise<Set<string>> {
    return this.campaigns.audienceCampaignIds(target);
  }
}
