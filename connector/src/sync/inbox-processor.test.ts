import pino from 'pino';
import type {StoreEvent} from '../model/events.js';
import {openStore, type Store} from '../store/database.js';
import {InboxRepository, requeueInboxEvent} from '../store/inbox-repository.js';
import {SyncStateRepository} from '../store/sync-state-repository.js';
import {ENTITY} from './entity-types.js';
import {InboxProcessor, type InboxMapper} from './inbox-processor.js';

const CONNECTION = 'c1';
const RECEIVED = '2026-01-01T10:00:00.000Z';
const NOW = new Date('2026-01-01T10:00:05.000Z');
const money = (minor: number) => ({minor, currency: 'EUR'});

let store: Store;
let inbox: InboxRepository;
let dedupe = 0;
beforeEach(async () => {
  store = await openStore({url: 'sqlite::memory:'});
  inbox = new InboxRepository(store.db);
});
afterEach(async () => {
  await store.close();
});

/** The test's source: the payload is the list of canonical events itself. */
const eventsMapper: InboxMapper = (event) => ({ok: true, events: JSON.parse(event.payload) as StoreEvent[]});

function processor(mapper: InboxMapper = eventsMapper, onProjected?: () => void): InboxProcessor {
  return new InboxProcessor({
    store,
    logger: pino({level: 'silent'}),
    mappers: {ingest: mapper},
    shopOf: () => Promise.resolve({shopDomain: 'shop.test', currency: 'EUR'}),
    now: () => NOW,
    onProjected,
  });
}

async function receive(events: unknown[], source: 'ingest' | 'shopify' = 'ingest'): Promise<number> {
  dedupe += 1;
  const {id} = await inbox.append({
    connectionId: CONNECTION,
    source,
    topic: 'test',
    dedupeKey: `d-${dedupe}`,
    payload: JSON.stringify(events),
    receivedAt: RECEIVED,
  });
  return id;
}

const product = (id: string) => ({
  kind: 'product.upsert',
  product: {id, title: id, images: [], variants: [], collections: [], updatedAt: RECEIVED},
});

const order = {
  kind: 'order.upsert',
  order: {
    id: 'o1',
    customer: {},
    currency: 'EUR',
    total: money(1_000),
    discountTotal: money(0),
    taxTotal: money(0),
    shippingTotal: money(0),
    lines: [],
    refunds: [],
    discountCodes: [],
    financialStatus: 'paid',
    fulfillmentStatus: 'unfulfilled',
    processedAt: RECEIVED,
    updatedAt: RECEIVED,
    isTest: false,
    attributes: {},
  },
};

const refund = {
  kind: 'refund.create',
  orderId: 'o1',
  refund: {id: 'r1', createdAt: RECEIVED, amount: money(400), lines: []},
};

const desired = (entityType: string, entityId: string) =>
  new SyncStateRepository(store.db, store.engine).get({connectionId: CONNECTION, entityType, entityId});

describe('inbox processor', () => {
  it('projects an event and marks it processed, then tells the worker', async () => {
    const id = await receive([product('p1')]);
    const projected = jest.fn();
    await processor(eventsMapper, projected).drain();
    expect(await inbox.get(id)).toMatchObject({status: 'processed', processed_at: NOW.toISOString(), error: null});
    expect(await desired(ENTITY.product, 'p1')).toMatchObject({status: 'pending'});
    expect(projected).toHaveBeenCalledTimes(1);
  });

  it('keeps an event that cannot be mapped as failed, with the reason', async () => {
    const unmapped = await receive([product('p1')], 'shopify');
    const throwing = await receive([product('p2')]);
    await processor(() => {
      throw new Error('bad payload');
    }).drain();
    expect(await inbox.get(unmapped)).toMatchObject({status: 'failed', error: 'no mapper for source shopify'});
    expect(await inbox.get(throwing)).toMatchObject({status: 'failed', error: 'mapper failed: bad payload'});
    expect(await desired(ENTITY.product, 'p1')).toBeUndefined();
  });

  it('projects all of an event or nothing: a failing second event rolls back the first', async () => {
    const id = await receive([product('p1'), refund]);
    await processor().drain();
    expect(await inbox.get(id)).toMatchObject({status: 'failed', attempts: 1});
    expect((await inbox.get(id))?.error).toContain('not known yet');
    expect(await desired(ENTITY.product, 'p1')).toBeUndefined();
  });

  it('a retryable projection failure (a refund before its order) is kept, and succeeds when replayed later', async () => {
    const early = await receive([refund]);
    await processor().drain();
    expect((await inbox.get(early))?.status).toBe('failed');

    await receive([order]);
    await processor().drain();
    expect(await requeueInboxEvent(store.db, early)).toBe(true);
    await processor().drain();
    expect(await inbox.get(early)).toMatchObject({status: 'processed', error: null});
    const row = await desired(ENTITY.order, 'o1');
    expect((JSON.parse(row!.desired) as {refunds: Array<{id: string}>}).refunds.map((r) => r.id)).toEqual(['r1']);
  });

  it('processes the inbox in arrival order', async () => {
    await receive([{...product('p1'), product: {...product('p1').product, title: 'first'}}]);
    await receive([
      // Same version: only the order of processing decides.
      {...product('p1'), product: {...product('p1').product, title: 'second'}},
    ]);
    await processor().drain();
    const row = await desired(ENTITY.product, 'p1');
    expect((JSON.parse(row!.desired) as {title: string}).title).toBe('second');
    expect(await inbox.pending(10)).toEqual([]);
  });
});
