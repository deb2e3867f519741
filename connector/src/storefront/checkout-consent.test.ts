import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import type {Cart, Order} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CartId, type OrderId} from '../model/ids.js';
import type {Store} from '../store/database.js';
import {addressHash, ConsentEvidenceRepository} from '../store/consent-evidence-repository.js';
import {paidOrder} from '../sync/mappers/fixtures/orders.js';
import {project, projectionContext, type ProjectionContext} from '../sync/projector.js';
import {expireCheckoutConsents} from './checkout-consent.js';

/**
 * The checkout checkbox's confirmation by a signed order or checkout, at the projection (both engines): either arrival
 * order, the window on both sides, the backfill lane, expiry, and on Postgres the claim and its order projected at
 * the same moment by two processes (the advisory lock), which must never both miss each other.
 */

const T0 = '2026-03-01T12:00:00.000Z';
const at = (offsetMs: number) => new Date(Date.parse(T0) + offsetMs).toISOString();
const HOUR = 3_600_000;

describe('checkout consent confirmation on sqlite', () => suite('sqlite'));
describeWithService(POSTGRES, 'checkout consent confirmation on postgres', () => {
  suite('postgres');

  it('never lets a claim and an order projected at the same time by two processes miss each other', async () => {
    const store = await openEngine('postgres');
    try {
      // Process B projects the order before the beacon's evidence is stored, and has not committed yet when process A
      // projects the claim: B saw no claim, and A must not decide before B's order is visible (the advisory lock).
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let projected!: () => void;
      const orderProjected = new Promise<void>((resolve) => (projected = resolve));
      const b = inTransaction(store, at(1_000), async (ctx) => {
        await project({kind: 'order.upsert', order: order('77', 'race@example-mail.com', at(500))}, ctx);
        projected();
        await held;
      });
      await orderProjected;
      await claimRow(store, 'race@example-mail.com', 77, T0);
      const a = inTransaction(store, at(1_000), (ctx) =>
        project({kind: 'consent.checkout_claim', email: 'race@example-mail.com', inboxEventId: 77}, ctx),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      await Promise.all([a, b]);
      const rows = await store.db
        .selectFrom('consent_evidence')
        .select(['email', 'confirmation', 'confirmed_by_id'])
        .execute();
      expect(rows).toEqual([{email: 'race@example-mail.com', confirmation: 'confirmed', confirmed_by_id: '77'}]);
    } finally {
      await store.dropAll();
    }
  });
});

function suite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  beforeEach(async () => {
    store = await openEngine(engine);
  });
  afterEach(async () => {
    await store.dropAll();
  });

  const run = (event: StoreEvent, now: string, lane?: ProjectionContext['lane']) =>
    inTransaction(store, now, (ctx) => project(event, ctx), lane);
  const evidence = () => store.db.selectFrom('consent_evidence').selectAll().orderBy('id').execute();
  const consentOf = async (email: string) => {
    const row = await store.db.selectFrom('people').select('consent').where('email', '=', email).executeTakeFirst();
    return row?.consent ? (JSON.parse(row.consent) as {state: string; source: string; updatedAt: string}) : undefined;
  };

  it('a claim waits; the order placed after it confirms it and applies the consent with its evidence', async () => {
    await claimRow(store, 'ada@example-mail.com', 1, T0);
    expect(
      await run({kind: 'consent.checkout_claim', email: 'ada@example-mail.com', inboxEventId: 1}, at(100)),
    ).toEqual({ok: true, note: expect.stringMatching(/waits/)});
    expect(await consentOf('ada@example-mail.com')).toBeUndefined();
    await run({kind: 'order.upsert', order: order('1', 'Ada@Example-mail.com', at(5_000))}, at(6_000));
    expect(await consentOf('ada@example-mail.com')).toMatchObject({
      state: 'subscribed',
      source: 'checkout_checkbox',
      updatedAt: T0,
      evidence: {ip: '203.0.113.5'},
    });
    expect((await evidence())[0]).toMatchObject({
      confirmation: 'confirmed',
      confirmed_by_type: 'order',
      confirmed_by_id: '1',
      confirmed_at: at(6_000),
    });
    const member = await store.db
      .selectFrom('sync_state')
      .select('desired')
      .where('entity_type', '=', 'member')
      .where('entity_id', '=', 'ada@example-mail.com')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(member.desired)).toMatchObject({
      consent: {state: 'subscribed'},
      optInSources: ['checkout_checkbox'],
    });
  });

  it('an order or checkout noted before the claim confirms it when the claim comes', async () => {
    await run({kind: 'cart.upsert', cart: cart('c-1', 'bo@example-mail.com', at(-60_000))}, at(-50_000));
    await claimRow(store, 'bo@example-mail.com', 2, T0);
    await run({kind: 'consent.checkout_claim', email: 'bo@example-mail.com', inboxEventId: 2}, at(1_000));
    expect((await evidence())[0]).toMatchObject({
      confirmation: 'confirmed',
      confirmed_by_type: 'checkout',
      confirmed_by_id: 'c-1',
    });
    expect(await consentOf('bo@example-mail.com')).toMatchObject({state: 'subscribed'});
  });

  it('confirms only within the window, on either side; another address or the backfill never confirms', async () => {
    await claimRow(store, 'cy@example-mail.com', 3, T0, 2 * HOUR);
    await run({kind: 'order.upsert', order: order('3a', 'cy@example-mail.com', at(-3 * HOUR))}, at(1_000)); // placed before the window
    await run({kind: 'order.upsert', order: order('3b', 'other@example-mail.com', at(1_000))}, at(1_000));
    await run({kind: 'order.upsert', order: order('3c', 'cy@example-mail.com', at(1_000))}, at(1_000), 'backfill');
    await run({kind: 'consent.checkout_claim', email: 'cy@example-mail.com', inboxEventId: 3}, at(2_000));
    expect((await evidence())[0]).toMatchObject({confirmation: 'awaiting_order'});
    expect(await store.db.selectFrom('checkout_sightings').select('entity_id').orderBy('entity_id').execute()).toEqual([
      {entity_id: '3a'},
      {entity_id: '3b'},
    ]);
    await run({kind: 'order.upsert', order: order('3d', 'cy@example-mail.com', at(2 * HOUR - 1))}, at(2 * HOUR - 1));
    expect((await evidence())[0]).toMatchObject({confirmation: 'confirmed', confirmed_by_id: '3d'});
  });

  it('expires a claim nothing confirmed in time, for good; the sweep forgets old sightings', async () => {
    await claimRow(store, 'di@example-mail.com', 4, T0, 2 * HOUR);
    await claimRow(store, 'ed@example-mail.com', 5, T0, 2 * HOUR);
    await run({kind: 'consent.checkout_claim', email: 'di@example-mail.com', inboxEventId: 4}, at(1_000));
    await run({kind: 'order.upsert', order: order('4', 'zz@example-mail.com', at(0))}, at(1_000));
    expect(await expireCheckoutConsents(store.db, new Date(at(3 * HOUR)), 2 * HOUR)).toBe(2);
    expect((await evidence()).map((r) => r.confirmation)).toEqual(['expired', 'expired']);
    expect(await store.db.selectFrom('checkout_sightings').selectAll().execute()).toEqual([]);
    // An order arriving late (placed within the window, delivered after it) confirms nothing any more.
    await run({kind: 'order.upsert', order: order('4b', 'di@example-mail.com', at(1_000))}, at(3 * HOUR));
    await run({kind: 'consent.checkout_claim', email: 'ed@example-mail.com', inboxEventId: 5}, at(3 * HOUR));
    expect((await evidence()).map((r) => r.confirmation)).toEqual(['expired', 'expired']);
    expect(await consentOf('di@example-mail.com')).toBeUndefined();
  });

  it('notes orders without their address in clear, and forgets them with the shop (shop/redact)', async () => {
    await run({kind: 'order.upsert', order: order('5', 'fay@example-mail.com', at(0))}, at(0));
    const [noted] = await store.db.selectFrom('checkout_sightings').selectAll().execute();
    expect(noted).toMatchObject({
      connection_id: 'c1',
      type: 'order',
      entity_id: '5',
      email_hash: addressHash('Fay@example-mail.com'),
      seen_at: at(0),
    });
    expect(JSON.stringify(noted)).not.toContain('fay@');
    await run({kind: 'shop.redact'}, at(1_000));
    expect(await store.db.selectFrom('checkout_sightings').selectAll().execute()).toEqual([]);
  });
}

