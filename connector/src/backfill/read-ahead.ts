/**
 * A bounded queue between a producer and a consumer that run at their own pace: `put` waits while `capacity` items
 * are waiting, `take` waits while none are. The bound is what keeps memory flat when the producer (a platform's
 * pages or bulk file) is faster than the consumer (projection into the database).
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: Array<() => void> = [];
  private readonly putters: Array<() => void> = [];
  private ended = false;
  private cancelled = false;
  private failure?: {error: unknown};

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('a bounded queue holds at least one item');
  }

  get size(): number {
    return this.items.length;
  }

  /** Adds an item once there is room. False when the consumer cancelled: the producer should stop. */
  async put(item: T): Promise<boolean> {
    while (this.items.length >= this.capacity && !this.cancelled) await new Promise<void>((r) => this.putters.push(r));
    if (this.cancelled) return false;
    if (this.ended) throw new Error('put after the queue was closed');
    this.items.push(item);
    this.takers.shift()?.();
    return true;
  }

  /** The producer has no more items: takers drain what is queued, then see the end. */
  close(): void {
    this.ended = true;
    this.wakeAll();
  }

  /** The producer failed: takers drain what is queued, then get the error. */
  fail(error: unknown): void {
    this.failure ??= {error};
    this.close();
  }

  /** The consumer stops: queued items are dropped and the producer's next put answers false. */
  cancel(): void {
    this.cancelled = true;
    this.items.length = 0;
    this.wakeAll();
  }

  /** The next item, in order; done once the queue is closed and drained; throws the producer's failure. */
  async take(): Promise<IteratorResult<T, undefined>> {
    while (this.items.length === 0 && !this.ended && !this.cancelled)
      await new Promise<void>((r) => this.takers.push(r));
    if (this.items.length > 0) {
      const value = this.items.shift()!;
      this.putters.shift()?.();
      return {done: false, value};
    }
    if (this.failure) throw this.failure.error;
    return {done: true, value: undefined};
  }

  private wakeAll(): void {
    for (const wake of this.takers.splice(0)) wake();
    for (const wake of this.putters.splice(0)) wake();
  }
}

/**
 * Iterates `source` with up to `capacity` items read ahead of the consumer, so that reading the next items (network,
 * parsing) goes on while the consumer works on the current one. Order is kept; the source's error reaches the
 * consumer after the items read before it; a consumer that stops early cancels the reading (the source's
 * `return` runs once its pending read settles).
 */
export async function* readAhead<T>(source: AsyncIterable<T>, capacity: number): AsyncGenerator<T, void, undefined> {
  const queue = new BoundedQueue<T>(capacity);
  const pump = async () => {
    try {
      for await (const item of source) if (!(await queue.put(item))) return;
      queue.close();
    } catch (error) {
      queue.fail(error);
    }
  };
  // Not awaited on the way out: a source blocked in a read (until its abort signal fires) must not hold the consumer.
  void pump();
  try {
    for (;;) {
      const next = await queue.take();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    queue.cancel();
  }
}
