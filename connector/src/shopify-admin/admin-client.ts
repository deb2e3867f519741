import {createAdminApiClient, type AdminApiClient} from '@shopify/admin-api-client';
import type {Config} from '../config/config.js';
import type {Logger} from '../logging/logger.js';
import {abortableSleep} from './abortable-sleep.js';
import {
  ShopifyAuthError,
  ShopifyGraphqlError,
  ShopifyHttpError,
  ShopifyNetworkError,
  ShopifyQueryCostError,
  ShopifyThrottledError,
  ShopifyUserErrors,
  type GraphqlErrorDetail,
  type ShopifyAdminError,
} from './admin-errors.js';
import type {AdminDocument} from './documents/admin-document.js';
import type {MutationPayload} from './documents/mutation-documents.js';
import {
  CostTracker,
  costOf,
  retryDelayMs,
  throttleWaitMs,
  type QueryCost,
  type ThrottleStatus,
} from './throttle-policy.js';

/** The Admin API version the documents are written against (the stand-in models it). */
export const ADMIN_API_VERSION = '2025-10';

/**
 * Where a client gets an access token that can change (an expiring offline token, install/shopify-tokens.ts): asked
 * before each request, and once more after a 401.
 */
export interface AccessTokenProvider {
  /** The token to use now (refreshed first when it is about to expire). */
  current(): Promise<string>;
  /** Shopify refused `rejected` (401): a fresh token to retry once with, or undefined when there is none. */
  afterUnauthorized(rejected: string): Promise<string | undefined>;
}

export interface ShopifyAdminClientOptions {
  /** `<name>.myshopify.com`. */
  shopDomain: string;
  /** A fixed token (SHOPIFY_ACCESS_TOKEN, custom apps), or a provider of the current one. */
  accessToken: string | AccessTokenProvider;
  /** Overrides `https://<shop>/admin` (SHOPIFY_ADMIN_URL), e.g. `http://127.0.0.1:4020/admin` for the stand-in. */
  adminUrl?: string;
  apiVersion?: string;
  logger?: Logger;
  /** Attempts for 5xx, 429 and network failures (default 4). */
  maxAttempts?: number;
  /** How often a THROTTLED answer is waited out before giving up (default 10). */
  maxThrottleWaits?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** The HTTP implementation (default the global fetch). */
  fetch?: typeof fetch;
  /** Waiting, replaceable in tests (default a timer that the abort signal interrupts). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface AdminResult<TData> {
  data: TData;
  cost?: QueryCost;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** What the client did, for tests and metrics. */
export interface ClientStats {
  requests: number;
  throttled: number;
  retries: number;
  /** Milliseconds spent waiting for the cost bucket (reactive and proactive). */
  throttleWaitMs: number;
}

const ACCESS_TOKEN_HEADER = 'X-Shopify-Access-Token';
/** Carries a provided token from request() to customFetchApi; never sent. */
const TOKEN_CARRIER = 'X-Connector-Provided-Token';

const OPERATION_NAME = /^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * The connector's Shopify GraphQL Admin API client: @shopify/admin-api-client (the client @shopify/shopify-api
 * itself uses) with the retries Shopify's own clients leave to the app.
 *
 * Why admin-api-client directly: @shopify/shopify-api's `clients.Graphql` always calls `https://<shop>/admin/...`
 * through the process-wide `abstractFetch`, so pointing one client at SHOPIFY_ADMIN_URL would redirect every
 * Shopify client of the process. admin-api-client takes a `customFetchApi` per client; ours rewrites the
 * `https://<shop>/admin` prefix to the configured admin URL and adds a timeout. Its built-in retries stay off
 * (they only cover 429/503 and read Retry-After as milliseconds): this class retries 5xx, 429 and network failures
 * with back-off, and waits out THROTTLED answers (HTTP 200) for exactly the time the cost bucket needs.
 * The access token goes into the request header only: it is never logged or put into an error.
 */
