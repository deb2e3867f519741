import fc from 'fast-check';
import {backoffDelayMs, DEFAULT_RETRY, parseRetryAfterMs, retryDelayMs} from './retry-policy.js';

describe('backoff', () => {
  it('stays within [0, min(cap, base·2^(n-1))] (full jitter)', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 30}),
        fc.integer({min: 1, max: 5000}),
        fc.integer({min: 1, max: 60_000}),
        fc.double({min: 0, max: 0.999999, noNaN: true}),
        (attempt, base, cap, r) => {
          const delay = backoffDelayMs(attempt, {baseDelayMs: base, maxDelayMs: cap, random: () => r});
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(cap, base * 2 ** (attempt - 1)));
        },
      ),
    );
  });

  it('grows exponentially up to the cap', () => {
    const top = (n: number) => backoffDelayMs(n, {baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999});
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([99, 199, 399, 799, 999, 999]);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('2', 0)).toBe(2000);
    expect(parseRetryAfterMs('0.5', 0)).toBe(500);
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(
      10_000,
    );
    expect(parseRetryAfterMs(undefined, 0)).toBeUndefined();
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined();
    expect(parseRetryAfterMs(['1'], 0)).toBeUndefined();
  });

  it('is waited at least, and at most capped', () => {
    const options = {...DEFAULT_RETRY, baseDelayMs: 100, maxRetryAfterMs: 5000, random: () => 0.5};
    expect(retryDelayMs(1, 1000, options)).toBe(1050);
    expect(retryDelayMs(1, 60_000, options)).toBe(5050);
  });
});
