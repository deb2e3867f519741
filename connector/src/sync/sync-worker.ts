import {randomUUID} from 'node:crypto';
import type {Logger} from '../logging/logger.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import type {ConnectorMetrics} from '../observability/metrics.js';
import type {Store} from '../store/database.js';
import {SyncStateRepository, type EntityKey, type SyncRecord} from '../store/sync-state-repository.js';
import {ClaimPipeline} from './claim-pipeline.js';
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
  /**
   * The most records held at once (claimed and not finished, default 32): refilled as records finish, so the
   * Mailchimp limiter, which bounds what actually runs at once, always has work queued. Choose several times the
   * limiter's maxConcurrent (connector.ts: 8×).
   */
  batchSize?: number;
  /**
   * How long a claim lasts without renewal before another worker may take the record: a crashed process's claims
   * lapse after it. While a record is in flight its worker renews the claim every `heartbeatMs`, so a slow Mailchimp
   * request never outlives its claim; the lease only has to cover a late heartbeat (blocked event loop, slow database).
   */
  leaseMs?: number;
  /** How often the claims of in-flight records are renewed (default: a third of `leaseMs`). */
  heartbeatMs?: number;
  /** Attempts before a record that keeps failing with retryable errors becomes a dead letter. */
  maxAttempts?: number;
  /** Backoff base and cap for per-record retries (exponential with full jitter). */
  retryBaseMs?: number;
  retryCapMs?: number;
  pollMs?: number;
  now?: () => Date;
  /** Only these connections (the rest are paused, e.g. uninstalled). */
  isConnectionActive?: (connectionId: string) => Promise<boolean>;
  /**
   * Set when a Mailchimp 401 (credentials revoked or invalid) pauses the connection instead of failing the record:
   * resolves once the connection is marked reconnect needed (client-registry.ts starts that on the 401). The record
   * is then released without counting an attempt; isConnectionActive keeps it waiting until a reconnect.
   * Without it, a 401 is a terminal failure (dead letter) as before.
   */
  credentialsRefused?: (connectionId: string) => Promise<void>;
  random?: () => number;
  /** Lower tiers are sent before higher tiers claimed with or after them (products before orders). */
  dependencyTier?: (entityType: string) => number;
}

/** Default claim lease: short, so a killed process's records are taken over within seconds; renewed while in flight. */
export const DEFAULT_SYNC_LEASE_MS = 10_000;

/**
 * Drains due sync records: claims them with a lease, runs each through its entity processor concurrently (a
 * continuous pipeline, claim-pipeline.ts: claimed ahead of the Mailchimp limiter and refilled as records finish) and
 * records the outcome. A failing record backs off on its own schedule and never blocks the others.
 */
