import {RequestRecorder} from './recorder.js';

describe('request recorder: the in-flight gauge', () => {
  it('integrates the requests in flight over time and notes when the last one left', () => {
    let now = 1_000;
    const recorder = new RequestRecorder(false, 10, () => now);
    recorder.enter(); // t=0: 1 in flight
    now += 100;
    recorder.enter(); // t=100: 2
    now += 100;
    recorder.leave(); // t=200: 1
    now += 50;
    recorder.leave(); // t=250: 0
    now += 1_000; // idle afterwards adds nothing
    const stats = recorder.stats();
    expect(stats.inFlightMs).toBe(100 * 1 + 100 * 2 + 50 * 1);
    expect(stats.activeMs).toBe(250);
    expect(stats.maxInFlight).toBe(2);
    // Mean in flight over the active span: 350 / 250.
    expect(stats.inFlightMs / stats.activeMs).toBeCloseTo(1.4);
  });

  it('starts over at a reset, counting what is still in flight from then on', () => {
    let now = 0;
    const recorder = new RequestRecorder(false, 10, () => now);
    recorder.enter();
    now = 500;
    recorder.resetStats();
    expect(recorder.stats()).toMatchObject({inFlightMs: 0, activeMs: 0, maxInFlight: 1});
    now = 600;
    recorder.leave();
    expect(recorder.stats()).toMatchObject({inFlightMs: 100, activeMs: 100});
  });
});
