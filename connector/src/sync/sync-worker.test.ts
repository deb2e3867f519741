import pino from 'pino';
import {AccountLimiters} from '../mailchimp/account-limiters.js';
import {MailchimpError} from '../mailchimp/mailchimp-error.js';
import type {MailchimpErrorKind} from '../mailchimp/problem-classifier.js';
import {openStore, type Store} from '../store/database.js';
import {SyncStateRepository, type SyncRecord} from '../store/sync-state-repository.js';
import {dependencyTier, ENTITY} from './entity-types.js';
import {contentHash, stableStringify} from './stable-json.js';
import {
  NotReadyYet,
  SyncWorker,
  type EntityProcessor,
  type ProcessOutcome,
  type SyncWorkerOptions,
} from './sync-worker.js';

const CONNECTION = 'c1';
const NOW = new Date('2026-01-01T00:00:00.000Z');
const logger = pino({level: 'silent'});

let store: Store;
let repo: SyncStateRepository;
beforeEach(async () => {
  store = await openStore({url: 'sqlite::memory:'});
  repo = new SyncStateRepository(store.db, store.engine);
});
afterEach(async () => {
  await store.close();
});

/** Writes a desired state the way the projector does; returns its hash. */
async function desire(entityType: string, entityId: string, value: unknown, version = NOW.toISOString()) {
  const json = stableStringify(value);
  const hash = contentHash(json);
  await repo.upsertDesired({
    connectionId: CONNECTION,
    entityType,
    entityId,
    desired: json,
    version,
    hash,
    now: NOW.toISOString(),
  });
  return hash;
}

const record = (entityType: string, entityId: string) =>
  repo.get({connectionId: CONNECTION, entityType, entityId}) as Promise<SyncRecord>;

function worker(processors: Record<string, EntityProcessor>, over: Partial<SyncWorkerOptions> = {}): SyncWorker {
  return new SyncWorker({store, logger, processors, now: () => NOW, random: () => 0.5, ...over});
}

function processor(run: (record: SyncRecord, desired: unknown) => Promise<ProcessOutcome>): EntityProcessor {
  return {process: run};
}

const synced = processor(() => Promise.resolve({kind: 'synced'}));

function mailchimpError(kind: MailchimpErrorKind, status: number): MailchimpError {
  return new MailchimpError({
    method: 'PUT',
    route: '/ecommerce/stores/{store_id}/products/{product_id}',
    status,
    classification: {kind, problem: {title: `status ${status}`}},
    attempts: 1,
  });
}

