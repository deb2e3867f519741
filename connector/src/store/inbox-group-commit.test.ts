import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import type {Store} from './database.js';
import {INBOX_GROUP_MAX, InboxRepository, type NewInboxEvent} from './inbox-repository.js';

/** Counts the INSERT statements run through it (each one statement, one commit outside a transaction). */
class CountInserts implements KyselyPlugin {
  inserts = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'InsertQueryNode') this.inserts += 1;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const event = (dedupeKey: string, over: Partial<NewInboxEvent> = {}): NewInboxEvent => ({
  connectionId: 'c1',
  source: 'shopify',
  topic: 'orders/create',
  dedupeKey,
  payload: `{"key":"${dedupeKey}"}`,
  receivedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('inbox group commit on sqlite', () => groupCommitSuite('sqlite'));
describeWithService(POSTGRES, 'inbox group commit on postgres', () => groupCommitSuite('postgres'));

function groupCommitSuite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  let counter: CountInserts;
  let inbox: InboxRepository;
  beforeEach(async () => {
    store = await openEngine(engine);
    counter = new CountInserts();
    inbox = new InboxRepository(store.db.withPlugin(counter), {groupCommit: true});
  });
  afterEach(async () => {
    await inbox.settled();
    await store.dropAll();
  });

  const rows = () => store.db.selectFrom('inbox_events').select(['id', 'source', 'dedupe_key']).orderBy('id').execute();

  it('writes concurrent appends in one statement, each answered with its own row', async () => {
    const keys = Array.from({length: 40}, (_, i) => `k${i}`);
    const stored = await Promise.all(keys.map((k) => inbox.append(event(k))));
    expect(counter.inserts).toBe(1);
    expect(stored.every((s) => !s.duplicate)).toBe(true);
    const byKey = new Map((await rows()).map((r) => [r.dedupe_key, Number(r.id)]));
    expect(byKey.size).toBe(40);
    keys.forEach((k, i) => expect(stored[i]!.id).toBe(byKey.get(k)));
    // Arrival order is id order (the processor drains by id).
    expect(stored.map((s) => s.id)).toEqual([...stored.map((s) => s.id)].sort((a, b) => a - b));
  });

  it('keeps dedupe per (connection, source, key) inside one group and against stored rows', async () => {
    const before = await inbox.append(event('old'));
    counter.inserts = 0;
    const stored = await Promise.all([
      inbox.append(event('a')),
      inbox.append(event('a')), // a duplicate of the one just before it, in the same group
      inbox.append(event('old')), // a retried delivery of a stored event
      inbox.append(event('a', {source: 'ingest'})), // same key, other source: its own event
      inbox.append(event('a', {connectionId: 'c2'})), // same key, other connection: its own event
      inbox.append(event('a')),
    ]);
    expect(counter.inserts).toBe(1);
    expect(stored[0]).toEqual({id: expect.any(Number), duplicate: false});
    expect(stored[1]).toEqual({id: stored[0]!.id, duplicate: true});
    expect(stored[2]).toEqual({id: before.id, duplicate: true});
    expect(stored[3]!.duplicate).toBe(false);
    expect(stored[4]!.duplicate).toBe(false);
    expect(new Set([stored[0]!.id, stored[3]!.id, stored[4]!.id, before.id]).size).toBe(4);
    expect(stored[5]).toEqual({id: stored[0]!.id, duplicate: true});
    expect(await rows()).toHaveLength(4);
  });

  it('appendAll keeps a request together and gives the results of appending one after the other', async () => {
    const [batch, single] = await Promise.all([
      inbox.appendAll([event('x'), event('y'), event('x')]),
      inbox.append(event('y')),
    ]);
    expect(counter.inserts).toBe(1);
    expect(batch.map((s) => s.duplicate)).toEqual([false, false, true]);
    expect(batch[2]!.id).toBe(batch[0]!.id);
    expect(single).toEqual({id: batch[1]!.id, duplicate: true});
  });

  it('writes arrivals during a write in the next group, and more than the group size in several', async () => {
    const first = inbox.append(event('first'));
    // Queued while the first group is written (or scheduled): they go together afterwards.
    await new Promise((resolve) => setImmediate(resolve));
    const many = Array.from({length: INBOX_GROUP_MAX + 10}, (_, i) => inbox.append(event(`m${i}`)));
    await first;
    const stored = await Promise.all(many);
    expect(new Set(stored.map((s) => s.id)).size).toBe(INBOX_GROUP_MAX + 10);
    expect(counter.inserts).toBeGreaterThanOrEqual(3);
    expect(counter.inserts).toBeLessThanOrEqual(4);
    expect(await rows()).toHaveLength(INBOX_GROUP_MAX + 11);
  });

  it('fails only the event that cannot be stored, not the rest of its group', async () => {
    const results = await Promise.allSettled([
      inbox.append(event('good1')),
      inbox.append(event('bad', {payload: null as unknown as string})),
      inbox.append(event('good2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await rows()).map((r) => r.dedupe_key).sort()).toEqual(['good1', 'good2']);
  });

  it('without group commit (a caller transaction) appends at once', async () => {
    await store.db.transaction().execute(async (trx) => {
      const plain = new InboxRepository(trx);
      expect(await plain.append(event('t'))).toEqual({id: expect.any(Number), duplicate: false});
      expect((await plain.append(event('t'))).duplicate).toBe(true);
    });
    expect(await rows()).toHaveLength(1);
  });
}
