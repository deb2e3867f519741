/**
 * A continuous claim-and-run pipeline: keeps up to `window` claimed items held (claimed and not finished), runs each
 * as soon as its dependencies allow, and claims more as items finish, instead of claiming a batch and waiting for
 * its slowest item before claiming again. What actually runs at once is bounded further down (the Mailchimp limiter):
 * holding more items than the limiter admits keeps the limiter's queue fed, so no connection idles at the tail of a
 * batch or while the next claim is on its way.
 */
export interface ClaimPipelineOptions<T> {
  /** Claims up to `limit` due items; fewer (or none) when fewer are due. */
  claim(limit: number): Promise<T[]>;
  /** Runs one item to its outcome. A rejection is reported to `onError`; it never stops the pipeline. */
  run(item: T): Promise<void>;
  /** Items of a lower tier claimed in the same or an earlier claim run before those of a higher tier. */
  tierOf(item: T): number;
  /** The most items held at once. */
  window: number;
  /** Claim more once fewer than this are held (default: half the window, so a claim fetches at least half of it). */
  refillBelow?: number;
  onError?(item: T, err: unknown): void;
}

/** Where a held item stands in the dependency order: its tier and which claim brought it. */
export interface TierPosition {
  tier: number;
  claim: number;
}

/**
 * Whether an item may start while `unfinished` items are held: not while an item of a lower tier claimed with it or
 * before it is still unfinished (an order waits for the products claimed with it; it would otherwise be sent back
 * to wait for them, entity-types.ts dependencyTier). Items claimed later never hold back one claimed earlier.
 */
export function mayStart(candidate: TierPosition, unfinished: Iterable<TierPosition>): boolean {
  for (const other of unfinished) if (other.tier < candidate.tier && other.claim <= candidate.claim) return false;
  return true;
}

interface Held<T> extends TierPosition {
  item: T;
  started: boolean;
}

/** One run of the pipeline (a worker's loop, a drain, a round); not reused after `run()` resolves. */
export class ClaimPipeline<T> {
  private readonly held = new Set<Held<T>>();
  private readonly refillBelow: number;
  private claims = 0;
  private woken = false;
  private notify: (() => void) | undefined;

  constructor(private readonly options: ClaimPipelineOptions<T>) {
    if (!Number.isInteger(options.window) || options.window < 1) throw new Error('window must be a positive integer');
    this.refillBelow = Math.max(1, Math.min(options.window, options.refillBelow ?? Math.ceil(options.window / 2)));
  }

  /** Items held now (claimed, running or waiting for their tier). */
  get size(): number {
    return this.held.size;
  }

  /** New work may be due: claim as soon as the window has room, even though the last claim came back short. */
  wake(): void {
    this.woken = true;
    this.signal();
  }

  /**
   * Claims and runs until nothing is due and nothing is held, or until `stopping()` answers true: then it claims no
   * more and resolves once what it holds has finished. Resolves with how many items it claimed. A failed claim stops
   * claiming too; the error is thrown once the held items have finished.
   */
  async run(stopping: () => boolean = () => false): Promise<number> {
    let total = 0;
    // The last claim came back short: nothing more is due now, so do not ask again until the pipeline is empty or
    // woken (a claim per finished item would be a database round trip for nothing). Woken, it claims as soon as the
    // window has room: new live work should not wait for the refill mark.
    let short = false;
    let failure: {err: unknown} | undefined;
    for (;;) {
      const held = this.held.size;
      const wanted = held === 0 || (held < this.refillBelow && !short) || (this.woken && held < this.options.window);
      if (wanted && !failure && !stopping()) {
        this.woken = false;
        const limit = this.options.window - this.held.size;
        let claimed: T[] = [];
        try {
          claimed = await this.options.claim(limit);
        } catch (err) {
          failure = {err};
        }
        short = claimed.length < limit;
        total += claimed.length;
        this.admit(claimed);
        if (this.held.size === 0 && (claimed.length === 0 || failure)) break;
        continue;
      }
      if (this.held.size === 0) break;
      await new Promise<void>((resolve) => (this.notify = resolve));
    }
    if (failure) throw failure.err;
    return total;
  }

  private admit(items: T[]): void {
    if (items.length === 0) return;
    const claim = ++this.claims;
    for (const item of items) this.held.add({item, tier: this.options.tierOf(item), claim, started: false});
    this.startReady();
  }

  /** Starts every held item whose tier allows it, in claim order. */
  private startReady(): void {
    for (const held of this.held) {
      if (held.started || !mayStart(held, this.held)) continue;
      held.started = true;
      void this.options
        .run(held.item)
        .catch((err: unknown) => this.options.onError?.(held.item, err))
        .finally(() => {
          this.held.delete(held);
          this.startReady();
          this.signal();
        });
    }
  }

  private signal(): void {
    const notify = this.notify;
    this.notify = undefined;
    notify?.();
  }
}