export class SyncWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly repo: SyncStateRepository;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** The running loop's pipeline, which wake() tells about new work. */
  private pipeline: ClaimPipeline<SyncRecord> | undefined;
  /** Records this worker has claimed and not finished, whose claims the heartbeat renews. */
  private readonly inFlight = new Map<string, EntityKey>();
  private heartbeat: NodeJS.Timeout | undefined;
  private renewing = false;
  private lastRenewal = 0;

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

  /** New work arrived: the running pipeline claims it at its next refill, or a pipeline starts now. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      this.pipeline?.wake();
      return;
    }
    this.schedule(0);
  }

  /** Processes until nothing is due; resolves when idle. For tests and the CLI. */
  async drain(): Promise<void> {
    await this.runPipeline({});
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.again = false;
      this.running = this.loop().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.again ? 0 : (this.options.pollMs ?? 250));
        this.again = false;
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Keeps the pipeline running until nothing is due (or stop()); the next poll starts another. */
  private async loop(): Promise<void> {
    try {
      await this.runPipeline({stopping: () => this.stopped, wakeable: true});
    } catch (err) {
      this.options.logger.error({err}, 'sync round failed');
    }
  }

  /**
   * One claim, its records run by dependency tier; returns how many records it handled. For tests that step the
   * worker one claim at a time (the running worker and drain() keep claiming as records finish).
   */
  async round(): Promise<number> {
    let claimed = false;
    return this.runPipeline({
      claim: async (limit) => {
        if (claimed) return [];
        claimed = true;
        return this.claim(limit);
      },
    });
  }

  /**
   * Runs a claim pipeline (claim-pipeline.ts) over this worker's records: up to `batchSize` held at once, refilled
   * as they finish, lower tiers first among what was claimed with or before them. `wakeable`: the pipeline wake()
   * tells about new work (the loop's).
   */
  private async runPipeline(run: {
    stopping?: () => boolean;
    wakeable?: boolean;
    claim?: (limit: number) => Promise<SyncRecord[]>;
  }): Promise<number> {
    const pipeline = new ClaimPipeline<SyncRecord>({
      window: this.options.batchSize ?? 32,
      claim: run.claim ?? ((limit) => this.claim(limit)),
      run: (record) => this.handle(record).finally(() => this.letGo(record)),
      tierOf: (record) => this.options.dependencyTier?.(record.entity_type) ?? 0,
      onError: (record, err) =>
        this.options.logger.error({err, entity: record.entity_type, id: record.entity_id}, 'sync record failed'),
    });
    if (run.wakeable) this.pipeline = pipeline;
    try {
      return await pipeline.run(run.stopping);
    } finally {
      if (this.pipeline === pipeline) this.pipeline = undefined;
    }
  }

  /** Claims up to `limit` due records with a lease; their claims are renewed until each finishes. */
  private async claim(limit: number): Promise<SyncRecord[]> {
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs()).toISOString();
    const claimed = await this.repo.claimDue(this.id, limit, now.toISOString(), leaseUntil);
    this.hold(claimed);
    return claimed;
  }

  private leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_SYNC_LEASE_MS;
  }

  /** Starts renewing the claims of these records (one heartbeat for all of this worker's in-flight records). */
  private hold(records: SyncRecord[]): void {
    for (const r of records)
      this.inFlight.set(claimKey(r), {connectionId: r.connection_id, entityType: r.entity_type, entityId: r.entity_id});
    if (this.inFlight.size === 0 || this.heartbeat) return;
    this.lastRenewal = Date.now();
    const every = Math.max(1, this.options.heartbeatMs ?? Math.floor(this.leaseMs() / 3));
    this.heartbeat = setInterval(() => void this.renew(), every);
    this.heartbeat.unref();
  }

  private letGo(record: SyncRecord): void {
    this.inFlight.delete(claimKey(record));
    if (this.inFlight.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  /**
   * Extends the claims this worker still holds (`claimed_by` = its id) by a lease from now. A claim that lapsed
   * before this ran late and that another worker took meanwhile is not taken back: that worker's outcome counts,
   * this one's is discarded (markSynced/markRetry check `claimed_by`).
   */
  private async renew(): Promise<void> {
    if (this.renewing || this.inFlight.size === 0) return;
    this.renewing = true;
    const keys = [...this.inFlight.values()];
    const sinceLast = Date.now() - this.lastRenewal;
    if (sinceLast > this.leaseMs())
      this.options.logger.warn(
        {sinceLastMs: sinceLast, leaseMs: this.leaseMs()},
        'lease heartbeat late: claims may have lapsed and been taken over',
      );
    try {
      const leaseUntil = new Date(this.now().getTime() + this.leaseMs()).toISOString();
      const renewed = await this.repo.renewClaims(this.id, keys, leaseUntil);
      this.lastRenewal = Date.now();
      const stillHeld = keys.filter((k) => this.inFlight.has(claimKey(k))).length;
      // Fewer is normal when a record finished between the snapshot and the UPDATE; otherwise a claim was lost.
      if (renewed < stillHeld)
        this.options.logger.debug({renewed, inFlight: stillHeld}, 'lease heartbeat: fewer renewed');
    } catch (err) {
      this.options.logger.warn({err}, 'lease heartbeat failed; retried at the next beat');
    } finally {
      this.renewing = false;
    }
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
      // Mailchimp refused the connection's credentials: not this record's fault. It waits, its attempts untouched,
      // while the connection is reconnect needed (the one warning is logged where the connection is marked). The
      // short delay: when the mark found newer credentials (a reconnect meanwhile), the record goes out with them.
      if (this.options.credentialsRefused && isMailchimpError(err, 'auth') && err.status === 401) {
        await this.options.credentialsRefused(record.connection_id);
        log.debug({route: err.route}, 'Mailchimp refused the credentials; waiting for a reconnect');
        await this.repo.release(key, this.id, new Date(this.now().getTime() + 1000).toISOString());
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

function claimKey(k: SyncRecord | EntityKey): string {
  return 'connection_id' in k
    ? JSON.stringify([k.connection_id, k.entity_type, k.entity_id])
    : JSON.stringify([k.connectionId, k.entityType, k.entityId]);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
