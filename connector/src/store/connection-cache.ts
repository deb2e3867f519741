import {hashToken, type Connection, type ConnectionsRepository, type WebhookShop} from './connections-repository.js';

/**
 * How long a cached connection is used before it is read again: the bound within which a change made by another
 * process (a rotated app secret or ingest token, an uninstall, a removed row) is honoured here.
 */
export const CONNECTION_CACHE_TTL_MS = 1_000;

/** Distinct shops and tokens kept at once; the oldest goes first beyond it. */
export const CONNECTION_CACHE_MAX_ENTRIES = 10_000;

/** What the ingest paths look a connection up by (ConnectionsRepository reads the database every time). */
export type IngestConnections = Pick<ConnectionsRepository, 'webhookShop' | 'byShopDomain' | 'byIngestToken'>;

interface Entry<T> {
  value: T;
  /** The Shopify credentials as stored (sealed), for shop entries: unchanged means the opened secret still holds. */
  sealed?: string | null;
  loadedAt: number;
  generation: number;
}

export interface ConnectionCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** Monotonic milliseconds (tests); never the connector's business clock, which tests may freeze. */
  clock?: () => number;
}

/**
 * The connections the request paths need (Shopify webhooks, the generic ingest, the storefront), kept in memory so
 * that a request neither reads the connections table nor opens a sealed secret (AES-GCM) every time.
 *
 * Invalidation:
 * - in this process, at once: every write through the ConnectionsRepository this cache is built over calls
 *   onChange, which drops every entry (writes are rare: installs, reconnects, token refreshes); a read that was in
 *   flight across the change is not kept (generation check);
 * - across processes, by time: an entry older than CONNECTION_CACHE_TTL_MS (1 s) is read again before it is used,
 *   one indexed single-row read per shop or token per second however many requests arrive; the secret is opened
 *   again only when its sealed value changed (every write seals afresh). A secret rotated, a token replaced or a row
 *   removed by another process is therefore honoured within 1 s. The time-based check was chosen over a change
 *   column or a Redis message because it needs nothing from the writers (the projection's own transaction writes
 *   `status` directly) and works the same on SQLite and Postgres.
 * Unknown shops and tokens are not cached: they are read every time, as before, so an install is seen at once.
 */
export class ConnectionCache implements IngestConnections {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private generation = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(
    private readonly connections: ConnectionsRepository,
    options: ConnectionCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? CONNECTION_CACHE_TTL_MS;
    this.maxEntries = options.maxEntries ?? CONNECTION_CACHE_MAX_ENTRIES;
    this.clock = options.clock ?? (() => performance.now());
    connections.onChange(() => this.invalidate());
  }

  /** Drops everything (a connection changed in this process). */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }

  async webhookShop(shopDomain: string): Promise<WebhookShop | undefined> {
    return this.cached(`shop:${shopDomain}`, async (previous: Entry<WebhookShop> | undefined) => {
      const found = await this.connections.sealedByShopDomain(shopDomain);
      if (!found) return undefined;
      const secret =
        previous && previous.sealed === found.sealedShopify
          ? previous.value.secret
          : this.connections.openShopify(found.sealedShopify)?.apiSecret;
      return {value: {connection: found.connection, secret}, sealed: found.sealedShopify};
    });
  }

  async byShopDomain(shopDomain: string): Promise<Connection | undefined> {
    return (await this.webhookShop(shopDomain))?.connection;
  }

  async byIngestToken(token: string): Promise<Connection | undefined> {
    return this.cached(`token:${hashToken(token)}`, async () => {
      const connection = await this.connections.byIngestToken(token);
      return connection && {value: connection};
    });
  }

  private async cached<T>(
    key: string,
    load: (previous: Entry<T> | undefined) => Promise<{value: T; sealed?: string | null} | undefined>,
  ): Promise<T | undefined> {
    const entry = this.entries.get(key) as Entry<T> | undefined;
    if (entry && entry.generation === this.generation && this.clock() - entry.loadedAt < this.ttlMs) return entry.value;
    // One read for every request waiting on the same key.
    let pending = this.loading.get(key) as Promise<T | undefined> | undefined;
    if (!pending) {
      const generation = this.generation;
      const startedAt = this.clock();
      pending = load(entry?.generation === generation ? entry : undefined).then(
        (loaded) => {
          if (this.loading.get(key) === pending) this.loading.delete(key);
          // A connection changed here while this read was in flight: answer with it, keep nothing.
          if (generation !== this.generation) return loaded?.value;
          this.entries.delete(key);
          if (loaded) {
            this.entries.set(key, {...loaded, loadedAt: startedAt, generation});
            if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
          }
          return loaded?.value;
        },
        (err: unknown) => {
          if (this.loading.get(key) === pending) this.loading.delete(key);
          throw err;
        },
      );
      this.loading.set(key, pending);
    }
    return pending;
  }
}
