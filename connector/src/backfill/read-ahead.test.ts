import {BoundedQueue, readAhead} from './read-ahead.js';

/** A source that records how far it has been pulled, and can be held before a given item. */
function countingSource(n: number, opts: {failAt?: number} = {}) {
  const state = {produced: 0, returned: false};
  async function* gen(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < n; i++) {
        if (i === opts.failAt) throw new Error(`source failed at ${i}`);
        state.produced = i + 1;
        yield i;
      }
    } finally {
      state.returned = true;
    }
  }
  return {state, source: gen()};
}

const ticks = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('BoundedQueue', () => {
  it('hands items over in order and ends after close', async () => {
    const q = new BoundedQueue<number>(2);
    await q.put(1);
    await q.put(2);
    q.close();
    expect(await q.take()).toEqual({done: false, value: 1});
    expect(await q.take()).toEqual({done: false, value: 2});
    expect(await q.take()).toEqual({done: true, value: undefined});
  });

  it('makes a producer wait while the queue is full', async () => {
    const q = new BoundedQueue<number>(2);
    await q.put(1);
    await q.put(2);
    let third = false;
    const putting = q.put(3).then(() => (third = true));
    await ticks();
    expect(third).toBe(false);
    expect(q.size).toBe(2);
    await q.take();
    await putting;
    expect(third).toBe(true);
    expect(q.size).toBe(2);
  });

  it('gives the failure after the items queued before it', async () => {
    const q = new BoundedQueue<number>(3);
    await q.put(1);
    q.fail(new Error('boom'));
    expect(await q.take()).toEqual({done: false, value: 1});
    await expect(q.take()).rejects.toThrow('boom');
  });

  it('tells a waiting producer to stop when the consumer cancels', async () => {
    const q = new BoundedQueue<number>(1);
    await q.put(1);
    const waiting = q.put(2);
    q.cancel();
    await expect(waiting).resolves.toBe(false);
    expect(await q.take()).toEqual({done: true, value: undefined});
  });

  it('refuses a capacity below one', () => {
    expect(() => new BoundedQueue<number>(0)).toThrow();
  });
});

describe('readAhead', () => {
  it('yields every item in order', async () => {
    const {source} = countingSource(10);
    const seen: number[] = [];
    for await (const item of readAhead(source, 3)) seen.push(item);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads ahead of a slow consumer, but never more than the capacity', async () => {
    const {source, state} = countingSource(100);
    const iterator = readAhead(source, 4)[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({done: false, value: 0});
    await ticks();
    // Item 0 is with the consumer, 4 wait in the queue, and the source is held in the put of the next one.
    expect(state.produced).toBe(6);
    expect(await iterator.next()).toEqual({done: false, value: 1});
    await ticks();
    expect(state.produced).toBe(7);
    await iterator.return(undefined);
  });

  it('passes the source failure on after the items read before it', async () => {
    const {source} = countingSource(10, {failAt: 3});
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source, 2)) seen.push(item);
      })(),
    ).rejects.toThrow('source failed at 3');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('stops reading the source when the consumer stops early', async () => {
    const {source, state} = countingSource(1_000);
    for await (const item of readAhead(source, 2)) if (item === 5) break;
    await ticks();
    expect(state.returned).toBe(true);
    expect(state.produced).toBeLessThan(12);
  });
});
