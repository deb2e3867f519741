import type {QueryCost} from './throttle-policy.js';
import type {MutationUserError} from './documents/mutation-documents.js';

/**
 * Every way a Shopify Admin call can fail, as one typed error per cause. `retryable` says whether the same request
 * may succeed later; the client has already retried what it retries (throttling, 5xx, network) before throwing.
 * Messages never contain the access token.
 */
export abstract class ShopifyAdminError extends Error {
  abstract readonly kind: 'auth' | 'graphql' | 'query-cost' | 'throttled' | 'http' | 'network' | 'user-errors' | 'bulk';
  abstract readonly retryable: boolean;
}

/** 401/403: the token is wrong, revoked, or lacks a scope. */
export class ShopifyAuthError extends ShopifyAdminError {
  readonly kind = 'auth';
  readonly retryable = false;
  constructor(readonly status: number) {
    super(`Shopify refused the access token (HTTP ${status})`);
    this.name = 'ShopifyAuthError';
  }
}

export interface GraphqlErrorDetail {
  message: string;
  path?: Array<string | number>;
  extensions?: {code?: string; [key: string]: unknown};
}

/** The query itself is wrong (validation, bad argument, bad cursor): the response's `errors`, with partial `data`. */
export class ShopifyGraphqlError extends ShopifyAdminError {
  readonly kind = 'graphql';
  readonly retryable = false;
  constructor(
    readonly errors: GraphqlErrorDetail[],
    readonly data: unknown,
  ) {
    super(`Shopify GraphQL error: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'ShopifyGraphqlError';
  }

  get codes(): string[] {
    return this.errors.flatMap((e) => (typeof e.extensions?.code === 'string' ? [e.extensions.code] : []));
  }
}

/** MAX_COST_EXCEEDED: the query asks for more than 1,000 points; smaller pages (or a bulk operation) are needed. */
export class ShopifyQueryCostError extends ShopifyAdminError {
  readonly kind = 'query-cost';
  readonly retryable = false;
  constructor(
    readonly cost: number,
    readonly maxCost: number,
  ) {
    super(`Shopify refused a query costing ${cost} points (at most ${maxCost} per query)`);
    this.name = 'ShopifyQueryCostError';
  }
}

/** Still THROTTLED after the client waited as often as allowed. */
export class ShopifyThrottledError extends ShopifyAdminError {
  readonly kind = 'throttled';
  readonly retryable = true;
  constructor(readonly cost: QueryCost | undefined) {
    super('Shopify kept throttling the request');
    this.name = 'ShopifyThrottledError';
  }
}

/** A non-2xx answer other than 401/403; 429 and 5xx are retryable. */
export class ShopifyHttpError extends ShopifyAdminError {
  readonly kind = 'http';
  readonly retryable: boolean;
  constructor(readonly status: number) {
    super(`Shopify answered HTTP ${status}`);
    this.name = 'ShopifyHttpError';
    this.retryable = status === 429 || status >= 500;
  }
}

/** No HTTP answer (connection refused or reset, DNS, timeout). */
export class ShopifyNetworkError extends ShopifyAdminError {
  readonly kind = 'network';
  readonly retryable = true;
  constructor(message: string) {
    super(`Shopify could not be reached: ${message}`);
    this.name = 'ShopifyNetworkError';
  }
}

/** A mutation ran but refused the input: its `userErrors`. */
export class ShopifyUserErrors extends ShopifyAdminError {
  readonly kind = 'user-errors';
  readonly retryable = false;
  constructor(
    readonly mutation: string,
    readonly userErrors: MutationUserError[],
  ) {
    super(
      `${mutation}: ${userErrors.map((e) => `${e.field ? `${e.field.join('.')}: ` : ''}${e.message}${e.code ? ` (${e.code})` : ''}`).join('; ')}`,
    );
    this.name = 'ShopifyUserErrors';
  }

  get codes(): string[] {
    return this.userErrors.flatMap((e) => (e.code ? [e.code] : []));
  }
}

/** A bulk operation that did not complete: FAILED (with Shopify's errorCode), CANCELED or EXPIRED. */
export class ShopifyBulkOperationError extends ShopifyAdminError {
  readonly kind = 'bulk';
  readonly retryable: boolean;
  constructor(
    readonly operationId: string,
    readonly status: string,
    readonly errorCode: string | null,
    readonly partialDataUrl: string | null,
  ) {
    super(`Bulk operation ${operationId} ended ${status}${errorCode ? ` (${errorCode})` : ''}`);
    this.name = 'ShopifyBulkOperationError';
    this.retryable = errorCode === 'TIMEOUT' || errorCode === 'INTERNAL_SERVER_ERROR';
  }
}

/** Another bulk query of this app is still running on the shop (one at a time before API 2026-01). */
export class ShopifyBulkBusyError extends ShopifyAdminError {
  readonly kind = 'bulk';
  readonly retryable = true;
  constructor(readonly runningOperationId: string | undefined) {
    super(`Another bulk query is running on the shop${runningOperationId ? `: ${runningOperationId}` : ''}`);
    this.name = 'ShopifyBulkBusyError';
  }
}
