import type {Logger} from '../logging/logger.js';
import {ShopifyAdminClient, type AccessTokenProvider} from '../shopify-admin/admin-client.js';
import {CUSTOMERS_PAGE, type CustomerNode} from '../shopify-admin/documents/customer-documents.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';

/** Where the clients get each connection's current access token (install/shopify-tokens.ts). */
export interface AccessTokenSource {
  providerFor(connectionId: string): AccessTokenProvider;
}

/**
 * The Shopify Admin API client of each Shopify connection (its optional admin URL). A client asks for the current
 * access token on each request (refreshed before expiry and after a 401), so a cached client never holds a stale
 * token; a connection without a token (not installed yet, uninstalled) gets no client, and that is not cached.
 */
export class ShopifyAdminAccess {
  private readonly clients = new Map<string, ShopifyAdminClient>();

  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly logger: Logger,
    private readonly tokens: AccessTokenSource,
  ) {}

  /** The connection's client, kept for reuse (write-back, the currency lookup, webhook subscriptions, the shop's page). */
  async clientFor(connectionId: string): Promise<ShopifyAdminClient | undefined> {
    const found = await this.found(connectionId);
    if (!found) return undefined;
    let client = this.clients.get(found.key);
    if (!client) {
      client = this.build(found);
      this.clients.set(found.key, client);
    }
    return client;
  }

  /** A client of its own (its cost tracker and stats start empty), e.g. for one backfill run. */
  async newClientFor(connectionId: string, logger = this.logger): Promise<ShopifyAdminClient | undefined> {
    const found = await this.found(connectionId);
    return found && this.build(found, logger);
  }

  private async found(connectionId: string) {
    const connection = await this.connections.byId(connectionId);
    if (connection?.platform !== 'shopify') return undefined;
    const credentials = await this.connections.shopifyCredentials(connectionId);
    if (!credentials?.accessToken) return undefined;
    return {
      connectionId,
      shopDomain: connection.shopDomain,
      adminUrl: credentials.adminUrl,
      key: `${connectionId} ${credentials.adminUrl ?? ''}`,
    };
  }

  private build(
    found: {connectionId: string; shopDomain: string; adminUrl?: string},
    logger = this.logger,
  ): ShopifyAdminClient {
    return new ShopifyAdminClient({
      shopDomain: found.shopDomain,
      accessToken: this.tokens.providerFor(found.connectionId),
      adminUrl: found.adminUrl,
      logger,
    });
  }
}

const gidOf = (customerId: string) =>
  customerId.startsWith('gid://') ? customerId : `gid://shopify/Customer/${customerId}`;
/** Shopify search syntax: a quoted value, with quotes and backslashes escaped. */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * The Shopify customer a write-back is for: by id when the connector knows it, else by address. Guests have
 * customer records in Shopify too (checkout creates one per address), but the connector may know them only by
 * the address an order carried.
 */
export async function findShopifyCustomer(
  client: ShopifyAdminClient,
  who: {customerId?: string; email: string},
): Promise<CustomerNode | undefined> {
  const search = who.customerId ? `id:${gidOf(who.customerId).split('/').pop()!}` : `email:${quoted(who.email)}`;
  const page = await client.query(CUSTOMERS_PAGE, {first: 5, query: search});
  const nodes = page.customers.nodes;
  if (who.customerId) return nodes.find((n) => n.id === gidOf(who.customerId!));
  return nodes.find((n) => n.email?.toLowerCase() === who.email.toLowerCase());
}
