import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import {randomUUID} from 'node:crypto';
import type {Logger} from '../logging/logger.js';
import type {Connection} from '../store/connections-repository.js';
import type {Store} from '../store/database.js';
import type {BackfillRunsTable} from '../store/schema.js';
import {BackfillRunsRepository} from '../store/backfill-runs-repository.js';
import type {SyncStateRepository} from '../store/sync-state-repository.js';
import {ENTITY, PRIORITY, type EntityType} from '../sync/entity-types.js';
import type {MemberProcessor} from '../sync/processors/member-processor.js';
import type {ConnectionTarget, SyncContext} from '../sync/processors/sync-context.js';
import {project, projectionContext} from '../sync/projector.js';
import {refreshMembers} from '../sync/member-state.js';
import {PeopleRepository} from '../store/people-repository.js';
import type {BatchRunnerOptions} from '../mailchimp/batch/batch-runner.js';
import type {BackfillOptions, BackfillSource, SourcePhase} from './backfill-source.js';
import {BackfillBatchSender, emptyCounts, type SendCounts} from './batch-sender.js';
import {MemberSnapshot} from './member-snapshot.js';
import {MailchimpVerifier} from './mailchimp-verify.js';
import {BackfillScratchRepository} from './backfill-scratch-repository.js';
import {windowCovers} from './finished-run.js';
import {readAhead} from './read-ahead.js';

/**
 * The initial sync, in DESIGN.md's order: store `is_syncing: true` → products → customers → promos → orders →
 * members (consent and purchase tags, decided against a snapshot of the audience once every order is in) →
 * `is_syncing: false` → carts (after, so abandoned-cart automations only see carts once the store is live).
 */
export const PHASES = [
  'store_syncing_on',
  'products',
  'customers',
  'promos',
  'orders',
  'verify',
  'members',
  'store_syncing_off',
  'carts',
  'done',
] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Which phases a kind of run goes through. A resync reads the store again (only changed records are queued, by
 * hash), then compares what Mailchimp holds with local state (`verify`) and re-sends only what is missing there or
 * differs; carts are left to live sync.
 */
export function phasesOf(kind: 'backfill' | 'resync'): readonly Phase[] {
  return kind === 'backfill' ? PHASES.filter((p) => p !== 'verify') : PHASES.filter((p) => p !== 'carts');
}

const SENDS: Partial<Record<Phase, EntityType[]>> = {
  products: [ENTITY.product],
  customers: [ENTITY.customer],
  promos: [ENTITY.promo],
  orders: [ENTITY.order],
  members: [ENTITY.member],
  carts: [ENTITY.cart],
};

