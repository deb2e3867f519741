/**
 * How long to wait before asking Shopify again, computed from what Shopify reports (pure; no clock of its own).
 * Throttling: Shopify answers THROTTLED with the requested cost and the bucket's state, so the wait is exactly the
 * time the bucket needs to refill: (requested − available) / restoreRate seconds. Other failures (5xx, network):
 * exponential back-off with jitter.
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

/** A little extra so that the retry does not arrive a millisecond before the points do. */
const SAFETY_MS = 50;

export function throttleWaitMs(cost: QueryCost): number {
  const {currentlyAvailable, restoreRate} = cost.throttleStatus;
  if (!(restoreRate > 0)) return 1_000;
  const missing = Math.max(0, cost.requestedQueryCost - currentlyAvailable);
  return Math.ceil((missing / restoreRate) * 1000) + SAFETY_MS;
}

/** Exponential back-off with full jitter: attempt 1 → up to `baseMs`, doubling, capped at `maxMs`. */
export function retryDelayMs(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 500,
  maxMs = 10_000,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Reads `extensions.cost` of a response, if it has a usable one. */
export function costOf(extensions: unknown): QueryCost | undefined {
  const cost = (extensions as {cost?: Partial<QueryCost>} | undefined)?.cost;
  const status = cost?.throttleStatus;
  if (
    !cost ||
    typeof cost.requestedQueryCost !== 'number' ||
    !status ||
    typeof status.currentlyAvailable !== 'number' ||
    typeof status.restoreRate !== 'number'
  ) {
    return undefined;
  }
  return {
    requestedQueryCost: cost.requestedQueryCost,
    actualQueryCost: cost.actualQueryCost ?? null,
    throttleStatus: status as ThrottleStatus,
  };
}

/**
 * Remembers the bucket as Shopify last reported it, so that a query known to cost N points waits for them before
 * being sent instead of being refused first (a THROTTLED answer is a wasted round trip).
 */
export class CostTracker {
  private last?: {status: ThrottleStatus; at: number};
  private readonly costs = new Map<string, number>();

  observe(operation: string, cost: QueryCost, at: number): void {
    this.last = {status: cost.throttleStatus, at};
    this.costs.set(operation, cost.requestedQueryCost);
  }

  /** The bucket as last reported, refilled up to `at` at its restore rate; undefined before any report. */
  statusAt(at: number): ThrottleStatus | undefined {
    if (!this.last) return undefined;
    const {status} = this.last;
    return {
      ...status,
      currentlyAvailable: Math.min(
        status.maximumAvailable,
        status.currentlyAvailable + (Math.max(0, at - this.last.at) / 1000) * status.restoreRate,
      ),
    };
  }

  /** Milliseconds to wait before sending `operation` (0 when it should fit). */
  waitBefore(operation: string, at: number): number {
    const expected = this.costs.get(operation);
    if (expected === undefined || !this.last) return 0;
    const {status} = this.last;
    const available = Math.min(
      status.maximumAvailable,
      status.currentlyAvailable + ((at - this.last.at) / 1000) * status.restoreRate,
    );
    if (available >= expected) return 0;
    return throttleWaitMs({
      requestedQueryCost: expected,
      actualQueryCost: null,
      throttleStatus: {...status, currentlyAvailable: available},
    });
  }
}
