import type {StoreEvent} from '../model/events.js';

/** What the backfill reads from the store platform, in the order it sends it. */
export type SourcePhase = 'products' | 'customers' | 'promos' | 'orders' | 'carts';

export interface BackfillOptions {
  /** Orders created at or after this time (ISO 8601); older ones are not sent. Undefined: all orders. */
  ordersSince?: string;
}

/** A slice of the store, mapped to canonical events, and where reading stands after it (JSON, opaque). */
export interface SourceChunk {
  events: StoreEvent[];
  /** How many platform records this chunk covers (the unit of the phase's progress total). */
  records: number;
  position: unknown;
}

/**
 * A store platform's history, read phase by phase. `read` resumes from a position an earlier chunk returned, and
 * yields chunks whose events are projected in one transaction with that position, so a crash at any moment resumes
 * exactly after the last chunk that was stored.
 */
export interface BackfillSource {
  /** How many records the phase will read (for progress and ETA); undefined when the platform cannot say. */
  count(phase: SourcePhase, options: BackfillOptions, signal?: AbortSignal): Promise<number | undefined>;
  read(
    phase: SourcePhase,
    position: unknown,
    options: BackfillOptions,
    signal?: AbortSignal,
  ): AsyncIterable<SourceChunk>;
}
