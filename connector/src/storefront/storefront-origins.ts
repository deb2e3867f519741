import type {Request} from 'express';
import {connectionChanges, type Connection, type ConnectionsRepository} from '../store/connections-repository.js';

/**
 * Which web pages may call the storefront endpoints for a shop (CORS). Per connection:
 * - the origins in its settings (`STOREFRONT_ORIGINS` for the environment-configured shop);
 * - a Shopify shop's own `https://<shop>.myshopify.com` (a custom domain must be listed);
 * - in demo mode, the connector's own origin for the demo shop (its `/demo` page).
 * Nothing else: a request from any other origin, or without an Origin header, is refused and nothing is stored.
 *
 * `Origin` is a browser's promise, not a proof: a script sends whatever it likes. The check keeps other sites' pages
 * from using a visitor's browser; what a request may cause is bounded elsewhere (the checkbox needs a signed order,
 * the form a confirmation e-mail, see README "Security model").
 */
export interface OriginPolicyOptions {
  connections: ConnectionsRepository;
  /** Demo mode: the shop whose pages the connector serves itself at `/demo`. */
  demoShop?: string;
  now?: () => Date;
  /** How long the set of origins any shop allows is kept (default ORIGIN_CACHE_TTL_MS). */
  ttlMs?: number;
}

/**
 * The pre-check (preflights, and every POST before its body is read) answers from this cache instead of reading
 * every connection per request. A connection changed through this process invalidates it at once
 * (connectionChanges); one changed by another process is seen after this long.
 */
export const ORIGIN_CACHE_TTL_MS = 30_000;

export function configuredOrigins(connection: Connection): string[] {
  const origins = [...(connection.settings.storefrontOrigins ?? [])];
  if (connection.platform === 'shopify') origins.push(`https://${connection.shopDomain}`);
  return origins.map((o) => o.toLowerCase());
}

/** The origin the request was addressed to (what a page served by the connector itself has as its origin). */
export function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`.toLowerCase();
}

interface AllowedOrigins {
  loadedAt: number;
  generation: number;
  origins: ReadonlySet<string>;
  /** The demo shop is connected and active: the connector's own origin is allowed (for it). */
  demoActive: boolean;
}

export class OriginPolicy {
  private cache: AllowedOrigins | undefined;
  private loading: Promise<AllowedOrigins> | undefined;

  constructor(private readonly options: OriginPolicyOptions) {}

  /** May a page at `origin` call the storefront endpoints for this connection? (The connection is read fresh.) */
  allows(connection: Connection, origin: string, req: Request): boolean {
    if (connection.status !== 'active') return false;
    const wanted = origin.toLowerCase();
    if (configuredOrigins(connection).includes(wanted)) return true;
    return this.options.demoShop === connection.shopDomain && wanted === ownOrigin(req);
  }

  /**
   * The pre-check, before the shop is known (a preflight has no body): is the origin allowed for any active shop?
   * The actual request is checked again against its own shop, so a page of shop A can never record consent for shop
   * B. Answered from the cache.
   */
  async allowsAny(origin: string, req: Request): Promise<boolean> {
    const wanted = origin.toLowerCase();
    const allowed = await this.allowed();
    if (allowed.origins.has(wanted)) return true;
    return allowed.demoActive && wanted === ownOrigin(req);
  }

  private async allowed(): Promise<AllowedOrigins> {
    const now = (this.options.now?.() ?? new Date()).getTime();
    const cached = this.cache;
    if (
      cached &&
      cached.generation === connectionChanges() &&
      now - cached.loadedAt < (this.options.ttlMs ?? ORIGIN_CACHE_TTL_MS)
    )
      return cached;
    // One read for all the requests waiting on it.
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(now: number): Promise<AllowedOrigins> {
    const generation = connectionChanges();
    const active = (await this.options.connections.all()).filter((c) => c.status === 'active');
    const loaded = {
      loadedAt: now,
      generation,
      origins: new Set(active.flatMap(configuredOrigins)),
      demoActive: this.options.demoShop !== undefined && active.some((c) => c.shopDomain === this.options.demoShop),
    };
    this.cache = loaded;
    return loaded;
  }
}
