import type {Consent} from '../model/consent.js';
import type {Customer, Order, Refund} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CustomerId, type OrderId} from '../model/ids.js';
import {openStore, type Store} from '../store/database.js';
import {SyncStateRepository} from '../store/sync-state-repository.js';
import {ENTITY} from './entity-types.js';
import {oneLineOrder} from './mappers/fixtures/orders.js';
import {project, projectionContext, type MemberDesired, type ProjectionResult} from './projector.js';

const CONNECTION = 'c1';
const T1 = '2026-01-01T10:00:00.000Z';
const T2 = '2026-01-01T11:00:00.000Z';
const T3 = '2026-01-01T12:00:00.000Z';
const NOW = '2026-01-02T00:00:00.000Z';
const EMAIL = 'ada@shop.test';

let store: Store;
beforeEach(async () => {
  store = await openStore({url: 'sqlite::memory:'});
});
afterEach(async () => {
  await store.close();
});

/**
 * Projects events in one transaction, as the inbox processor does. The one place this file builds the projector's
 * context: a change of ProjectionContext is adapted here.
 */
async function projectAll(...events: StoreEvent[]): Promise<ProjectionResult[]> {
  return store.db.transaction().execute(async (trx) => {
    const results: ProjectionResult[] = [];
    for (const event of events)
      results.push(await project(event, projectionContext(trx, store.engine, {connectionId: CONNECTION, now: NOW})));
    return results;
  });
}

async function desired<T>(entityType: string, entityId: string): Promise<T | undefined> {
  const row = await new SyncStateRepository(store.db, store.engine).get({
    connectionId: CONNECTION,
    entityType,
    entityId,
  });
  return row ? (JSON.parse(row.desired) as T) : undefined;
}

async function person() {
  return store.db
    .selectFrom('people')
    .selectAll()
    .where('connection_id', '=', CONNECTION)
    .where('email', '=', EMAIL)
    .executeTakeFirst();
}

const money = (minor: number) => ({minor, currency: 'EUR'});

function customer(over: Partial<Customer> = {}): Customer {
  return {id: asId<CustomerId>('cust-1'), email: EMAIL, tags: [], updatedAt: T1, ...over};
}

function order(over: Partial<Order> = {}): Order {
  return oneLineOrder({id: 'order-1', lineId: 'line-1', email: EMAIL, priceMinor: 10_000, at: T1}, over);
}

function refund(id: string, minor: number, createdAt: string): Refund {
  return {id, createdAt, amount: money(minor), lines: []};
}

function consent(state: Consent['state'], updatedAt: string): Consent {
  return {state, source: 'shopify', updatedAt};
}

describe('projector: newer wins', () => {
  it('keeps the newer customer payload when an older one arrives late', async () => {
    await projectAll(
      {kind: 'customer.upsert', customer: customer({firstName: 'New', updatedAt: T2})},
      {kind: 'customer.upsert', customer: customer({firstName: 'Old', updatedAt: T1})},
    );
    expect((await desired<Customer>(ENTITY.customer, 'cust-1'))?.firstName).toBe('New');
    expect((await person())?.first_name).toBe('New');
  });

  it('lets an older customer payload fill a missing name but never overwrite one', async () => {
    await projectAll(
      {kind: 'customer.upsert', customer: customer({firstName: 'New', updatedAt: T2})},
      {kind: 'customer.upsert', customer: customer({firstName: 'Old', lastName: 'Lovelace', updatedAt: T1})},
    );
    const row = await person();
    expect({first: row?.first_name, last: row?.last_name}).toEqual({first: 'New', last: 'Lovelace'});
    expect(await desired<MemberDesired>(ENTITY.member, EMAIL)).toMatchObject({firstName: 'New', lastName: 'Lovelace'});
  });

  it("a newer customer payload replaces the person's names", async () => {
    await projectAll(
      {kind: 'customer.upsert', customer: customer({firstName: 'Old', updatedAt: T1})},
      {kind: 'customer.upsert', customer: customer({firstName: 'New', updatedAt: T2})},
    );
    expect((await person())?.first_name).toBe('New');
  });
});