export interface PhaseProgress {
  /** Records the platform says the phase has (undefined: unknown). */
  total?: number;
  /** Records read and stored so far. */
  read: number;
  sent: number;
  nothing: number;
  handedToLive: number;
  failedOperations: number;
  operations: number;
  batches: number;
  /** Resync only: records Mailchimp no longer held, created again. */
  missing?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface BackfillRun {
  id: string;
  connectionId: string;
  kind: 'backfill' | 'resync';
  status: BackfillRunsTable['status'];
  phase: Phase;
  progress: Partial<Record<Phase, PhaseProgress>>;
  options: BackfillOptions;
  error?: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Mailchimp requests this process made while the run was active (batches, polls, snapshot pages, live hand-overs). */
  mailchimpRequests: number;
  /** Dead letters recorded for the connection since the run started. */
  deadLetters: number;
}

export interface BackfillServiceOptions {
  store: Store;
  syncState: SyncStateRepository;
  ctx: SyncContext;
  members: MemberProcessor;
  logger: Logger;
  /** The platform reader for a connection (undefined: the platform pushes its history itself, e.g. generic ingest). */
  sourceFor: (connection: Connection) => BackfillSource | undefined | Promise<BackfillSource | undefined>;
  /** Orders window when a start request names none (days back from now). */
  defaultOrdersDays?: number;
  now?: () => Date;
  runner?: BatchRunnerOptions;
  chunkSize?: number;
  /**
   * Sender rounds (claim, plan, batches, results) in flight at once: the next round's batches are queued at
   * Mailchimp while the previous ones are processed or their results read, so Mailchimp is never idle between rounds.
   */
  roundsInFlight?: number;
  /** Chunks the platform reader may read ahead of projection (bounded: memory stays flat). */
  readAheadChunks?: number;
  /** Pause between sender rounds when nothing is due (ms). */
  idleMs?: number;
  leaseMs?: number;
  /**
   * Whether this process drives runs (default true). False in a web process (ROLE=web): start() creates or resumes
   * the run and leaves it without an owner, for a worker's resumeAbandoned to take.
   */
  driveRuns?: boolean;
  /** How long `is_syncing` waits for entities handed to the live worker before it is cleared anyway (ms). */
  handOverWaitMs?: number;
  onProgress?: (run: BackfillRun) => void;
}

/**
 * What a start did: `started` a new run, `resumed` a failed or interrupted one, found it `running` (here or in
 * another process), or found the initial sync `already_completed` (nothing read or sent; a resync reads again).
 */
export type BackfillStartOutcome = 'started' | 'resumed' | 'running' | 'already_completed';

export interface BackfillStart {
  run: BackfillRun;
  outcome: BackfillStartOutcome;
}

class Cancelled extends Error {}

/** Starts, resumes and reports backfill runs; one active run per connection, leased so one process drives it. */
export class BackfillService {
  private readonly workerId = `backfill-${randomUUID()}`;
  private readonly active = new Map<string, {abort: AbortController; done: Promise<void>}>();
  private readonly requests = new Map<string, number>();
  private readonly snapshot: MemberSnapshot;
  private readonly sender: BackfillBatchSender;
  private readonly verifier: MailchimpVerifier;
  private stopped = false;
  private readonly runs: BackfillRunsRepository;

  constructor(private readonly options: BackfillServiceOptions) {
    this.runs = new BackfillRunsRepository(options.store.db);
    this.snapshot = new MemberSnapshot(options.store.db);
    this.verifier = new MailchimpVerifier(
      options.syncState,
      new BackfillScratchRepository(options.store.db),
      options.ctx,
      () => options.now?.() ?? new Date(),
    );
    this.sender = new BackfillBatchSender({
      syncState: options.syncState,
      db: options.store.db,
      ctx: options.ctx,
      members: options.members,
      snapshot: this.snapshot,
      logger: options.logger,
      workerId: this.workerId,
      chunkSize: options.chunkSize,
      // A round's results are read as soon as its batches finish: polls stop growing at a few seconds (each is one
      // light request; a 30-second step could leave finished batches unread, and the next round waiting, that long).
      runner: {pollMaxMs: 4_000, ...options.runner},
      now: options.now,
    });
  }

  /** Counts a Mailchimp request against every run this process drives. */
  noteMailchimpCall(): void {
    for (const id of this.active.keys()) this.requests.set(id, (this.requests.get(id) ?? 0) + 1);
  }

