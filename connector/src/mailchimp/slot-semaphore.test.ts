import {SlotSemaphore} from './slot-semaphore.js';

/** A job that runs until the test finishes it. */
function job(log: string[], name: string) {
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const run = () => {
    log.push(`${name} started`);
    return new Promise<string>((resolve, reject) => {
      finish = () => resolve(name);
      fail = reject;
    });
  };
  return {run, finish: () => finish(), fail: (err: Error) => fail(err)};
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('slot semaphore', () => {
  it('runs at most `size` jobs at once, the others first come first served', async () => {
    const log: string[] = [];
    const slots = new SlotSemaphore(2);
    const jobs = ['a', 'b', 'c', 'd'].map((n) => job(log, n));
    const results = jobs.map((j) => slots.schedule(j.run));
    await flush();
    expect(log).toEqual(['a started', 'b started']);
    expect([slots.inUse, slots.waiting]).toEqual([2, 2]);
    jobs[1]!.finish();
    await flush();
    expect(log).toEqual(['a started', 'b started', 'c started']);
    expect([slots.inUse, slots.waiting]).toEqual([2, 1]);
    jobs[0]!.finish();
    jobs[2]!.finish();
    await flush();
    jobs[3]!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([slots.inUse, slots.waiting]).toEqual([0, 0]);
  });

  it('frees the slot of a failed job and passes the failure on', async () => {
    const log: string[] = [];
    const slots = new SlotSemaphore(1);
    const failing = job(log, 'a');
    const next = job(log, 'b');
    const first = slots.schedule(failing.run);
    const second = slots.schedule(next.run);
    await flush();
    failing.fail(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await flush();
    expect(log).toEqual(['a started', 'b started']);
    next.finish();
    await expect(second).resolves.toBe('b');
    expect(slots.inUse).toBe(0);
  });
});
