/** How a failed attempt is retried: bounded attempts, exponential backoff with full jitter, Retry-After honoured. */
export interface RetryOptions {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Backoff for attempt n is uniform in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is treated as this (a server asking for an hour should not park a call). */
  maxRetryAfterMs: number;
  /** How long a 429 without Retry-After pauses the whole account. */
  rateLimitPauseMs: number;
  /** Injectable for tests; Math.random otherwise. Returns [0, 1). */
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  rateLimitPauseMs: 1_000,
  random: Math.random,
};

/** Full-jitter exponential backoff ("Exponential Backoff and Jitter", AWS architecture blog). attempt is 1-based. */
export function backoffDelayMs(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(options.random() * ceiling);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfterMs(header: unknown, nowMs: number): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before the next attempt. With Retry-After: that long, plus up to one base delay of jitter so that calls
 * told the same moment do not all come back at once. Without: full-jitter backoff.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, options: RetryOptions): number {
  if (retryAfterMs !== undefined) {
    return (
      Math.min(retryAfterMs, options.maxRetryAfterMs) +
      Math.floor(options.random() * Math.min(options.baseDelayMs, 1_000))
    );
  }
  return backoffDelayMs(attempt, options);
}
