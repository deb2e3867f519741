import fc from 'fast-check';
import type {PhaseProgress} from '../backfill/backfill-service.js';
import {finishedPhaseLine, formatDuration, phaseBar} from './phase-progress.js';

const START = '2026-12-01T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000);
const progress = (p: Partial<PhaseProgress>): PhaseProgress => ({
  read: 0,
  sent: 0,
  nothing: 0,
  handedToLive: 0,
  failedOperations: 0,
  operations: 0,
  batches: 0,
  startedAt: START,
  ...p,
});

describe('a backfill phase as a progress bar', () => {
  it('shows "ETA —" and no rate before any record is done', () => {
    expect(phaseBar(progress({total: 14, read: 7}), START, at(3))).toEqual({
      value: 0,
      total: 14,
      count: '0/14',
      rate: '—/s',
      eta: 'ETA —',
      skipped: 0,
    });
  });

  it('estimates from the records done so far', () => {
    expect(phaseBar(progress({total: 100, read: 50, sent: 15, nothing: 3, handedToLive: 2}), START, at(10))).toEqual({
      value: 20,
      total: 100,
      count: '20/100',
      rate: '2/s',
      eta: 'ETA 40s',
      skipped: 0,
    });
  });

  it('ends a finished phase at its total and names what was skipped (Shopify counted 14 promos, 10 were handled)', () => {
    const p = progress({total: 14, read: 14, sent: 9, nothing: 1, finishedAt: at(5).toISOString()});
    expect(phaseBar(p, START, at(60))).toMatchObject({value: 14, total: 14, count: '14/14', eta: 'done', skipped: 4});
    expect(finishedPhaseLine('promos', p, START)).toBe(
      'promos 14/14 done: sent 9, nothing to send 1, handed to the live worker 0, skipped 4 (counted by the platform, not sent: skipped or merged)',
    );
  });

  it('draws an empty finished phase as a full bar', () => {
    expect(phaseBar(progress({total: 0, finishedAt: START}), START, at(1))).toMatchObject({
      value: 1,
      total: 1,
      count: '0/0',
      skipped: 0,
    });
  });

  it('formats durations in whole units', () => {
    expect([0, 0.2, 45, 65, 3599, 7380].map(formatDuration)).toEqual([
      '0s',
      '1s',
      '45s',
      '1m 05s',
      '59m 59s',
      '2h 03m',
    ]);
    expect([Infinity, NaN, -1].map(formatDuration)).toEqual(['—', '—', '—']);
  });

  it('never shows NaN, Infinity or cli-progress placeholders, stays within its total, and ends full', () => {
    const count = fc.nat({max: 100_000});
    fc.assert(
      fc.property(
        fc.record({
          total: fc.option(count, {nil: undefined}),
          read: count,
          sent: count,
          nothing: count,
          handedToLive: count,
          failedOperations: count,
        }),
        fc.nat({max: 10_000_000}),
        fc.option(fc.nat({max: 10_000_000}), {nil: undefined}),
        (counts, elapsedMs, finishedAfterMs) => {
          const p = progress({
            ...counts,
            finishedAt:
              finishedAfterMs === undefined ? undefined : new Date(Date.parse(START) + finishedAfterMs).toISOString(),
          });
          const bar = phaseBar(p, START, new Date(Date.parse(START) + elapsedMs));
          const text = `${bar.count} ${bar.rate} ${bar.eta}`;
          expect(text).not.toMatch(/NaN|Infinity|NULL|INF|NF|LL|undefined/);
          expect(bar.value).toBeGreaterThanOrEqual(0);
          expect(bar.value).toBeLessThanOrEqual(bar.total);
          expect(bar.total).toBeGreaterThanOrEqual(1);
          expect(bar.skipped).toBeGreaterThanOrEqual(0);
          if (p.finishedAt !== undefined) {
            expect(bar.value).toBe(bar.total);
            expect(bar.eta).toBe('done');
          }
        },
      ),
    );
  });
});