  /**
   * Starts a backfill for the connection, or resumes its unfinished one (running elsewhere with a lapsed lease,
   * failed, or interrupted): a restart continues where the last stored chunk stopped. A backfill whose last run
   * completed (covering the orders window asked for) is not read again: that run is the answer. A resync always runs.
   */
  async start(
    connection: Connection,
    kind: 'backfill' | 'resync' = 'backfill',
    runOptions: BackfillOptions = {},
  ): Promise<BackfillStart> {
    const days = this.options.defaultOrdersDays;
    if (runOptions.ordersSince === undefined && days !== undefined)
      runOptions = {...runOptions, ordersSince: new Date(Date.parse(this.nowIso()) - days * 86_400_000).toISOString()};
    const now = this.nowIso();
    const unfinished = await this.runs.unfinished(connection.id);
    if (!unfinished && kind === 'backfill') {
      // Asked before the platform reader is built: an answer from the database only, no request to the shop.
      const completed = await this.runs.lastCompleted(connection.id, 'backfill');
      if (completed && windowCovers(JSON.parse(completed.options) as BackfillOptions, runOptions))
        return {run: await this.view(completed.id), outcome: 'already_completed'};
    }
    if (!(await this.options.sourceFor(connection)))
      throw new BackfillUnavailable(
        `${connection.shopDomain} has no platform API to read history from (SHOPIFY_ACCESS_TOKEN)`,
      );
    let id: string;
    let outcome: BackfillStartOutcome;
    if (unfinished) {
      id = unfinished.id;
      if (this.active.has(id)) return {run: await this.view(id), outcome: 'running'};
      if (
        unfinished.status === 'running' &&
        unfinished.owner !== this.workerId &&
        unfinished.lease_until !== null &&
        unfinished.lease_until > now
      )
        return {run: await this.view(id), outcome: 'running'};
      await this.runs.resume(id, now);
      outcome = 'resumed';
    } else {
      outcome = 'started';
      id = randomUUID();
      await this.runs.create({
        id,
        connection_id: connection.id,
        kind,
        status: 'running',
        phase: PHASES[0],
        position: '{}',
        progress: '{}',
        options: JSON.stringify(runOptions),
        error: null,
        owner: null,
        lease_until: null,
        started_at: now,
        updated_at: now,
        finished_at: null,
      });
    }
    await this.drive(id);
    return {run: await this.view(id), outcome};
  }

  /** At start-up: takes over runs whose process died (lease lapsed). */
  async resumeAbandoned(): Promise<string[]> {
    const now = this.nowIso();
    const ids = await this.runs.abandoned(now);
    for (const id of ids) await this.drive(id);
    return ids;
  }

  async view(id: string): Promise<BackfillRun> {
    const row = await this.runs.get(id);
    const dead = await this.options.syncState.deadLettersSince(row.connection_id, row.started_at);
    return {
      id: row.id,
      connectionId: row.connection_id,
      kind: row.kind,
      status: row.status,
      phase: row.phase as Phase,
      progress: JSON.parse(row.progress) as BackfillRun['progress'],
      options: JSON.parse(row.options) as BackfillOptions,
      error: row.error ?? undefined,
      startedAt: row.started_at,
      updatedAt: row.updated_at,
      finishedAt: row.finished_at ?? undefined,
      mailchimpRequests: this.requests.get(row.id) ?? 0,
      deadLetters: dead,
    };
  }

  /** The connection's newest run (any status), if it ever had one: the shop's page. */
  async latestOf(connectionId: string): Promise<BackfillRun | undefined> {
    const row = await this.runs.newestOf(connectionId);
    return row && this.view(row.id);
  }

  async list(): Promise<BackfillRun[]> {
    const ids = await this.runs.newest(50);
    return Promise.all(ids.map((id) => this.view(id)));
  }

