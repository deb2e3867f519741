import {ClaimPipeline, mayStart, type ClaimPipelineOptions} from './claim-pipeline.js';

interface Item {
  id: string;
  tier: number;
}

/** A queue of due items claimed in order, recording each claim's size. */
function source(items: Item[]) {
  const due = [...items];
  const claims: Array<{asked: number; got: string[]}> = [];
  return {
    claims,
    claim: (limit: number): Promise<Item[]> => {
      const got = due.splice(0, limit);
      claims.push({asked: limit, got: got.map((i) => i.id)});
      return Promise.resolve(got);
    },
    add: (...more: Item[]) => due.push(...more),
  };
}

/** Items that finish when the test says so. */
function gated() {
  const waiting = new Map<string, () => void>();
  const started: string[] = [];
  return {
    started,
    run: (item: Item): Promise<void> => {
      started.push(item.id);
      return new Promise<void>((resolve) => waiting.set(item.id, resolve));
    },
    finish: async (...ids: string[]) => {
      for (const id of ids) {
        const resolve = waiting.get(id);
        if (!resolve) throw new Error(`${id} is not running`);
        waiting.delete(id);
        resolve();
      }
      await flush();
    },
    running: () => [...waiting.keys()],
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const items = (prefix: string, n: number, tier = 0): Item[] =>
  Array.from({length: n}, (_, i) => ({id: `${prefix}${i + 1}`, tier}));

function pipeline(over: Partial<ClaimPipelineOptions<Item>> & Pick<ClaimPipelineOptions<Item>, 'claim' | 'run'>) {
  return new ClaimPipeline<Item>({window: 4, tierOf: (i) => i.tier, ...over});
}

describe('mayStart', () => {
  it('holds an item back only for a lower tier claimed with it or before it', () => {
    expect(mayStart({tier: 1, claim: 2}, [{tier: 0, claim: 2}])).toBe(false);
    expect(mayStart({tier: 1, claim: 2}, [{tier: 0, claim: 1}])).toBe(false);
    expect(mayStart({tier: 1, claim: 2}, [{tier: 0, claim: 3}])).toBe(true);
    expect(mayStart({tier: 1, claim: 2}, [{tier: 1, claim: 1}])).toBe(true);
    expect(mayStart({tier: 0, claim: 2}, [{tier: 1, claim: 1}])).toBe(true);
    expect(mayStart({tier: 2, claim: 1}, [{tier: 1, claim: 1}])).toBe(false);
  });
});

describe('claim pipeline', () => {
  it('holds at most the window and refills as items finish, without waiting for the slowest of a claim', async () => {
    const due = source(items('p', 10));
    const work = gated();
    const done = pipeline({claim: due.claim, run: work.run}).run();
    await flush();
    expect(work.running()).toEqual(['p1', 'p2', 'p3', 'p4']);
    // One item finished: still at the refill mark (half the window), nothing claimed yet.
    await work.finish('p1');
    expect(due.claims).toHaveLength(1);
    // Below half the window: claims what fills it again, while p4, the slowest of the first claim, still runs.
    await work.finish('p2', 'p3');
    expect(due.claims[1]).toEqual({asked: 3, got: ['p5', 'p6', 'p7']});
    expect(work.running()).toEqual(['p4', 'p5', 'p6', 'p7']);
    await work.finish('p4', 'p5', 'p6');
    expect(work.running()).toEqual(['p7', 'p8', 'p9', 'p10']);
    await work.finish('p7', 'p8', 'p9', 'p10');
    expect(await done).toBe(10);
    // A short claim means nothing more was due: the pipeline asked once more only when empty, then stopped.
    expect(due.claims.map((c) => c.got.length)).toEqual([4, 3, 3, 0]);
  });

  it('starts a higher tier only after the lower tiers claimed with or before it, never waiting for later claims', async () => {
    const due = source([
      {id: 'p1', tier: 0},
      {id: 'o1', tier: 1},
      {id: 'p2', tier: 0},
      {id: 'o2', tier: 1},
    ]);
    const work = gated();
    const done = pipeline({claim: due.claim, run: work.run, window: 2, refillBelow: 2}).run();
    await flush();
    expect(work.running()).toEqual(['p1']); // o1 waits for p1, claimed with it
    await work.finish('p1');
    // o1 runs; the refill brought p2 (a later claim: o1 does not wait for it) and later o2, which waits for p2.
    expect(work.started).toEqual(['p1', 'o1', 'p2']);
    await work.finish('o1');
    expect(work.running()).toEqual(['p2']);
    await work.finish('p2');
    expect(work.running()).toEqual(['o2']);
    await work.finish('o2');
    expect(await done).toBe(4);
  });

  it('stops claiming when told to and resolves once the items it holds have finished', async () => {
    const due = source(items('p', 10));
    const work = gated();
    let stopping = false;
    let resolved = false;
    const done = pipeline({claim: due.claim, run: work.run})
      .run(() => stopping)
      .then((n) => {
        resolved = true;
        return n;
      });
    await flush();
    stopping = true;
    await work.finish('p1', 'p2', 'p3');
    expect(resolved).toBe(false);
    expect(due.claims).toHaveLength(1);
    await work.finish('p4');
    expect(await done).toBe(4);
  });

  it('claims again after a short claim once woken (new work arrived)', async () => {
    const due = source(items('p', 2));
    const work = gated();
    const run = pipeline({claim: due.claim, run: work.run});
    const done = run.run();
    await flush();
    expect(due.claims).toHaveLength(1);
    due.add(...items('n', 1));
    run.wake();
    await flush();
    expect(work.running()).toEqual(['p1', 'p2', 'n1']);
    await work.finish('p1', 'p2', 'n1');
    expect(await done).toBe(3);
  });

  it('reports a failing item and goes on; a failed claim is thrown once the held items have finished', async () => {
    let claims = 0;
    const errors: string[] = [];
    const run = pipeline({
      claim: () => {
        claims += 1;
        return claims === 1 ? Promise.resolve(items('p', 2)) : Promise.reject(new Error('database gone'));
      },
      run: (item) => (item.id === 'p1' ? Promise.reject(new Error('boom')) : Promise.resolve()),
      onError: (item, err) => errors.push(`${item.id}: ${(err as Error).message}`),
    });
    await expect(run.run()).rejects.toThrow('database gone');
    expect(errors).toEqual(['p1: boom']);
    expect(run.size).toBe(0);
  });
});
