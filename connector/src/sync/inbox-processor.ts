import type {Logger} from '../logging/logger.js';
import type {StoreEvent} from '../model/events.js';
import {releaseErasedBytes, type Store} from '../store/database.js';
import {
  InboxRepository,
  markInboxFailed,
  markInboxProcessed,
  takePendingInboxEvent,
  type InboxEvent,
} from '../store/inbox-repository.js';
import {recordShopCurrency, type ShopCurrencySource} from '../store/connections-repository.js';
import {clampEventTimes, MAX_CLOCK_SKEW_MS} from './clamp-event-times.js';
import {project, projectionContext} from './projector.js';
import {deliveryTime} from './person-erasure.js';
import type {TombstoneKey} from '../security/tombstone-key.js';
import type {SecretBox} from '../security/secret-box.js';

export type InboxMapResult =
  | {
      ok: true;
      events: StoreEvent[];
      /**
       * The shop's own currency, when the payload states it reliably (a Shopify order's `currency`; a generic-ingest
       * order or product). Recorded with the projection, so it is known before the events' records can be sent.
       */
      shopCurrency?: {currency: string; source: Exclude<ShopCurrencySource, 'admin_api'>};
    }
  | {ok: false; error: string};

/** What mappers know of the connection an event belongs to. */
export interface ShopFacts {
  shopDomain: string;
  /** The currency of the shop's amounts (Shopify product payloads carry prices without one). */
  currency: string;
}

/** Turns one stored inbox event into canonical events; one mapper per source (Shopify, generic ingest, ...). */
export type InboxMapper = (event: InboxEvent, shop: ShopFacts) => InboxMapResult;

export interface InboxProcessorDeps {
  store: Store;
  logger: Logger;
  mappers: Partial<Record<InboxEvent['source'], InboxMapper>>;
  /** Looks up the shop behind a connection (mappers build product URLs and prices from it). */
  shopOf(connectionId: string): Promise<ShopFacts | undefined>;
  now?: () => Date;
  /** Called after events were projected, so the sync worker can start at once. */
  onProjected?: () => void;
  /** Keys the GDPR redaction tombstones (sync/person-erasure.ts). */
  tombstones?: TombstoneKey;
  /** Stored credentials (an uninstall drops the shop's Shopify tokens). */
  box?: SecretBox;
}

/**
 * Drains the inbox in arrival order. Each event is mapped and projected into sync state in one transaction with
 * marking it processed: a crash mid-way leaves the event pending, to be processed again by the next process
 * (projection is idempotent: newer-wins and content hashes make a repeat a no-op).
 */
export class InboxProcessor {
  private running: Promise<void> | undefined;
  private again = false;
  private readonly inbox: InboxRepository;

  constructor(private readonly deps: InboxProcessorDeps) {
    this.inbox = new InboxRepository(deps.store.db);
  }

  /** Processes everything pending; concurrent calls coalesce into one more pass. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.processBatch(200)) > 0) {
            /* keep going until the inbox is empty */
          }
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * Processes up to `limit` pending events; returns how many it handled (events another process took meanwhile are
   * skipped and not counted: when all of them were, the drain stops and the next wake or poll looks again).
   */
  async processBatch(limit: number): Promise<number> {
    const events = await this.inbox.pending(limit);
    let handled = 0;
    for (const event of events) if (await this.processOne(event)) handled += 1;
    if (handled > 0) this.deps.onProjected?.();
    return handled;
  }

  /** False when another process took the event first. */
  private async processOne(event: InboxEvent): Promise<boolean> {
    const now = (this.deps.now?.() ?? new Date()).toISOString();
    const log = this.deps.logger.child({inboxEventId: event.id, source: event.source, topic: event.topic});
    const mapper = this.deps.mappers[event.source];
    const shop = (await this.deps.shopOf(event.connection_id)) ?? {shopDomain: '', currency: 'USD'};
    const mapped: InboxMapResult = mapper
      ? safeMap(mapper, event, shop)
      : {ok: false, error: `no mapper for source ${event.source}`};
    if (!mapped.ok) {
      log.warn({error: mapped.error}, 'inbox event could not be mapped; kept as failed for replay');
      await markInboxFailed(this.deps.store.db, event.id, now, mapped.error);
      return true;
    }
    // Times from outside are clamped here, the one place every source's events pass with their receive time: a
    // consent or version time beyond the receive time (plus a small skew) would win every later newer-wins decision.
    const {events, clamped} = clampEventTimes(mapped.events, event.received_at, MAX_CLOCK_SKEW_MS);
    for (const c of clamped)
      log.warn(
        {field: c.field, given: c.given, clampedTo: c.clampedTo, receivedAt: event.received_at},
        'an event time later than its receipt was clamped',
      );
    const {store} = this.deps;
    let erased = false;
    let taken = true;
    try {
      await store.db.transaction().execute(async (trx) => {
        // Another worker process is projecting it (or has): skip it here.
        if (!(await takePendingInboxEvent(trx, store.engine, event.id))) {
          taken = false;
          return;
        }
        for (const storeEvent of events) {
          const result = await project(
            storeEvent,
            projectionContext(trx, store.engine, {
              connectionId: event.connection_id,
              now,
              inboxEventId: event.id,
              eventAt: deliveryTime(event),
              tombstones: this.deps.tombstones,
              box: this.deps.box,
            }),
          );
          // Throwing rolls back whatever this event projected so far: all of it or nothing.
          if (!result.ok) throw new ProjectionFailure(result.error);
          if (result.erased) erased = true;
          if (result.note) log.info({kind: storeEvent.kind}, result.note);
        }
        // Only the first payload's currency is kept (the Admin API's answer replaces it): see SyncContext.ensureStore.
        if (mapped.shopCurrency)
          await recordShopCurrency(
            trx,
            event.connection_id,
            mapped.shopCurrency.currency,
            mapped.shopCurrency.source,
            now,
          );
        await markInboxProcessed(trx, event.id, now);
      });
      // Personal data was erased (GDPR redaction): SQLite's WAL must not keep the older pages.
      if (erased) await releaseErasedBytes(store.db, store.engine);
    } catch (err) {
      if (!(err instanceof ProjectionFailure)) throw err;
      log.warn({error: err.message}, 'inbox event could not be projected; kept as failed for replay');
      await markInboxFailed(store.db, event.id, now, err.message);
    }
    return taken;
  }
}

class ProjectionFailure extends Error {}

function safeMap(mapper: InboxMapper, event: InboxEvent, shop: ShopFacts): InboxMapResult {
  try {
    return mapper(event, shop);
  } catch (err) {
    return {ok: false, error: `mapper failed: ${err instanceof Error ? err.message : String(err)}`};
  }
}