  /** Resolves when the run this process drives finishes (or at once when it drives none). */
  async wait(id: string): Promise<BackfillRun> {
    await this.active.get(id)?.done;
    return this.view(id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const {abort} of this.active.values()) abort.abort(new Cancelled('connector stopping'));
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  private async drive(id: string): Promise<void> {
    if (this.active.has(id) || this.stopped || this.options.driveRuns === false) return;
    const now = this.nowIso();
    const leaseUntil = new Date(Date.parse(now) + (this.options.leaseMs ?? 60_000)).toISOString();
    // Take the lease only if nobody else holds it (another process may be driving the run).
    if (!(await this.runs.takeLease(id, this.workerId, leaseUntil, now))) return;
    // Claims of a process that died with batches in flight would hold rows for the sender's lease: the run's new
    // owner takes them back. Operations Mailchimp did finish come back as duplicates, which the live worker
    // turns into updates (ids are the store's own), so nothing is doubled.
    const run = await this.runs.get(id);
    await this.options.syncState.releaseBackfillClaims(run.connection_id);
    const abort = new AbortController();
    const done = this.run(id, abort.signal)
      .catch(async (error: unknown) => {
        if (error instanceof Cancelled || abort.signal.aborted) {
          // Stays `running` with its lease released: the next process resumes it at once.
          await this.runs.releaseLease(id, this.workerId).catch(() => undefined);
          return;
        }
        this.options.logger.error({err: error, run: id}, 'backfill failed');
        await this.runs.fail(id, runError(error), this.nowIso());
      })
      .finally(() => this.active.delete(id));
    this.active.set(id, {abort, done});
  }

  private async run(id: string, signal: AbortSignal): Promise<void> {
    const heartbeat = setInterval(
      () => {
        const at = this.nowIso();
        void this.runs
          .renewLease(id, this.workerId, new Date(Date.parse(at) + (this.options.leaseMs ?? 60_000)).toISOString())
          .catch(() => undefined);
      },
      Math.max(1_000, (this.options.leaseMs ?? 60_000) / 3),
    );
    heartbeat.unref();
    try {
      const row = await this.runs.get(id);
      const connection = await this.options.ctx.options.connections.byId(row.connection_id);
      if (!connection) throw new Error(`connection ${row.connection_id} no longer exists`);
      const source = await this.options.sourceFor(connection);
      if (!source) throw new BackfillUnavailable(`${connection.shopDomain} has no platform API to read history from`);
      const target = await this.options.ctx.storeTarget(connection.id);
      const runOptions = JSON.parse(row.options) as BackfillOptions;
      const phases = phasesOf(row.kind);
      for (let p = Math.max(0, phases.indexOf(row.phase as Phase)); p < phases.length; p++) {
        const phase = phases[p]!;
        if (signal.aborted) throw new Cancelled('stopped');
        await this.runPhase(id, phase, {target, source, runOptions, signal});
        const next = phases[p + 1];
        const at = this.nowIso();
        if (next) {
          await this.runs.advance(id, next, at);
        } else {
          await this.runs.complete(id, at);
        }
        this.options.onProgress?.(await this.view(id));
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async runPhase(
    id: string,
    phase: Phase,
    env: {target: ConnectionTarget; source: BackfillSource; runOptions: BackfillOptions; signal: AbortSignal},
  ): Promise<void> {
    const {target, source, runOptions, signal} = env;
    await this.updateProgress(id, phase, (p) => ({...p, startedAt: p.startedAt ?? this.nowIso()}));
    switch (phase) {
      case 'store_syncing_on':
        // Automations (order notifications, abandoned carts) stay quiet while history goes in.
        await target.client.stores.update(target.storeId, {is_syncing: true});
        break;
      case 'store_syncing_off':
        await this.waitForHandOvers(target.connection.id, signal);
        await target.client.stores.update(target.storeId, {is_syncing: false});
        break;
      case 'members': {
        await this.snapshot.take(target.connection.id, target.client, target.listId, signal);
        // Every member is computed once here, from everything the earlier phases stored (the backfill's projection
        // defers it: projector.ts deferMemberRefresh), and sent while later pages are still being computed.
        let refreshed = false;
        const refresher = this.refreshMembers(id, target, signal).finally(() => {
          refreshed = true;
        });
        await Promise.all([refresher, this.send(id, phase, target, signal, () => refreshed)]);
        await this.snapshot.clear(target.connection.id);
        break;
      }
      case 'verify': {
        const counts = await this.verifier.verify(target, signal);
        await this.updateProgress(id, phase, (p) => ({
          ...p,
          total: counts.checked,
          read: counts.checked,
          sent: 0,
          handedToLive: counts.differing,
          nothing: counts.checked - counts.differing - counts.missing,
          missing: counts.missing,
        }));
        // What went missing is created again through batches, like the first backfill's.
        await this.send(id, phase, target, signal, () => true, [ENTITY.product, ENTITY.customer, ENTITY.order]);
        break;
      }
      case 'done':
        break;
      default: {
        const sourcePhase = phase as SourcePhase;
        if (!(await this.readView(id)).progress[phase]?.total) {
          const total = await source.count(sourcePhase, runOptions, signal);
          await this.updateProgress(id, phase, (p) => ({...p, total}));
        }
        let readerDone = false;
        const reader = this.read(id, phase, sourcePhase, target, source, runOptions, signal).finally(() => {
          readerDone = true;
        });
        // Reading and sending overlap: batches go out while later pages are still being read.
        await Promise.all([reader, this.send(id, phase, target, signal, () => readerDone)]);
      }
    }
    await this.updateProgress(id, phase, (p) => ({...p, finishedAt: this.nowIso()}));
  }

  private async read(
    id: string,
    phase: Phase,
    sourcePhase: SourcePhase,
    target: ConnectionTarget,
    source: BackfillSource,
    runOptions: BackfillOptions,
    signal: AbortSignal,
  ): Promise<void> {
    const db = this.options.store.db;
    const position = JSON.parse(await this.runs.position(id)) as {value?: unknown};
    // The next chunks are read (pages fetched, bulk lines parsed) while this one is projected; at most a few ahead.
    const chunks = readAhead(
      source.read(sourcePhase, position.value, runOptions, signal),
      this.options.readAheadChunks ?? 4,
    );
    for await (const chunk of chunks) {
      if (signal.aborted) throw new Cancelled('stopped');
      const now = this.nowIso();
      // The chunk's events and the position after it are stored together: a crash resumes after this chunk.
      await db.transaction().execute(async (trx) => {
        for (const event of chunk.events) {
          const result = await project(
            event,
            projectionContext(trx, this.options.store.engine, {
              connectionId: target.connection.id,
              now,
              priority: PRIORITY.backfill,
              lane: 'backfill',
            }),
          );
          if (!result.ok)
            this.options.logger.warn({run: id, kind: event.kind, error: result.error}, 'backfill record not projected');
        }
        await new BackfillRunsRepository(trx).changeProgress(id, (json) => {
          const progress = JSON.parse(json) as BackfillRun['progress'];
          const p = progress[phase] ?? emptyProgress();
          progress[phase] = {...p, read: p.read + chunk.records};
          return {
            position: JSON.stringify({value: chunk.position}),
            progress: JSON.stringify(progress),
            updatedAt: now,
          };
        });
      });
      await nextTurn();
    }
  }

  /**
   * The members phase's reading: recomputes the members of every address known for the connection, a page at a
   * time, each page in one transaction with the position after it (a crash resumes after the last stored page).
   */
  private async refreshMembers(id: string, target: ConnectionTarget, signal: AbortSignal): Promise<void> {
    const db = this.options.store.db;
    const connectionId = target.connection.id;
    const stored = JSON.parse(await this.runs.position(id)) as {value?: {after?: unknown}};
    let after = typeof stored.value?.after === 'string' ? stored.value.after : '';
    for (;;) {
      if (signal.aborted) throw new Cancelled('stopped');
      const now = this.nowIso();
      const emails = await new PeopleRepository(db, this.options.store.engine).knownEmailsAfter(
        connectionId,
        after,
        MEMBER_PAGE,
      );
      if (emails.length === 0) break;
      after = emails.at(-1)!;
      await db.transaction().execute(async (trx) => {
        const queued = await refreshMembers(
          projectionContext(trx, this.options.store.engine, {
            connectionId,
            now,
            priority: PRIORITY.backfill,
            lane: 'backfill',
          }),
          emails,
        );
        await new BackfillRunsRepository(trx).changeProgress(id, (json) => {
          const progress = JSON.parse(json) as BackfillRun['progress'];
          const p = progress.members ?? emptyProgress();
          progress.members = {...p, read: p.read + queued};
          return {position: JSON.stringify({value: {after}}), progress: JSON.stringify(progress), updatedAt: now};
        });
      });
      await nextTurn();
    }
    await this.updateProgress(id, 'members', (p) => ({...p, total: p.read}));
  }

  /**
   * Sends the phase's backlog until the reader is done and nothing is left: up to `roundsInFlight` rounds at once,
   * each on rows of its own (claims are leased).
   */
  private async send(
    id: string,
    phase: Phase,
    target: ConnectionTarget,
    signal: AbortSignal,
    readerDone: () => boolean,
    entityTypes?: EntityType[],
  ): Promise<void> {
    const types = entityTypes ?? SENDS[phase] ?? [];
    const limit = Math.max(1, this.options.roundsInFlight ?? 3);
    const inflight = new Set<Promise<void>>();
    let failure: {error: unknown} | undefined;
    try {
      for (;;) {
        if (failure) throw failure.error;
        if (signal.aborted) throw new Cancelled('stopped');
        if (inflight.size >= limit) {
          await Promise.race(inflight);
          continue;
        }
        const done = readerDone();
        const rows = await this.sender.claim(target, types);
        if (rows.length > 0) {
          const counts = emptyCounts();
          const round: Promise<void> = this.sender
            .process(target, rows, counts, signal)
            .then(() => this.updateProgress(id, phase, (p) => addCounts(p, counts)))
            .catch((error: unknown) => {
              failure ??= {error};
            })
            .finally(() => inflight.delete(round));
          inflight.add(round);
          continue;
        }
        if (done && inflight.size === 0 && (await this.options.syncState.backlog(target.connection.id, types)) === 0)
          return;
        // Nothing due now: wait for a round to finish (it may release rows) or a little while for the reader.
        await Promise.race([sleep(this.options.idleMs ?? 200, signal), ...inflight]);
      }
    } finally {
      await Promise.allSettled(inflight);
    }
  }

  /**
   * `is_syncing` is cleared once the backlog that existed at the start is drained: entities the backfill handed to
   * the live worker (updates, placeholders, failed operations) count, later live changes do not.
   */
  private async waitForHandOvers(connectionId: string, signal: AbortSignal): Promise<void> {
    const cutoff = this.nowIso();
    const deadline = Date.now() + (this.options.handOverWaitMs ?? 10 * 60_000);
    const types = [ENTITY.product, ENTITY.customer, ENTITY.promo, ENTITY.order, ENTITY.member];
    while (Date.now() < deadline) {
      if ((await this.options.syncState.liveBacklogSince(connectionId, types, cutoff)) === 0) return;
      await sleep(this.options.idleMs ?? 200, signal);
    }
    this.options.logger.warn(
      {connectionId},
      'is_syncing cleared while entities handed to the live worker are still retrying',
    );
  }

  private async readView(id: string): Promise<{progress: BackfillRun['progress']}> {
    return {progress: JSON.parse(await this.runs.progress(id)) as BackfillRun['progress']};
  }

  private async updateProgress(id: string, phase: Phase, change: (p: PhaseProgress) => PhaseProgress): Promise<void> {
    await this.options.store.db.transaction().execute(async (trx) => {
      await new BackfillRunsRepository(trx).changeProgress(id, (json) => {
        const progress = JSON.parse(json) as BackfillRun['progress'];
        progress[phase] = change(progress[phase] ?? emptyProgress());
        return {progress: JSON.stringify(progress), updatedAt: this.nowIso()};
      });
    });
    if (this.options.onProgress) this.options.onProgress(await this.view(id));
  }

  private nowIso(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

export class BackfillUnavailable extends Error {}

/** Addresses per page when the members phase computes members. */
const MEMBER_PAGE = 500;

function emptyProgress(): PhaseProgress {
  return {read: 0, sent: 0, nothing: 0, handedToLive: 0, failedOperations: 0, operations: 0, batches: 0};
}

function addCounts(p: PhaseProgress, c: SendCounts): PhaseProgress {
  return {
    ...p,
    sent: p.sent + c.sent,
    nothing: p.nothing + c.nothing,
    handedToLive: p.handedToLive + c.handedToLive,
    failedOperations: p.failedOperations + c.failedOperations,
    operations: p.operations + c.operations,
    batches: p.batches + c.batches,
  };
}

/**
 * Lets the event loop run timers and I/O. better-sqlite3 answers synchronously, so a projection transaction resolves
 * through microtasks alone, and with the next chunk already read ahead the reader would go from chunk to chunk
 * without ever giving the sender's HTTP answers and poll timers a turn: batches went out only once reading ended.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Cancelled('stopped'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Cancelled('stopped'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, {once: true});
  });
}

/** A failed run's error as the operator reads it: a Mailchimp refusal with Mailchimp's words and field errors. */
function runError(error: unknown): string {
  if (isMailchimpError(error)) return `Mailchimp answered ${error.answer()} to ${error.method} ${error.route}`;
  return error instanceof Error ? error.message : String(error);
}
