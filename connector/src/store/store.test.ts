import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import type {Store} from './database.js';
import {InboxRepository} from './inbox-repository.js';
import {SyncStateRepository, type DesiredState} from './sync-state-repository.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';
const T2 = '2026-01-01T00:00:02.000Z';
const LATER = '2026-01-01T01:00:00.000Z';

describe('store on sqlite', () => storeSuite('sqlite'));
describeWithService(POSTGRES, 'store on postgres', () => storeSuite('postgres'));

function storeSuite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  beforeEach(async () => {
    store = await openEngine(engine);
  });
  afterEach(async () => {
    await store.dropAll();
  });

  const desired = (over: Partial<DesiredState> = {}): DesiredState => ({
    connectionId: 'c1',
    entityType: 'customer',
    entityId: '820982911946154508',
    desired: '{"v":1}',
    version: T1,
    hash: 'h1',
    now: T1,
    ...over,
  });

  it('appends inbox events once per dedupe key', async () => {
    const inbox = new InboxRepository(store.db);
    const event = {
      connectionId: 'c1',
      source: 'shopify' as const,
      topic: 'orders/create',
      dedupeKey: 'wh-1',
      payload: '{}',
      receivedAt: T0,
    };
    const first = await inbox.append(event);
    const again = await inbox.append(event);
    const other = await inbox.append({...event, dedupeKey: 'wh-2'});
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({id: first.id, duplicate: true});
    expect(other.id).not.toBe(first.id);
    expect((await inbox.pending(10)).map((e) => e.dedupe_key)).toEqual(['wh-1', 'wh-2']);
  });

  it('keeps the newest desired state: older versions are stale, identical ones unchanged', async () => {
    const repo = new SyncStateRepository(store.db, store.engine);
    expect(await repo.upsertDesired(desired())).toBe('created');
    expect(await repo.upsertDesired(desired())).toBe('unchanged');
    expect(await repo.upsertDesired(desired({version: T2, desired: '{"v":2}', hash: 'h2', now: T2}))).toBe('updated');
    expect(await repo.upsertDesired(desired({version: T0, desired: '{"v":0}', hash: 'h0', now: LATER}))).toBe('stale');
    const row = await repo.get(desired());
    expect(row).toMatchObject({desired: '{"v":2}', desired_hash: 'h2', status: 'pending'});
  });

  it('claims due work once, and a newer state arriving mid-flight stays pending after the send', async () => {
    const repo = new SyncStateRepository(store.db, store.engine);
    await repo.upsertDesired(desired());
    const claimedA = await repo.claimDue('worker-a', 10, T1, LATER);
    const claimedB = await repo.claimDue('worker-b', 10, T1, LATER);
    expect(claimedA).toHaveLength(1);
    expect(claimedB).toHaveLength(0);
    await repo.upsertDesired(desired({version: T2, desired: '{"v":2}', hash: 'h2', now: T2}));
    await repo.markSynced(desired(), 'worker-a', 'h1', '{"v":1}', T2);
    expect(await repo.get(desired())).toMatchObject({
      status: 'pending',
      synced_hash: 'h1',
      desired_hash: 'h2',
      claimed_by: null,
    });
    const next = await repo.claimDue('worker-b', 10, T2, LATER);
    expect(next.map((r) => r.desired_hash)).toEqual(['h2']);
    await repo.markSynced(desired(), 'worker-b', 'h2', '{"v":2}', T2);
    expect(await repo.get(desired())).toMatchObject({status: 'synced'});
    // Sending the same content again later is skipped: it is already what Mailchimp holds.
    expect(await repo.upsertDesired(desired({version: LATER, desired: '{"v":2}', hash: 'h2', now: LATER}))).toBe(
      'unchanged',
    );
  });

  it('backs off retries and turns terminal failures into dead letters', async () => {
    const repo = new SyncStateRepository(store.db, store.engine);
    await repo.upsertDesired(desired());
    await repo.claimDue('w', 10, T1, LATER);
    await repo.markRetry(desired(), 'w', '429 Too Many Requests', LATER, T1);
    expect(await repo.claimDue('w', 10, T2, LATER)).toHaveLength(0);
    const due = await repo.claimDue('w', 10, LATER, '2026-01-01T02:00:00.000Z');
    expect(due[0]).toMatchObject({status: 'retry', attempts: 1, last_error: '429 Too Many Requests'});
    await repo.markDead(desired(), 'w', '{"title":"Invalid Resource"}', LATER);
    expect(await repo.get(desired())).toMatchObject({status: 'dead', attempts: 2});
    const letters = await store.db.selectFrom('dead_letters').selectAll().execute();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({entity_id: '820982911946154508', problem: '{"title":"Invalid Resource"}'});
  });

  it('lets concurrent claimers split the queue without overlap', async () => {
    const repo = new SyncStateRepository(store.db, store.engine);
    for (let i = 0; i < 40; i++) await repo.upsertDesired(desired({entityId: `e${i}`}));
    const batches = await Promise.all(['a', 'b', 'c', 'd'].map((w) => repo.claimDue(w, 15, T1, LATER)));
    const ids = batches.flat().map((r) => r.entity_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });
}
