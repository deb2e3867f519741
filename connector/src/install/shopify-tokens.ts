import {HttpResponseError, type Shopify} from '@shopify/shopify-api';
import type {Logger} from '../logging/logger.js';
import type {AccessTokenProvider} from '../shopify-admin/admin-client.js';
import {ShopifyAuthError} from '../shopify-admin/admin-errors.js';
import type {ConnectionsRepository, ShopifyCredentials} from '../store/connections-repository.js';

/** A token that expires within this margin is refreshed before use. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface ShopifyTokensOptions {
  connections: ConnectionsRepository;
  /** The app's shopify-api instance (undefined without SHOPIFY_API_KEY / SHOPIFY_API_SECRET: nothing refreshes). */
  app: () => Shopify | undefined;
  /** Points shopify-api's token request at the shop's stand-in, if any (shopify-app.ts routeShop). */
  routeShop: (shop: string) => void;
  now: () => Date;
  logger: Logger;
  /** How long a refresh claim lasts (default 30 s): a process that died while refreshing holds it no longer. */
  leaseMs?: number;
  /** How often a process waiting for another's refresh looks at the stored credentials (default 200 ms). */
  pollMs?: number;
}

/**
 * The Admin API access token of each Shopify connection, refreshed when it expires within 5 minutes or after a 401.
 *
 * Expiring offline tokens (60 minutes) come with a refresh token that every refresh rotates, so two processes
 * refreshing at once would each burn the other's refresh token. A refresh is therefore serialised across processes
 * by a lease on the connection row (claimShopifyRefresh, ~30 s): the winner asks Shopify
 * (shopify.auth.refreshToken), stores the new access token and the rotated refresh token in one write, and
 * releases; the others poll the stored credentials until they change (or the lease lapses: then one of them claims
 * it) and use the result. Within one process, concurrent callers share one in-flight refresh. Tokens without expiry
 * (SHOPIFY_ACCESS_TOKEN, custom apps) are used as they are. Tokens are never logged.
 */
export class ShopifyTokens {
  private readonly inflight = new Map<string, Promise<string | undefined>>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  /** Refresh grants this process made (tests, metrics). */
  refreshes = 0;

  constructor(private readonly options: ShopifyTokensOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 200;
  }

  /** A provider for one connection's Admin API client. */
  providerFor(connectionId: string): AccessTokenProvider {
    return {
      current: async () => {
        const token = await this.accessToken(connectionId);
        if (!token) throw new ShopifyAuthError(401);
        return token;
      },
      afterUnauthorized: (rejected) => this.afterUnauthorized(connectionId, rejected),
    };
  }

  /** The connection's usable access token (refreshed first when it expires soon); undefined without one. */
  async accessToken(connectionId: string): Promise<string | undefined> {
    const credentials = await this.options.connections.shopifyCredentials(connectionId);
    if (!credentials?.accessToken) return undefined;
    if (!this.needsRefresh(credentials)) return credentials.accessToken;
    return this.refresh(connectionId);
  }

  /**
   * Shopify refused `rejected`: the token to retry with. Another process may have refreshed already (the stored
   * token differs: that one); otherwise one refresh. undefined when there is nothing to refresh with.
   */
  async afterUnauthorized(connectionId: string, rejected: string): Promise<string | undefined> {
    const credentials = await this.options.connections.shopifyCredentials(connectionId);
    if (!credentials?.accessToken) return undefined;
    if (credentials.accessToken !== rejected && !this.needsRefresh(credentials)) return credentials.accessToken;
    if (!credentials.refreshToken) return undefined;
    return this.refresh(connectionId, rejected);
  }

  private needsRefresh(credentials: ShopifyCredentials, rejected?: string): boolean {
    if (!credentials.refreshToken) return false;
    if (rejected !== undefined && credentials.accessToken === rejected) return true;
    if (!credentials.accessTokenExpiresAt) return false;
    return Date.parse(credentials.accessTokenExpiresAt) - this.options.now().getTime() < REFRESH_MARGIN_MS;
  }

  private refresh(connectionId: string, rejected?: string): Promise<string | undefined> {
    const running = this.inflight.get(connectionId);
    if (running) return running;
    const promise = this.refreshAcrossProcesses(connectionId, rejected).finally(() =>
      this.inflight.delete(connectionId),
    );
    this.inflight.set(connectionId, promise);
    return promise;
  }

