import fc from 'fast-check';
import {alreadyCompletedDetail, windowCovers} from './finished-run.js';

describe('a completed backfill and the window asked for', () => {
  const since = (iso: string) => ({ordersSince: iso});

  it('all orders cover every window; a window covers the ones starting at or after it, not earlier ones', () => {
    expect(windowCovers({}, {})).toBe(true);
    expect(windowCovers({}, since('2024-01-01T00:00:00Z'))).toBe(true);
    expect(windowCovers(since('2024-01-01T00:00:00Z'), {})).toBe(false);
    expect(windowCovers(since('2024-01-01T00:00:00Z'), since('2024-01-01T00:00:00.000Z'))).toBe(true);
    expect(windowCovers(since('2024-01-01T00:00:00Z'), since('2024-03-01T00:00:00Z'))).toBe(true);
    expect(windowCovers(since('2024-01-01T00:00:00Z'), since('2023-12-31T23:59:59Z'))).toBe(false);
    // Offsets are compared as instants.
    expect(windowCovers(since('2024-01-01T00:00:00Z'), since('2024-01-01T01:00:00+01:00'))).toBe(true);
  });

  it('covers exactly when the wanted window starts no earlier', () => {
    const instant = fc.integer({min: 0, max: 4_000_000_000_000}).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(instant, instant, (done, wanted) => {
        expect(windowCovers(since(done), since(wanted))).toBe(Date.parse(wanted) >= Date.parse(done));
      }),
    );
  });

  it('says what happened and what to do instead', () => {
    expect(alreadyCompletedDetail('a.myshopify.com', '2026-12-07T10:00:00.000Z')).toBe(
      'The initial sync of a.myshopify.com already completed on 2026-12-07T10:00:00.000Z; live sync keeps Mailchimp ' +
        'current since, so nothing was read or sent. To read the shop again and send what differs in Mailchimp, ' +
        'start a resync.',
    );
  });
});