describe('projector: names from orders', () => {
  it("only fills gaps: the customer's own name stays", async () => {
    await projectAll(
      {kind: 'customer.upsert', customer: customer({firstName: 'Ada'})},
      {
        kind: 'order.upsert',
        order: order({
          customer: {id: asId<CustomerId>('cust-1'), email: EMAIL, firstName: 'Typo', lastName: 'Lovelace'},
        }),
      },
    );
    const row = await person();
    expect({first: row?.first_name, last: row?.last_name}).toEqual({first: 'Ada', last: 'Lovelace'});
  });

  it('gives a person first seen in an order the name on the order', async () => {
    await projectAll({
      kind: 'order.upsert',
      order: order({customer: {id: asId<CustomerId>('cust-1'), email: EMAIL, firstName: 'Ada', lastName: 'Lovelace'}}),
    });
    expect((await desired<MemberDesired>(ENTITY.member, EMAIL))?.firstName).toBe('Ada');
  });
});

describe('projector: refunds', () => {
  it('keeps refunds an order update does not repeat, and marks the order refunded when nothing is left', async () => {
    await projectAll(
      {kind: 'order.upsert', order: order()},
      {kind: 'refund.create', orderId: asId<OrderId>('order-1'), refund: refund('r1', 4_000, T2)},
      {kind: 'order.upsert', order: order({updatedAt: T3})},
    );
    const afterUpdate = await desired<Order>(ENTITY.order, 'order-1');
    expect(afterUpdate?.refunds.map((r) => r.id)).toEqual(['r1']);

    await projectAll({kind: 'refund.create', orderId: asId<OrderId>('order-1'), refund: refund('r2', 6_000, T3)});
    const refunded = await desired<Order>(ENTITY.order, 'order-1');
    expect(refunded?.refunds.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(refunded?.financialStatus).toBe('refunded');
  });

  it('a partial refund makes a paid order partially refunded; the same refund twice counts once', async () => {
    await projectAll(
      {kind: 'order.upsert', order: order()},
      {kind: 'refund.create', orderId: asId<OrderId>('order-1'), refund: refund('r1', 4_000, T2)},
      {kind: 'refund.create', orderId: asId<OrderId>('order-1'), refund: refund('r1', 4_000, T2)},
    );
    const merged = await desired<Order>(ENTITY.order, 'order-1');
    expect(merged?.refunds).toHaveLength(1);
    expect(merged?.financialStatus).toBe('partially_refunded');
    expect(merged?.updatedAt).toBe(T2);
  });

  it('a refund for an order not known yet is a retryable failure', async () => {
    const [result] = await projectAll({
      kind: 'refund.create',
      orderId: asId<OrderId>('order-9'),
      refund: refund('r1', 1, T2),
    });
    expect(result).toMatchObject({ok: false, retryable: true});
    expect(await desired(ENTITY.order, 'order-9')).toBeUndefined();
  });
});

describe('projector: people and consent', () => {
  it('keeps the newer consent when an older one arrives late', async () => {
    await projectAll(
      {kind: 'consent.update', email: EMAIL, consent: consent('subscribed', T2)},
      {kind: 'consent.update', email: EMAIL, consent: consent('unsubscribed', T1)},
    );
    expect((await desired<MemberDesired>(ENTITY.member, EMAIL))?.consent).toMatchObject({
      state: 'subscribed',
      updatedAt: T2,
    });
  });

  it('a newer consent replaces the older one', async () => {
    await projectAll(
      {kind: 'consent.update', email: EMAIL, consent: consent('subscribed', T1)},
      {kind: 'consent.update', email: EMAIL, consent: consent('unsubscribed', T2)},
    );
    expect((await desired<MemberDesired>(ENTITY.member, EMAIL))?.consent?.state).toBe('unsubscribed');
    expect((await person())?.consent_at).toBe(T2);
  });

  it('a consent for an unknown customer without an address fails for good', async () => {
    const [result] = await projectAll({
      kind: 'consent.update',
      email: '',
      customerId: asId<CustomerId>('nobody'),
      consent: consent('subscribed', T1),
    });
    expect(result).toMatchObject({ok: false, retryable: false});
  });

  it("a member's purchases are the person's orders, oldest first", async () => {
    await projectAll(
      {kind: 'order.upsert', order: order({id: asId<OrderId>('order-2'), processedAt: T2, updatedAt: T2})},
      {kind: 'order.upsert', order: order({id: asId<OrderId>('order-1'), processedAt: T1})},
    );
    const member = await desired<MemberDesired>(ENTITY.member, EMAIL);
    expect(member?.purchases.map((o) => o.id)).toEqual(['order-1', 'order-2']);
    expect(member?.customerId).toBe('cust-1');
  });
});
