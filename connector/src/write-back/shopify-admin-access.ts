import type {Logger} from '../logging/logger.js';
import {ShopifyAdminClient} from '../shopify-admin/admin-client.js';
import {CUSTOMERS_PAGE, type CustomerNode} from '../shopify-admin/documents/customer-documents.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';

/** The Shopify Admin API client of each Shopify connection (its sealed access token and optional admin URL). */
export class ShopifyAdminAccess {
  private readonly clients = new Map<string, ShopifyAdminClient | null>();

  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly logger: Logger,
  ) {}

  async clientFor(connectionId: string): Promise<ShopifyAdminClient | undefined> {
    if (this.clients.has(connectionId)) return this.clients.get(connectionId) ?? undefined;
    const connection = await this.connections.byId(connectionId);
    const credentials =
      connection?.platform === 'shopify' ? await this.connections.shopifyCredentials(connectionId) : undefined;
    const client =
      connection && credentials?.accessToken
        ? new ShopifyAdminClient({
            shopDomain: connection.shopDomain,
            accessToken: credentials.accessToken,
            adminUrl: credentials.adminUrl,
            logger: this.logger,
          })
        : null;
    this.clients.set(connectionId, client);
    return client ?? undefined;
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
