import {randomUUID} from 'node:crypto';
import type {Logger} from '../logging/logger.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import type {ConnectorMetrics} from '../observability/metrics.js';
import type {Store} from '../store/database.js';
import {SyncStateRepository, type SyncRecord} from '../store/sync-state-repository.js';
import {decodeDesired} from './desired-decoders.js';

/** What an entity processor reports back for one record. Thrown MailchimpErrors are classified by the worker. */
export type ProcessOutcome =
  /** Mailchimp holds the desired state. */
  | {kind: 'synced'}
  /** Not now and not a failure (a dependency is still on its way): try again after the delay, no attempt counted. */
  | {kind: 'wait'; reason: string; delayMs: number}
  /** A terminal problem the processor recognised itself. */
  | {kind: 'dead'; problem: unknown};

/**
 * Thrown by shared preparation (e.g. the Mailchimp store waiting for the shop's currency) when a record cannot be
 * sent yet and nothing failed: the worker treats it like a `wait` outcome (released for `delayMs`, no attempt counted).
 */
export class NotReadyYet extends Error {
  constructor(
    readonly reason: string,
    readonly delayMs: number,
  ) {
    super(reason);
    this.name = 'NotReadyYet';
  }
}

/**
 * Sends one kind of entity. One per entity type, chosen from a table. `desired` is the record's desired state,
 * decoded once by the worker (desired-decoders.ts); processors do not parse `record.desired` themselves.
 */
export interface EntityProcessor<T = unknown> {
  process(record: SyncRecord, desired: T): Promise<ProcessOutcome>;
}

export interface SyncWorkerOptions {
  store: Store;
  logger: Logger;
  processors: Record<string, EntityProcessor>;
  metrics?: ConnectorMetrics;
  /** Records claimed per round; the Mailchimp limiter bounds what actually runs at once. */
  batchSize?: number;
  /** How long a claim lasts before another worker may take the record (a crashed worker's claims expire). */
  leaseMs?: number;
  /** Attempts before a record that keeps failing with retryable errors becomes a dead letter. */
  maxAttempts?: number;
  /** Backoff base and cap for per-record retries (exponential with full jitter). */
  retryBaseMs?: number;
  retryCapMs?: number;
  pollMs?: number;
  now?: () => Date;
  /** Only these connections (the rest are paused, e.g. uninstalled). */
  isConnectionActive?: (connectionId: string) => Promise<boolean>;
  random?: () => number;
  /** Records of a lower tier are sent before those of a higher tier claimed in the same round (products before orders). */
  dependencyTier?: (entityType: string) => number;
}

/**
 * Drains due sync records: claims a batch with a lease, runs each through its entity processor concurrently and
 * records the outcome. A failing record backs off on its own schedule and never blocks the others.
 */
export class SyncWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly repo: SyncStateRepository;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: SyncWorkerOptions) {
    this.repo = new SyncStateRepository(options.store.db, options.store.engine);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Run a round now (new work arrived). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Processes until nothing is due; resolves when idle. For tests and the CLI. */
  async drain(): Promise<void> {
    while ((await this.round()) > 0) {
      /* until idle */
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.loop().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.again ? 0 : (this.options.pollMs ?? 250));
        this.again = false;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped && (await this.round()) > 0) {
        /* keep draining */
      }
    } catch (err) {
      this.options.logger.error({err}, 'sync round failed');
    }
  }

  /** One claim-and-process round; returns how many records it handled. */
  async round(): Promise<number> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 5 * 60_000)).toISOString();
    const claimed = await this.repo.claimDue(this.id, this.options.batchSize ?? 32, now.toISOString(), leaseUntil);
    const tierOf = this.options.dependencyTier ?? (() => 0);
    const tiers = [...new Set(claimed.map((r) => tierOf(r.entity_type)))].sort((a, b) => a - b);
    for (const tier of tiers) {
      await Promise.all(claimed.filter((r) => tierOf(r.entity_type) === tier).map((record) => this.handle(record)));
    }
    return claimed.length;
  }

  private async handle(record: SyncRecord): Promise<void> {
    const key = {connectionId: record.connection_id, entityType: record.entity_type, entityId: record.entity_id};
    const log = this.options.logger.child({entity: record.entity_type, id: record.entity_id});
    const now = () => this.now().toISOString();
    if (this.options.isConnectionActive && !(await this.options.isConnectionActive(record.connection_id))) {
      await this.repo.release(key, this.id, new Date(this.now().getTime() + 60_000).toISOString());
      return;
    }
    const processor = this.options.processors[record.entity_type];
    if (!processor) {
      await this.repo.markDead(
        key,
        this.id,
        JSON.stringify({title: 'No processor', detail: `nothing sends ${record.entity_type} records`}),
        now(),
      );
      return;
    }
    try {
      const outcome = await processor.process(record, decodeDesired(record.entity_type, record.desired));
      if (outcome.kind === 'synced') {
        await this.repo.markSynced(key, this.id, record.desired_hash, record.desired, now());
        this.options.metrics?.syncLatency.observe(
          {entity_type: record.entity_type},
          Math.max(0, (Date.parse(now()) - Date.parse(record.updated_at)) / 1000),
        );
      } else if (outcome.kind === 'wait') {
        log.debug({reason: outcome.reason}, 'waiting');
        await this.repo.release(key, this.id, new Date(this.now().getTime() + outcome.delayMs).toISOString());
      } else {
        log.warn({problem: outcome.problem}, 'dead letter');
        this.options.metrics?.deadLetters.inc({entity_type: record.entity_type});
        await this.repo.markDead(key, this.id, JSON.stringify(outcome.problem), now());
      }
    } catch (err) {
      if (err instanceof NotReadyYet) {
        log.debug({reason: err.reason}, 'waiting');
        await this.repo.release(key, this.id, new Date(this.now().getTime() + err.delayMs).toISOString());
        return;
      }
      await this.recordFailure(record, err, log);
    }
  }

  private async recordFailure(record: SyncRecord, err: unknown, log: Logger): Promise<void> {
    const key = {connectionId: record.connection_id, entityType: record.entity_type, entityId: record.entity_id};
    const now = this.now();
    const maxAttempts = this.options.maxAttempts ?? 12;
    // Retryable Mailchimp failures and unexpected errors (bugs, database hiccups) back off; Mailchimp's terminal
    // answers become dead letters with the problem document at once.
    const retryable = isMailchimpError(err) ? err.retryable : true;
    const problem = isMailchimpError(err)
      ? err.toJSON()
      : {title: 'Unexpected error', detail: err instanceof Error ? err.message : String(err)};
    if (!retryable || record.attempts + 1 >= maxAttempts) {
      log.warn({problem}, 'dead letter');
      this.options.metrics?.deadLetters.inc({entity_type: record.entity_type});
      await this.repo.markDead(key, this.id, JSON.stringify(problem), now.toISOString());
      return;
    }
    const base = this.options.retryBaseMs ?? 1000;
    const cap = this.options.retryCapMs ?? 10 * 60_000;
    const delay = Math.round((this.options.random ?? Math.random)() * Math.min(cap, base * 2 ** record.attempts));
    log.info({attempt: record.attempts + 1, delayMs: delay, error: errorText(err)}, 'sync failed; retrying later');
    this.options.metrics?.retries.inc({entity_type: record.entity_type});
    await this.repo.markRetry(
      key,
      this.id,
      errorText(err),
      new Date(now.getTime() + delay).toISOString(),
      now.toISOString(),
    );
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