  private async refreshAcrossProcesses(
    connectionId: string,
    rejected: string | undefined,
  ): Promise<string | undefined> {
    const {connections, now} = this.options;
    // Long enough for a lapsed lease to be claimed by this process (a holder that died) and the refresh to finish.
    const deadline = Date.now() + 2 * this.leaseMs + 10_000;
    for (;;) {
      const credentials = await connections.shopifyCredentials(connectionId);
      if (!credentials?.accessToken) return undefined;
      if (!this.needsRefresh(credentials, rejected)) return credentials.accessToken;
      const at = now();
      const claimed = await connections.claimShopifyRefresh(
        connectionId,
        new Date(at.getTime() + this.leaseMs).toISOString(),
        at.toISOString(),
      );
      if (claimed) {
        try {
          // Read again under the lease: another process may have finished its refresh just before we claimed.
          const latest = await connections.shopifyCredentials(connectionId);
          if (!latest?.accessToken) return undefined;
          if (!this.needsRefresh(latest, rejected)) return latest.accessToken;
          return await this.grant(connectionId, latest);
        } finally {
          await connections.releaseShopifyRefresh(connectionId);
        }
      }
      if (Date.now() > deadline) throw new Error(`Shopify token refresh of connection ${connectionId} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  /** One refresh grant: the new access token and the rotated refresh token stored together. */
  private async grant(connectionId: string, credentials: ShopifyCredentials): Promise<string> {
    const app = this.options.app();
    const connection = await this.options.connections.byId(connectionId);
    if (!app || !connection || !credentials.refreshToken)
      throw new Error(`connection ${connectionId} has an expiring Shopify token but no app to refresh it with`);
    this.options.routeShop(connection.shopDomain);
    const issuedAt = this.options.now();
    let session: TokenSession;
    try {
      ({session} = await app.auth.refreshToken({shop: connection.shopDomain, refreshToken: credentials.refreshToken}));
    } catch (err) {
      // A refused refresh token (used, expired, app uninstalled) will not work later either: the shop must install
      // again. Shown as Shopify refusing the token; a 5xx or a network failure stays retryable as it is.
      if (err instanceof HttpResponseError && err.response.code < 500) {
        this.options.logger.warn(
          {connectionId, shop: connection.shopDomain, status: err.response.code},
          'Shopify refused the refresh token',
        );
        throw new ShopifyAuthError(401);
      }
      throw err;
    }
    this.refreshes += 1;
    const next: ShopifyCredentials = {
      ...credentials,
      accessTokenExpiresAt: undefined,
      refreshTokenExpiresAt: undefined,
      ...tokenFields(session, issuedAt),
    };
    await this.options.connections.setShopifyCredentials(connectionId, next, this.options.now().toISOString());
    this.options.logger.info({connectionId, shop: connection.shopDomain}, 'Shopify access token refreshed');
    return next.accessToken!;
  }
}

/** What a shopify-api session (callback or refresh) gives for the stored credentials. */
export interface TokenSession {
  accessToken?: string;
  scope?: string;
  expires?: Date;
  refreshToken?: string;
  refreshTokenExpires?: Date;
}

/**
 * The token fields of a session. shopify-api computes expiries from the real clock at receipt (Date.now() +
 * expires_in); they are re-anchored on the connector's clock (`issuedAt`), which tests may move.
 */
export function tokenFields(session: TokenSession, issuedAt: Date): ShopifyCredentials {
  const shift = issuedAt.getTime() - Date.now();
  const at = (date: Date | undefined) => (date ? new Date(date.getTime() + shift).toISOString() : undefined);
  const fields: ShopifyCredentials = {accessToken: session.accessToken};
  const expiresAt = at(session.expires);
  if (expiresAt) fields.accessTokenExpiresAt = expiresAt;
  if (session.refreshToken) fields.refreshToken = session.refreshToken;
  const refreshExpiresAt = at(session.refreshTokenExpires);
  if (refreshExpiresAt) fields.refreshTokenExpiresAt = refreshExpiresAt;
  if (session.scope) fields.scope = session.scope;
  return fields;
}
