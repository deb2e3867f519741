/**
 * Pages or one bulk operation for a backfill phase, decided from Shopify's query cost (pure: no clock, no I/O).
 *
 * Why cost and not a record count: Shopify throttles page queries by calculated cost (a leaky bucket of
 * `maximumAvailable` points refilling at `restoreRate` per second, 2,000 and 100/s on a standard plan), and a page
 * of orders with their lines asks for ~680 points for 5 orders, while a page of customers asks for ~800 points for
 * 200. So 800 orders by page wait minutes for the bucket, and 300 customers fit into it at once. A bulk operation
 * costs no points but has a fixed overhead: the start mutation, Shopify's own run (a second or two even for a few
 * hundred records), the polls that notice it finished, the download.
 *
 * The page estimate uses the *requested* cost: Shopify takes it up front (the difference to the actual cost comes
 * back after the query), so a query waits until that many points are there, and it bounds what a page consumes.
 * Page k of P can start once k × cost − available points have refilled; the last one after
 * (P × cost − available) / restoreRate seconds. The extra nested pages of records with more than a page holds
 * (orders past 10 lines, products past 20 variants) are left out: they are rare and cost a few points each.
 */

export type ReadMode = 'pages' | 'bulk';

/** The bucket as Shopify last reported it (`extensions.cost.throttleStatus`), brought forward to now. */
export interface ThrottleState {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** One phase's paged query: records per page and the points Shopify requests for one page. */
export interface PageQueryCost {
  pageSize: number;
  requestedCost: number;
}

export interface ReadTimings {
  /** One Admin API round trip (measured on the shop's counts query). */
  roundTripMs: number;
  /** A bulk operation's fixed time beyond its round trips: Shopify's run and the poll that notices its end. */
  bulkFixedMs: number;
  /** Shopify's bulk export time per record. */
  bulkPerRecordMs: number;
}

export interface ReadModeInput {
  /** Records the phase will read; undefined when the shop could not say. */
  records: number | undefined;
  page: PageQueryCost;
  throttle: ThrottleState;
  timings: ReadTimings;
}

export interface ReadModeChoice {
  mode: ReadMode;
  /** Estimated milliseconds to read the phase by pages (Infinity: a page never fits into the bucket). */
  pagesMs: number;
  /** Estimated milliseconds for one bulk operation. */
  bulkMs: number;
}

/**
 * Shopify's bulk overhead as the connector sees it: a bulk query of a few hundred records finishes in 1-2 s on
 * Shopify, found by polls starting at 200 ms (bulk-query.ts); its export runs at thousands of records a second.
 */
export const DEFAULT_READ_TIMINGS: ReadTimings = {roundTripMs: 250, bulkFixedMs: 2_000, bulkPerRecordMs: 0.5};

/** A standard plan's bucket: what to assume before the shop reported its own. */
export const STANDARD_PLAN_THROTTLE: ThrottleState = {
  maximumAvailable: 2_000,
  currentlyAvailable: 2_000,
  restoreRate: 100,
};

/** Estimated milliseconds to read `records` page by page. */
export function pagedReadMs(
  records: number,
  page: PageQueryCost,
  throttle: ThrottleState,
  roundTripMs: number,
): number {
  const pages = Math.max(1, Math.ceil(records / Math.max(1, page.pageSize)));
  // A page asking for more than the whole bucket is refused forever, however long one waits.
  if (page.requestedCost > throttle.maximumAvailable || !(throttle.restoreRate > 0)) return Number.POSITIVE_INFINITY;
  const available = Math.max(0, Math.min(throttle.currentlyAvailable, throttle.maximumAvailable));
  const waitMs = (Math.max(0, pages * page.requestedCost - available) / throttle.restoreRate) * 1_000;
  return pages * roundTripMs + waitMs;
}

/** Estimated milliseconds for one bulk operation of `records`: start, Shopify's run, polls, download. */
export function bulkReadMs(records: number, timings: ReadTimings): number {
  // Round trips: the start mutation, the final status poll, the download.
  return timings.bulkFixedMs + 3 * timings.roundTripMs + records * timings.bulkPerRecordMs;
}

/** The faster way to read a phase; pages on a tie (they keep Shopify's one bulk slot free). Unknown size: bulk. */
export function chooseReadMode(input: ReadModeInput): ReadModeChoice {
  if (input.records === undefined || !Number.isFinite(input.records))
    return {mode: 'bulk', pagesMs: Number.POSITIVE_INFINITY, bulkMs: bulkReadMs(0, input.timings)};
  const records = Math.max(0, input.records);
  const pagesMs = pagedReadMs(records, input.page, input.throttle, input.timings.roundTripMs);
  const bulkMs = bulkReadMs(records, input.timings);
  return {mode: pagesMs <= bulkMs ? 'pages' : 'bulk', pagesMs, bulkMs};
}