/** The evidence row `/v1/consent` stores for a ticked box (record-storefront-consent.ts). */
async function claimRow(
  store: Store,
  email: string,
  inboxEventId: number,
  recordedAt: string,
  windowMs = 24 * HOUR,
): Promise<void> {
  await new ConsentEvidenceRepository(store.db).insert({
    connection_id: 'c1',
    inbox_event_id: inboxEventId,
    email,
    source: 'checkout_checkbox',
    state: 'subscribed',
    text: 'Email me news',
    text_version: 'v1',
    locale: 'en',
    ip: '203.0.113.5',
    user_agent: 'UA',
    page: 'https://shop.example/checkout',
    attribution: null,
    recorded_at: recordedAt,
    confirmation: 'awaiting_order',
    confirm_until: new Date(Date.parse(recordedAt) + windowMs).toISOString(),
  });
}

async function inTransaction<T>(
  store: Store,
  now: string,
  fn: (ctx: ProjectionContext) => Promise<T>,
  lane?: ProjectionContext['lane'],
): Promise<T> {
  return store.db
    .transaction()
    .execute((trx) => fn(projectionContext(trx, store.engine, {connectionId: 'c1', now, ...(lane ? {lane} : {})})));
}

function order(id: string, email: string, placedAt: string): Order {
  return {...paidOrder, id: asId<OrderId>(id), customer: {email}, processedAt: placedAt, updatedAt: placedAt};
}

function cart(id: string, email: string, updatedAt: string): Cart {
  return {
    id: asId<CartId>(id),
    customer: {email},
    currency: 'USD',
    total: paidOrder.total,
    lines: paidOrder.lines,
    attributes: {},
    updatedAt,
  };
}
