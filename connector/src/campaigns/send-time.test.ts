import fc from 'fast-check';
import {checkSendAt} from './send-time.js';

const NOW = new Date('2026-03-01T12:07:30Z');

describe('send_at on the quarter hour', () => {
  it('accepts future quarter hours in any offset and answers them in UTC', () => {
    expect(checkSendAt('2026-03-01T12:15:00Z', NOW)).toEqual({
      ok: true,
      at: new Date('2026-03-01T12:15:00Z'),
      iso: '2026-03-01T12:15:00Z',
    });
    expect(checkSendAt('2026-03-01T18:00+05:30', NOW)).toMatchObject({ok: true, iso: '2026-03-01T12:30:00Z'});
    expect(checkSendAt('2026-03-01T18:30:00.000+05:45', NOW)).toMatchObject({ok: true, iso: '2026-03-01T12:45:00Z'});
  });

  it('refuses other minutes and seconds, naming the nearest quarter hours', () => {
    const off = checkSendAt('2026-03-02T09:50:00Z', NOW);
    expect(off).toEqual({
      ok: false,
      message: expect.stringContaining('the nearest are 2026-03-02T09:45:00.000Z and 2026-03-02T10:00:00.000Z'),
    });
    expect(checkSendAt('2026-03-02T10:00:01Z', NOW).ok).toBe(false);
  });

  it('refuses the past and the present, and what is not a date-time with an offset', () => {
    expect(checkSendAt('2026-03-01T12:00:00Z', NOW)).toEqual({
      ok: false,
      message: expect.stringContaining('the next quarter hour is 2026-03-01T12:15:00.000Z'),
    });
    expect(checkSendAt('2026-03-01 13:00', NOW).ok).toBe(false);
    expect(checkSendAt('2026-03-01T13:00:00', NOW).ok).toBe(false);
    expect(checkSendAt('tomorrow', NOW).ok).toBe(false);
  });

  it('accepts exactly the future instants whose UTC minutes are a multiple of 15 with zero seconds', () => {
    fc.assert(
      fc.property(
        fc.integer({min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z')}),
        (ms) => {
          const rounded = Math.floor(ms / 1000) * 1000;
          const iso = new Date(rounded).toISOString();
          const d = new Date(rounded);
          const quarter = d.getUTCMinutes() % 15 === 0 && d.getUTCSeconds() === 0;
          expect(checkSendAt(iso, NOW).ok).toBe(quarter && rounded > NOW.getTime());
        },
      ),
    );
  });
});
