/**
 * Bytes a group of requests may hold in memory at once (request bodies being buffered). A request takes its share
 * before its body is read and gives it back when its response ends, however it ends; a request that does not fit is
 * answered at once instead of being read. Per process, in memory.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly capacity: number) {}

  /** Takes `bytes` when they fit and returns the (idempotent) release; undefined when they do not fit. */
  take(bytes: number): (() => void) | undefined {
    if (this.used + bytes > this.capacity) return undefined;
    this.used += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
    };
  }

  /** Bytes currently taken. */
  get inUse(): number {
    return this.used;
  }
}
