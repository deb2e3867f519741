import type {Request} from 'express';
import type {Connection, ConnectionsRepository} from '../store/connections-repository.js';

/**
 * Which web pages may call the storefront endpoints for a shop (CORS). Per connection:
 * - the origins in its settings (`STOREFRONT_ORIGINS` for the environment-configured shop);
 * - a Shopify shop's own `https://<shop>.myshopify.com` (a custom domain must be listed);
 * - in demo mode, the connector's own origin for the demo shop (its `/demo` page).
 * Nothing else: a request from any other origin, or without an Origin header, is refused and nothing is stored.
 */
export interface OriginPolicyOptions {
  connections: ConnectionsRepository;
  /** Demo mode: the shop whose pages the connector serves itself at `/demo`. */
  demoShop?: string;
}

export function configuredOrigins(connection: Connection): string[] {
  const origins = [...(connection.settings.storefrontOrigins ?? [])];
  if (connection.platform === 'shopify') origins.push(`https://${connection.shopDomain}`);
  return origins.map((o) => o.toLowerCase());
}

/** The origin the request was addressed to (what a page served by the connector itself has as its origin). */
export function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`.toLowerCase();
}

export class OriginPolicy {
  constructor(private readonly options: OriginPolicyOptions) {}

  /** May a page at `origin` call the storefront endpoints for this connection? */
  allows(connection: Connection, origin: string, req: Request): boolean {
    if (connection.status !== 'active') return false;
    const wanted = origin.toLowerCase();
    if (configuredOrigins(connection).includes(wanted)) return true;
    return this.options.demoShop === connection.shopDomain && wanted === ownOrigin(req);
  }

  /**
   * For a preflight, which names no shop (a preflight has no body): is the origin allowed for any shop? The actual
   * request is checked again against its own shop, so a page of shop A can never record consent for shop B.
   */
  async allowsAny(origin: string, req: Request): Promise<boolean> {
    const all = await this.options.connections.all();
    return all.some((connection) => this.allows(connection, origin, req));
  }
}
