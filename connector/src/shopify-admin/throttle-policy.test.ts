import fc from 'fast-check';
import {CostTracker, costOf, retryDelayMs, throttleWaitMs, type QueryCost} from './throttle-policy.js';

const cost = (requested: number, available: number, restoreRate = 100, maximum = 2000): QueryCost => ({
  requestedQueryCost: requested,
  actualQueryCost: null,
  throttleStatus: {maximumAvailable: maximum, currentlyAvailable: available, restoreRate},
});

describe('throttle policy', () => {
  it('waits exactly until the bucket holds the requested points (plus a small margin)', () => {
    expect(throttleWaitMs(cost(502, 498, 50))).toBe(80 + 50);
    expect(throttleWaitMs(cost(100, 400))).toBe(50);
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 1000}),
        fc.integer({min: 0, max: 2000}),
        fc.integer({min: 1, max: 2000}),
        (requested, available, rate) => {
          const wait = throttleWaitMs(cost(requested, available, rate));
          // After the wait, the bucket has refilled enough; a wait 50 ms shorter (no margin) would be just enough or short.
          expect(available + ((wait - 50) / 1000) * rate).toBeGreaterThanOrEqual(requested - 1e-9);
          expect(available + ((wait - 51) / 1000) * rate).toBeLessThan(Math.max(requested, available + 1e-9));
        },
      ),
    );
  });

  it('reads extensions.cost and ignores anything else', () => {
    expect(costOf({cost: cost(10, 20)})).toStrictEqual(cost(10, 20));
    expect(costOf(undefined)).toBeUndefined();
    expect(costOf({cost: {requestedQueryCost: 'x'}})).toBeUndefined();
  });

  it('backs off exponentially with jitter, within bounds', () => {
    expect(retryDelayMs(1, () => 0)).toBe(250);
    expect(retryDelayMs(1, () => 1)).toBe(500);
    expect(retryDelayMs(3, () => 1)).toBe(2000);
    expect(retryDelayMs(10, () => 1)).toBe(10_000);
  });

  it('predicts the wait for a query whose cost it has seen, counting the refill since', () => {
    const tracker = new CostTracker();
    expect(tracker.waitBefore('q', 0)).toBe(0);
    tracker.observe('q', cost(300, 100, 100), 1_000);
    // 100 available at t=1s, 300 needed, 100/s: 2 s from then.
    expect(tracker.waitBefore('q', 1_000)).toBe(2_000 + 50);
    expect(tracker.waitBefore('q', 2_500)).toBe(500 + 50);
    expect(tracker.waitBefore('q', 3_000)).toBe(0);
    expect(tracker.waitBefore('other', 1_000)).toBe(0);
  });

  it('reports the bucket as last seen, refilled at its restore rate up to the maximum', () => {
    const tracker = new CostTracker();
    expect(tracker.statusAt(0)).toBeUndefined();
    tracker.observe('q', cost(300, 100, 100), 1_000);
    expect(tracker.statusAt(1_000)).toStrictEqual({maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100});
    expect(tracker.statusAt(3_500)?.currentlyAvailable).toBe(350);
    expect(tracker.statusAt(60_000)?.currentlyAvailable).toBe(2000);
  });
});
