/**
 * An account's connection budget within one process: at most `size` jobs at once, the rest queued first come first
 * served. A finishing job hands its slot straight to the next queued one, in the same tick: Bottleneck's in-memory
 * store yields a timer tick for each of its free, register and run steps, which at 100 ms a request left a slot idle
 * for several milliseconds after each one (about 15 % of the budget on a busy machine; bench/budget.bench.ts).
 */
export class SlotSemaphore {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error('size must be a positive integer');
  }

  /** Jobs running now. */
  get inUse(): number {
    return this.running;
  }

  /** Jobs waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  async schedule<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running += 1;
    // The slot is handed over by the job that frees it (release), `running` unchanged.
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running -= 1;
  }
}