describe('sync worker', () => {
  it('hands the processor the desired state decoded once, and marks the record synced', async () => {
    const hash = await desire(ENTITY.product, 'p1', {id: 'p1', title: 'Mug'});
    const seen: unknown[] = [];
    const handled = await worker({
      [ENTITY.product]: processor((_record, desired) => {
        seen.push(desired);
        return Promise.resolve({kind: 'synced'});
      }),
    }).round();
    expect(handled).toBe(1);
    expect(seen).toEqual([{id: 'p1', title: 'Mug'}]);
    expect(await record(ENTITY.product, 'p1')).toMatchObject({status: 'synced', synced_hash: hash, claimed_by: null});
  });

  it('claims with a lease: another worker does not take a claimed record until the lease ends', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let claim: SyncRecord | undefined;
    const first = worker(
      {
        [ENTITY.product]: processor(async (r) => {
          claim = r;
          await blocked;
          return {kind: 'synced'};
        }),
      },
      {leaseMs: 60_000},
    );
    const running = first.round();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(claim).toMatchObject({claimed_by: first.id, claimed_until: new Date(NOW.getTime() + 60_000).toISOString()});
    const second = worker({[ENTITY.product]: synced});
    expect(await second.round()).toBe(0);
    // A crashed worker's claim expires: after the lease another worker takes the record.
    const later = worker({[ENTITY.product]: synced}, {now: () => new Date(NOW.getTime() + 60_001)});
    expect(await later.round()).toBe(1);
    release();
    await running;
  });

  it('renews the claim of a slow record past its lease, so that no other worker takes it meanwhile', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    // A clock that runs in real time from NOW: the heartbeat is a real timer.
    const started = Date.now();
    const clock = () => new Date(NOW.getTime() + (Date.now() - started));
    const leaseMs = 300;
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const slow = worker(
      {
        [ENTITY.product]: processor(async () => {
          runs += 1;
          await blocked;
          return {kind: 'synced'};
        }),
      },
      {leaseMs, now: clock},
    );
    const running = slow.round();
    const other = worker({[ENTITY.product]: synced}, {leaseMs, now: clock});
    // Four leases long, another worker tries again and again: the claim is renewed (every lease/3) and never lapses.
    while (Date.now() - started < 4 * leaseMs) {
      expect(await other.round()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const held = await record(ENTITY.product, 'p1');
    expect(held.claimed_by).toBe(slow.id);
    expect(Date.parse(held.claimed_until!)).toBeGreaterThan(NOW.getTime() + 3 * leaseMs);
    release();
    await running;
    expect(await record(ENTITY.product, 'p1')).toMatchObject({status: 'synced', claimed_by: null});
    expect(runs).toBe(1);
  });

  it('a heartbeat extends only the claims its worker still holds', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    const key = {connectionId: CONNECTION, entityType: ENTITY.product, entityId: 'p1'};
    await repo.claimDue('w-new', 1, NOW.toISOString(), '2026-01-01T00:00:10.000Z');
    expect(await repo.renewClaims('w-old', [key], '2026-01-01T00:05:00.000Z')).toBe(0);
    expect(await record(ENTITY.product, 'p1')).toMatchObject({
      claimed_by: 'w-new',
      claimed_until: '2026-01-01T00:00:10.000Z',
    });
    expect(await repo.renewClaims('w-new', [key], '2026-01-01T00:00:20.000Z')).toBe(1);
    expect((await record(ENTITY.product, 'p1')).claimed_until).toBe('2026-01-01T00:00:20.000Z');
  });

  it('marks synced only when the desired state is unchanged: a newer one that arrived meanwhile stays pending', async () => {
    const oldHash = await desire(ENTITY.product, 'p1', {id: 'p1', title: 'Old'});
    let newHash = '';
    const sent: unknown[] = [];
    const sync = worker({
      [ENTITY.product]: processor(async (_r, desired) => {
        sent.push(desired);
        if (sent.length === 1)
          newHash = await desire(ENTITY.product, 'p1', {id: 'p1', title: 'New'}, '2026-01-01T00:00:01.000Z');
        return {kind: 'synced'};
      }),
    });
    await sync.round();
    expect(await record(ENTITY.product, 'p1')).toMatchObject({
      status: 'pending',
      synced_hash: oldHash,
      desired_hash: newHash,
    });
    await sync.drain();
    expect(sent).toEqual([
      {id: 'p1', title: 'Old'},
      {id: 'p1', title: 'New'},
    ]);
    expect(await record(ENTITY.product, 'p1')).toMatchObject({status: 'synced', synced_hash: newHash});
  });

  it('backs off a retryable error with jitter and counts the attempt', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    const failing = worker(
      {[ENTITY.product]: processor(() => Promise.reject(mailchimpError('retryable', 503)))},
      {retryBaseMs: 1_000},
    );
    await failing.round();
    const row = await record(ENTITY.product, 'p1');
    expect(row).toMatchObject({status: 'retry', attempts: 1, claimed_by: null});
    // Full jitter: random() 0.5 of min(cap, base * 2^0).
    expect(row.next_attempt_at).toBe(new Date(NOW.getTime() + 500).toISOString());
    expect(row.last_error).toContain('503');
    expect(await failing.round()).toBe(0); // not due yet
    expect(await store.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
  });

  it('dead-letters a terminal error at once, with the problem', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    await worker({[ENTITY.product]: processor(() => Promise.reject(mailchimpError('invalid_resource', 400)))}).round();
    expect(await record(ENTITY.product, 'p1')).toMatchObject({status: 'dead', attempts: 1});
    const letters = await store.db.selectFrom('dead_letters').selectAll().execute();
    expect(letters).toHaveLength(1);
    expect(JSON.parse(letters[0]!.problem)).toMatchObject({kind: 'invalid_resource', status: 400});
  });

  it('dead-letters a retryable error once the attempts are used up', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    const failing = worker(
      {[ENTITY.product]: processor(() => Promise.reject(mailchimpError('retryable', 503)))},
      {maxAttempts: 2, retryBaseMs: 0},
    );
    await failing.round();
    expect((await record(ENTITY.product, 'p1')).status).toBe('retry');
    await failing.round();
    expect(await record(ENTITY.product, 'p1')).toMatchObject({status: 'dead', attempts: 2});
  });

  it('on a Mailchimp 401 waits for the reconnect-needed mark and releases the record without counting an attempt', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    await desire(ENTITY.product, 'p2', {id: 'p2'});
    const refused: string[] = [];
    await worker(
      {
        [ENTITY.product]: processor((r) =>
          r.entity_id === 'p1'
            ? Promise.reject(mailchimpError('auth', 401))
            : Promise.reject(mailchimpError('auth', 403)),
        ),
      },
      {
        credentialsRefused: (connectionId) => {
          refused.push(connectionId);
          return Promise.resolve();
        },
      },
    ).round();
    expect(refused).toEqual([CONNECTION]);
    expect(await record(ENTITY.product, 'p1')).toMatchObject({
      status: 'pending',
      attempts: 0,
      claimed_by: null,
      next_attempt_at: new Date(NOW.getTime() + 1000).toISOString(),
    });
    // A 403 is not a refused credential: terminal as before.
    expect(await record(ENTITY.product, 'p2')).toMatchObject({status: 'dead', attempts: 1});
    const letters = await store.db.selectFrom('dead_letters').selectAll().execute();
    expect(letters.map((l) => l.entity_id)).toEqual(['p2']);
  });

  it('without credentialsRefused a 401 is a terminal failure (dead letter), as before', async () => {
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    await worker({[ENTITY.product]: processor(() => Promise.reject(mailchimpError('auth', 401)))}).round();
    expect(await record(ENTITY.product, 'p1')).toMatchObject({status: 'dead', attempts: 1});
  });

  it('waits without counting an attempt (a wait outcome, or NotReadyYet thrown)', async () => {
    await desire(ENTITY.order, 'o1', {id: 'o1'});
    await desire(ENTITY.cart, 'k1', {id: 'k1'});
    await worker({
      [ENTITY.order]: processor(() => Promise.resolve({kind: 'wait', reason: 'products', delayMs: 500})),
      [ENTITY.cart]: processor(() => Promise.reject(new NotReadyYet('store', 700))),
    }).round();
    expect(await record(ENTITY.order, 'o1')).toMatchObject({
      status: 'pending',
      attempts: 0,
      next_attempt_at: new Date(NOW.getTime() + 500).toISOString(),
    });
    expect(await record(ENTITY.cart, 'k1')).toMatchObject({
      status: 'pending',
      attempts: 0,
      next_attempt_at: new Date(NOW.getTime() + 700).toISOString(),
    });
  });

  it('sends the products of a round before its orders (tiers)', async () => {
    await desire(ENTITY.order, 'o1', {id: 'o1'});
    await desire(ENTITY.product, 'p1', {id: 'p1'});
    const events: string[] = [];
    await worker(
      {
        [ENTITY.product]: processor(async () => {
          events.push('product started');
          await new Promise((resolve) => setTimeout(resolve, 30));
          events.push('product done');
          return {kind: 'synced'};
        }),
        [ENTITY.order]: processor(() => {
          events.push('order started');
          return Promise.resolve({kind: 'synced'});
        }),
      },
      {dependencyTier},
    ).round();
    expect(events).toEqual(['product started', 'product done', 'order started']);
  });

  it('dead-letters a record no processor sends', async () => {
    await desire('unknown_kind', 'x1', {id: 'x1'});
    await worker({}).round();
    expect((await record('unknown_kind', 'x1')).status).toBe('dead');
  });

  describe('pipeline', () => {
    const LIMIT = 4;
    let limiters: AccountLimiters;
    beforeEach(() => {
      limiters = new AccountLimiters({maxConcurrent: LIMIT});
    });
    afterEach(async () => {
      await limiters.close();
    });

    /**
     * A processor whose "Mailchimp call" goes through the account limiter, like the real ones, and takes `ms`: counts
     * the calls in flight, and notes as each call starts how many more calls wait in the limiter.
     */
    function limitedProcessor(ms: number) {
      const limiter = limiters.forAccount('account').limiter;
      const seen = {inFlight: 0, max: 0, waitingAtStart: [] as number[]};
      const run = processor(async () => {
        await limiter.schedule(async () => {
          seen.inFlight += 1;
          seen.max = Math.max(seen.max, seen.inFlight);
          const counts = limiter.counts();
          seen.waitingAtStart.push(counts.RECEIVED + counts.QUEUED);
          await new Promise((resolve) => setTimeout(resolve, ms));
          seen.inFlight -= 1;
        });
        return {kind: 'synced'};
      });
      return {seen, run};
    }

    it('keeps the limiter fed while a backlog drains, and never runs more than its limit', async () => {
      const total = 60;
      for (let i = 0; i < total; i++) await desire(ENTITY.product, `p${i}`, {id: `p${i}`});
      const {seen, run} = limitedProcessor(10);
      // A window of 8 records per allowed call, as connector.ts sets it; refilled as records finish.
      await worker({[ENTITY.product]: run}, {batchSize: LIMIT * 8}).drain();
      expect(seen.waitingAtStart).toHaveLength(total);
      expect(seen.max).toBe(LIMIT);
      // Until the last few records, every call started with more calls queued behind it: whenever a connection
      // came free there was a record to take it (the end of a claim never left the limiter without work).
      const beforeTheEnd = seen.waitingAtStart.slice(0, total - LIMIT);
      expect(beforeTheEnd.filter((waiting) => waiting === 0)).toEqual([]);
      const rows = await store.db.selectFrom('sync_state').select('status').execute();
      expect(rows.every((r) => r.status === 'synced')).toBe(true);
    });

    it('sends an order after the product claimed with it, while other products keep running', async () => {
      await desire(ENTITY.product, 'p1', {id: 'p1'});
      await desire(ENTITY.order, 'o1', {id: 'o1'});
      for (let i = 2; i <= 12; i++) await desire(ENTITY.product, `p${i}`, {id: `p${i}`});
      const events: string[] = [];
      const slowProduct = processor(async (r) => {
        events.push(`${r.entity_id} started`);
        await new Promise((resolve) => setTimeout(resolve, r.entity_id === 'p1' ? 40 : 5));
        events.push(`${r.entity_id} done`);
        return {kind: 'synced'};
      });
      const order = processor((r) => {
        events.push(`${r.entity_id} started`);
        return Promise.resolve({kind: 'synced'});
      });
      await worker({[ENTITY.product]: slowProduct, [ENTITY.order]: order}, {batchSize: 6, dependencyTier}).drain();
      expect(events.indexOf('o1 started')).toBeGreaterThan(events.indexOf('p1 done'));
      // Products of a later claim (the first held p1, o1, p2…p5) ran meanwhile: claiming did not wait for p1.
      expect(events.indexOf('p8 started')).toBeLessThan(events.indexOf('p1 done'));
      for (let i = 1; i <= 12; i++) expect((await record(ENTITY.product, `p${i}`)).status).toBe('synced');
      expect((await record(ENTITY.order, 'o1')).status).toBe('synced');
    });

    it('stop() claims nothing more and waits for the records in flight', async () => {
      for (let i = 1; i <= 3; i++) await desire(ENTITY.product, `p${i}`, {id: `p${i}`});
      let release!: () => void;
      const blocked = new Promise<void>((resolve) => (release = resolve));
      const started: string[] = [];
      const sync = worker({
        [ENTITY.product]: processor(async (r) => {
          started.push(r.entity_id);
          await blocked;
          return {kind: 'synced'};
        }),
      });
      sync.start();
      while (started.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      let stopped = false;
      const stopping = sync.stop().then(() => (stopped = true));
      await desire(ENTITY.product, 'late', {id: 'late'});
      sync.wake();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      release();
      await stopping;
      for (let i = 1; i <= 3; i++) expect((await record(ENTITY.product, `p${i}`)).status).toBe('synced');
      expect(await record(ENTITY.product, 'late')).toMatchObject({status: 'pending', claimed_by: null});
      expect(started).toEqual(['p1', 'p2', 'p3']);
    });

    it('renews the claims of records claimed ahead and still queued behind the limiter', async () => {
      await desire(ENTITY.product, 'p1', {id: 'p1'});
      await desire(ENTITY.product, 'p2', {id: 'p2'});
      const one = new AccountLimiters({maxConcurrent: 1});
      const limiter = one.forAccount('account').limiter;
      const started = Date.now();
      const clock = () => new Date(NOW.getTime() + (Date.now() - started));
      const leaseMs = 300;
      let release!: () => void;
      const blocked = new Promise<void>((resolve) => (release = resolve));
      const order: string[] = [];
      const slow = worker(
        {
          [ENTITY.product]: processor(async (r) => {
            await limiter.schedule(async () => {
              order.push(r.entity_id);
              await blocked;
            });
            return {kind: 'synced'};
          }),
        },
        {leaseMs, now: clock},
      );
      const draining = slow.drain();
      const other = worker({[ENTITY.product]: synced}, {leaseMs, now: clock});
      // Four leases long: p1 holds the only call, p2 waits in the limiter's queue; neither claim lapses.
      while (Date.now() - started < 4 * leaseMs) {
        expect(await other.round()).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      for (const id of ['p1', 'p2']) {
        const held = await record(ENTITY.product, id);
        expect(held.claimed_by).toBe(slow.id);
        expect(Date.parse(held.claimed_until!)).toBeGreaterThan(NOW.getTime() + 3 * leaseMs);
      }
      expect(order).toHaveLength(1);
      release();
      await draining;
      await one.close();
      expect((await record(ENTITY.product, 'p2')).status).toBe('synced');
    });
  });
});