export class ShopifyAdminClient {
  readonly stats: ClientStats = {requests: 0, throttled: 0, retries: 0, throttleWaitMs: 0};
  readonly apiVersion: string;
  private readonly api: AdminApiClient;
  private readonly costs = new CostTracker();
  private readonly log?: Logger;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: ShopifyAdminClientOptions) {
    this.apiVersion = options.apiVersion ?? ADMIN_API_VERSION;
    this.log = options.logger?.child({module: 'shopify-admin', shop: options.shopDomain});
    this.sleep = options.sleep ?? abortableSleep;
    const baseFetch = options.fetch ?? globalThis.fetch;
    const storePrefix = `https://${options.shopDomain.trim().toLowerCase()}/admin`;
    const adminUrl = options.adminUrl?.replace(/\/+$/, '');
    const timeoutMs = options.timeoutMs ?? 60_000;
    this.api = createAdminApiClient({
      storeDomain: options.shopDomain,
      apiVersion: this.apiVersion,
      // With a provider, each request sets the header itself (send()); this value is never sent.
      accessToken: typeof options.accessToken === 'string' ? options.accessToken : 'provided-per-request',
      retries: 0,
      customFetchApi: (url, init) => {
        const target = adminUrl && url.startsWith(storePrefix) ? adminUrl + url.slice(storePrefix.length) : url;
        const timeout = AbortSignal.timeout(timeoutMs);
        // A provided token travels in TOKEN_CARRIER (the client's own header would win over a per-request one).
        const headers = new Headers(init?.headers);
        const carried = headers.get(TOKEN_CARRIER);
        if (carried !== null) {
          headers.delete(TOKEN_CARRIER);
          headers.set(ACCESS_TOKEN_HEADER, carried);
        }
        return baseFetch(target, {
          ...init,
          headers,
          signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
        });
      },
      // The client's log entries carry the request headers (and so the token): only the version notice is kept.
      logger: (entry) => {
        if (entry.type === 'Unsupported_Api_Version')
          this.log?.debug(
            {apiVersion: this.apiVersion},
            'API version is outside the versions the Shopify client library calls current',
          );
      },
    });
  }

  /** A client for the environment-configured shop; undefined when SHOPIFY_SHOP or SHOPIFY_ACCESS_TOKEN is missing. */
  static fromConfig(config: Config, logger?: Logger): ShopifyAdminClient | undefined {
    if (!config.SHOPIFY_SHOP || !config.SHOPIFY_ACCESS_TOKEN) return undefined;
    return new ShopifyAdminClient({
      shopDomain: config.SHOPIFY_SHOP,
      accessToken: config.SHOPIFY_ACCESS_TOKEN,
      adminUrl: config.SHOPIFY_ADMIN_URL,
      logger,
    });
  }

  /** The shop's cost bucket as Shopify last reported it, refilled to now (undefined before the first answer). */
  throttleStatus(): ThrottleStatus | undefined {
    return this.costs.statusAt(Date.now());
  }

  /** Runs a query (or mutation) and returns its data; throws a ShopifyAdminError subclass when it cannot. */
  async query<TData, TVariables>(
    document: AdminDocument<TData, TVariables>,
    variables: TVariables,
    options: RequestOptions = {},
  ): Promise<TData> {
    return (await this.request(document, variables, options)).data;
  }

  /**
   * Runs a mutation and returns its payload (`data[payloadKey]`); a payload with `userErrors` throws
   * ShopifyUserErrors, so callers see either the result or a typed refusal.
   */
  async mutate<TData, TVariables, K extends keyof TData>(
    document: AdminDocument<TData, TVariables>,
    variables: TVariables,
    payloadKey: K,
    options: RequestOptions = {},
  ): Promise<NonNullable<TData[K]>> {
    const data = await this.query(document, variables, options);
    const payload = data[payloadKey] as (NonNullable<TData[K]> & Partial<MutationPayload>) | null | undefined;
    if (payload === null || payload === undefined)
      throw new ShopifyGraphqlError([{message: `${String(payloadKey)} returned no payload`}], data);
    if (payload.userErrors && payload.userErrors.length > 0)
      throw new ShopifyUserErrors(String(payloadKey), payload.userErrors);
    return payload;
  }

  /** Like `query`, with the reported cost. */
  async request<TData, TVariables>(
    document: AdminDocument<TData, TVariables>,
    variables: TVariables,
    options: RequestOptions = {},
  ): Promise<AdminResult<TData>> {
    const operation = OPERATION_NAME.exec(document.query)?.[1] ?? 'anonymous';
    // The same document with the same page size costs the same; other variables barely change the estimate.
    const costKey = `${document.query}\n${JSON.stringify((variables as {first?: unknown} | undefined)?.first ?? null)}`;
    const maxAttempts = this.options.maxAttempts ?? 4;
    const maxThrottleWaits = this.options.maxThrottleWaits ?? 10;
    let attempts = 0;
    let throttleWaits = 0;
    const provider = typeof this.options.accessToken === 'string' ? undefined : this.options.accessToken;
    let token = provider ? await provider.current() : undefined;
    let refreshedAfter401 = false;
    for (;;) {
      const proactive = this.costs.waitBefore(costKey, Date.now());
      if (proactive > 0) await this.waitForBucket(proactive, operation, options.signal);
      attempts += 1;
      this.stats.requests += 1;
      const outcome = await this.send<TData>(document.query, variables, options.signal, token);
      if (outcome.cost) this.costs.observe(costKey, outcome.cost, Date.now());
      if ('data' in outcome) return {data: outcome.data, cost: outcome.cost};
      const error = outcome.error;
      // A 401 with a token that can be refreshed: one refresh, one retry.
      if (error instanceof ShopifyAuthError && error.status === 401 && provider && token && !refreshedAfter401) {
        refreshedAfter401 = true;
        const fresh = await provider.afterUnauthorized(token);
        if (fresh === undefined) throw error;
        token = fresh;
        continue;
      }
      if (error instanceof ShopifyThrottledError) {
        this.stats.throttled += 1;
        // A query bigger than the whole bucket never fits, however long one waits.
        const neverFits =
          error.cost !== undefined && error.cost.requestedQueryCost > error.cost.throttleStatus.maximumAvailable;
        if (throttleWaits >= maxThrottleWaits || neverFits) throw error;
        throttleWaits += 1;
        await this.waitForBucket(error.cost ? throttleWaitMs(error.cost) : 1_000, operation, options.signal);
        continue;
      }
      if (!error.retryable || attempts >= maxAttempts) throw error;
      const delay = outcome.retryAfterMs ?? retryDelayMs(attempts);
      this.stats.retries += 1;
      this.log?.warn(
        {
          operation,
          attempt: attempts,
          kind: error.kind,
          status: error instanceof ShopifyHttpError ? error.status : undefined,
          delayMs: delay,
        },
        'retrying Shopify Admin request',
      );
      await this.sleep(delay, options.signal);
    }
  }

  private async waitForBucket(ms: number, operation: string, signal?: AbortSignal): Promise<void> {
    this.stats.throttleWaitMs += ms;
    this.log?.debug({operation, waitMs: ms}, 'waiting for the Shopify cost bucket');
    await this.sleep(ms, signal);
  }

  /** One HTTP round trip, classified. */
  private async send<TData>(
    query: string,
    variables: unknown,
    signal: AbortSignal | undefined,
    token: string | undefined,
  ): Promise<{data: TData; cost?: QueryCost} | {error: ShopifyAdminError; cost?: QueryCost; retryAfterMs?: number}> {
    const response = await this.api.request<TData>(query, {
      variables: variables as Record<string, unknown>,
      signal,
      // Moved into the access token header by customFetchApi.
      ...(token !== undefined ? {headers: {[TOKEN_CARRIER]: token}} : {}),
    });
    if (signal?.aborted) throw signal.reason;
    const cost = costOf(response.extensions);
    const errors = response.errors;
    if (!errors) return {data: response.data as TData, cost};
    const graphqlErrors = (errors.graphQLErrors ?? []) as GraphqlErrorDetail[];
    if (graphqlErrors.length > 0) {
      const codes = graphqlErrors.map((e) => e.extensions?.code);
      if (codes.includes('THROTTLED')) return {error: new ShopifyThrottledError(cost), cost};
      const maxCost = graphqlErrors.find((e) => e.extensions?.code === 'MAX_COST_EXCEEDED');
      if (maxCost)
        return {
          error: new ShopifyQueryCostError(
            Number(maxCost.extensions?.cost ?? cost?.requestedQueryCost ?? 0),
            Number(maxCost.extensions?.maxCost ?? 1000),
          ),
          cost,
        };
      return {error: new ShopifyGraphqlError(graphqlErrors, response.data ?? null), cost};
    }
    const status = errors.networkStatusCode;
    // A non-2xx body is never read: release the connection.
    if (status !== undefined && status !== 200) await errors.response?.body?.cancel().catch(() => undefined);
    if (status === 401 || status === 403) return {error: new ShopifyAuthError(status)};
    if (status === undefined) return {error: new ShopifyNetworkError(errors.message ?? 'no response')};
    if (status === 429) {
      const retryAfter = Number(errors.response?.headers.get('Retry-After'));
      return {
        error: new ShopifyHttpError(status),
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      };
    }
    // A 200 with neither data nor errors is a broken answer; treat it like a server error.
    return {error: new ShopifyHttpError(status === 200 ? 502 : status)};
  }
}
