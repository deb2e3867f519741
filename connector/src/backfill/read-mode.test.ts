import fc from 'fast-check';
import {
  bulkReadMs,
  chooseReadMode,
  DEFAULT_READ_TIMINGS,
  pagedReadMs,
  STANDARD_PLAN_THROTTLE,
  type PageQueryCost,
  type ReadTimings,
  type ThrottleState,
} from './read-mode.js';
import {PAGE_QUERY_COSTS} from './shopify-backfill-source.js';

const standard = STANDARD_PLAN_THROTTLE;
const timings: ReadTimings = {...DEFAULT_READ_TIMINGS, roundTripMs: 100};

const throttleArb = fc
  .record({
    maximumAvailable: fc.integer({min: 50, max: 20_000}),
    fill: fc.double({min: 0, max: 1, noNaN: true}),
    restoreRate: fc.integer({min: 1, max: 2_000}),
  })
  .map(({maximumAvailable, fill, restoreRate}): ThrottleState => ({
    maximumAvailable,
    currentlyAvailable: Math.floor(maximumAvailable * fill),
    restoreRate,
  }));
const pageArb = fc.record({
  pageSize: fc.integer({min: 1, max: 250}),
  requestedCost: fc.integer({min: 1, max: 1_000}),
});
const timingsArb = fc.record({
  roundTripMs: fc.integer({min: 1, max: 2_000}),
  bulkFixedMs: fc.integer({min: 0, max: 10_000}),
  bulkPerRecordMs: fc.double({min: 0, max: 5, noNaN: true}),
});
const recordsArb = fc.integer({min: 0, max: 200_000});

describe('pages or bulk, from the Shopify query cost', () => {
  it("the issue's small shop on a standard plan: orders by bulk, customers and promos by page", () => {
    const choose = (phase: keyof typeof PAGE_QUERY_COSTS, records: number) =>
      chooseReadMode({records, page: PAGE_QUERY_COSTS[phase], throttle: standard, timings}).mode;
    // 800 orders: 160 pages of ~680 points, minutes of refill at 100 points/s.
    expect(choose('orders', 800)).toBe('bulk');
    // 300 customers: two pages that fit into the bucket at once.
    expect(choose('customers', 300)).toBe('pages');
    expect(choose('promos', 10)).toBe('pages');
    // A big store: every phase by bulk.
    for (const phase of ['products', 'customers', 'orders', 'carts'] as const)
      expect(choose(phase, 50_000)).toBe('bulk');
  });

  it('the same phase goes by page on a bucket that refills fast enough (Shopify Plus: 1,000 points/s, 20,000)', () => {
    const plus = {maximumAvailable: 20_000, currentlyAvailable: 20_000, restoreRate: 1_000};
    expect(chooseReadMode({records: 90, page: PAGE_QUERY_COSTS.orders, throttle: plus, timings}).mode).toBe('pages');
    expect(chooseReadMode({records: 90, page: PAGE_QUERY_COSTS.orders, throttle: standard, timings}).mode).toBe('bulk');
  });

  it('estimates pages as round trips plus the refill the requested points need', () => {
    const page: PageQueryCost = {pageSize: 5, requestedCost: 500};
    // 4 pages, 2,000 points: exactly a full bucket, no wait.
    expect(pagedReadMs(20, page, standard, 100)).toBe(400);
    // 5 pages, 2,500 points: 500 missing at 100/s.
    expect(pagedReadMs(21, page, standard, 100)).toBe(500 + 5_000);
    // An empty bucket: all of it.
    expect(pagedReadMs(20, page, {...standard, currentlyAvailable: 0}, 100)).toBe(400 + 20_000);
    // Nothing to read still costs the one page that says so.
    expect(pagedReadMs(0, page, standard, 100)).toBe(100);
    expect(bulkReadMs(1_000, {roundTripMs: 100, bulkFixedMs: 2_000, bulkPerRecordMs: 0.5})).toBe(2_000 + 300 + 500);
  });

  it('unknown size, or a page bigger than the whole bucket: bulk', () => {
    expect(
      chooseReadMode({records: undefined, page: PAGE_QUERY_COSTS.customers, throttle: standard, timings}).mode,
    ).toBe('bulk');
    const tiny = {maximumAvailable: 500, currentlyAvailable: 500, restoreRate: 50};
    const choice = chooseReadMode({records: 1, page: PAGE_QUERY_COSTS.orders, throttle: tiny, timings});
    expect(choice).toMatchObject({mode: 'bulk', pagesMs: Number.POSITIVE_INFINITY});
  });

  it('picks the smaller estimate, pages on a tie', () => {
    fc.assert(
      fc.property(recordsArb, pageArb, throttleArb, timingsArb, (records, page, throttle, t) => {
        const choice = chooseReadMode({records, page, throttle, timings: t});
        expect(choice.pagesMs).toBe(pagedReadMs(records, page, throttle, t.roundTripMs));
        expect(choice.bulkMs).toBe(bulkReadMs(records, t));
        expect(choice.mode).toBe(choice.pagesMs <= choice.bulkMs ? 'pages' : 'bulk');
      }),
    );
  });

  it('the page estimate is never below the round trips nor below the refill Shopify needs for the requested points', () => {
    fc.assert(
      fc.property(recordsArb, pageArb, throttleArb, fc.integer({min: 1, max: 2_000}), (records, page, throttle, rt) => {
        const pages = Math.max(1, Math.ceil(records / page.pageSize));
        const ms = pagedReadMs(records, page, throttle, rt);
        expect(ms).toBeGreaterThanOrEqual(pages * rt);
        if (page.requestedCost <= throttle.maximumAvailable)
          expect(ms).toBeGreaterThanOrEqual(
            ((pages * page.requestedCost - throttle.maximumAvailable) / throttle.restoreRate) * 1_000,
          );
      }),
    );
  });

  it('a faster refill, a fuller bucket or a cheaper page never turns pages into bulk', () => {
    fc.assert(
      fc.property(
        recordsArb,
        pageArb,
        throttleArb,
        timingsArb,
        fc.integer({min: 0, max: 5_000}),
        fc.integer({min: 0, max: 5_000}),
        fc.integer({min: 0, max: 999}),
        (records, page, throttle, t, moreRate, morePoints, cheaper) => {
          if (chooseReadMode({records, page, throttle, timings: t}).mode !== 'pages') return;
          const better: ThrottleState[] = [
            {...throttle, restoreRate: throttle.restoreRate + moreRate},
            {
              ...throttle,
              currentlyAvailable: Math.min(throttle.maximumAvailable, throttle.currentlyAvailable + morePoints),
            },
          ];
          for (const b of better) expect(chooseReadMode({records, page, throttle: b, timings: t}).mode).toBe('pages');
          const cheaperPage = {...page, requestedCost: Math.max(1, page.requestedCost - cheaper)};
          expect(chooseReadMode({records, page: cheaperPage, throttle, timings: t}).mode).toBe('pages');
        },
      ),
    );
  });

  it('more whole pages never turn bulk into pages while a page of bulk export is quicker than a round trip', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 2_000}),
        fc.integer({min: 1, max: 500}),
        pageArb,
        throttleArb,
        timingsArb,
        (pages, morePages, page, throttle, t) => {
          fc.pre(t.bulkPerRecordMs * page.pageSize <= t.roundTripMs);
          const at = (n: number) => chooseReadMode({records: n * page.pageSize, page, throttle, timings: t}).mode;
          if (at(pages) === 'bulk') expect(at(pages + morePages)).toBe('bulk');
        },
      ),
    );
  });
});
