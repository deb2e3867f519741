import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {orderPayload, productPayload} from '../support/shopify-webhooks.js';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(join(process.cwd(), 'connector/src/ingest/generic/fixtures', `${name}.json`), 'utf8'),
  ) as Record<string, unknown>;

describe('generic ingest API and operator endpoints', () => {
  let t: TestConnector;
  beforeEach(async () => {
    // The generic fixtures are in EUR.
    t = await startTestConnector({env: {STORE_CURRENCY: 'EUR', LAPSED_AFTER_DAYS: '3650'}});
  });
  afterEach(() => t.close());

  it('accepts documented events with the ingest token, once per event id, and syncs them', async () => {
    const events = ['product.upsert', 'customer.upsert', 'consent.update', 'order.upsert'].map(fixture);
    const res = await t.http().post('/v1/events').set('Authorization', `Bearer ${t.ingestToken}`).send({events});
    expect(res.status).toBe(202);
    expect(res.body).toEqual({accepted: 4, duplicates: 0});
    const again = await t.http().post('/v1/events').set('Authorization', `Bearer ${t.ingestToken}`).send({events});
    expect(again.body).toEqual({accepted: 0, duplicates: 4});
    await t.settle();
    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    const order = events[3]!.data as {id: string; total: string; refunds?: Array<{amount: string}>};
    const refunded = (order.refunds ?? []).reduce((sum, r) => sum + Number(r.amount), 0);
    // The order total as placed, less what was refunded.
    expect(store.orders.get(order.id)?.order_total).toBeCloseTo(Number(order.total) - refunded, 2);
    expect(store.products.has((events[0]!.data as {id: string}).id)).toBe(true);
    const email = (events[1]!.data as {email: string}).email;
    expect(t.list.members.get(subscriberHash(email))).toBeDefined();
  });

  it('answers bad input with problem+json naming the fields, and nothing is stored', async () => {
    const noAuth = await t.http().post('/v1/events').send({events: []});
    expect(noAuth.status).toBe(401);
    const wrongType = await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${t.ingestToken}`)
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(wrongType.status).toBe(415);
    const bad = {...fixture('order.upsert'), data: {...(fixture('order.upsert').data as object), id: 12345}};
    const invalid = await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${t.ingestToken}`)
      .send({events: [bad]});
    expect(invalid.status).toBe(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(invalid.body.errors.map((e: {field: string}) => e.field)).toContain('events/0/data/id');
    const malformed = await t
      .http()
      .post('/v1/events')
      .set('Authorization', `Bearer ${t.ingestToken}`)
      .set('Content-Type', 'application/json')
      .send('{"events": [');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await t.connector.store.db.selectFrom('inbox_events').selectAll().execute()).toHaveLength(0);
  });

  it('guards operator endpoints with the admin token and exposes status, metrics, dead letters and replay', async () => {
    const admin = {Authorization: `Bearer ${t.adminToken}`};
    expect((await t.http().get('/v1/sync/status')).status).toBe(401);
    expect(
      (await t.http().get('/v1/sync/status').set('Authorization', 'Bearer wrong-token-of-some-length!!')).status,
    ).toBe(401);
    expect((await t.http().get('/healthz')).status).toBe(200);
    expect((await t.http().get('/readyz')).status).toBe(200);

    await t.webhook(
      'products/create',
      productPayload({
        id: '10',
        title: 'Lamp',
        handle: 'lamp',
        updatedAt: '2026-11-01T00:00:00Z',
        variants: [{id: '11', title: 'x', priceMinor: 100}],
      }),
    );
    await t.webhook(
      'orders/create',
      orderPayload({
        id: '77',
        customer: {id: '5', email: 'x@shop.test'},
        financialStatus: 'paid',
        updatedAt: '2026-11-01T00:01:00Z',
        lines: [{id: '1', productId: '10', variantId: '11', title: 'Lamp', priceMinor: 100, quantity: 1}],
      }),
    );
    await t.settle();
    const status = await t.http().get('/v1/sync/status').set(admin);
    expect(status.status).toBe(200);
    expect(status.body.entities.product).toEqual({synced: 1});
    expect(status.body.inbox).toEqual({processed: 2});

    const metrics = await t.http().get('/metrics').set(admin);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /connector_mailchimp_calls_total\{method="POST",route="\/ecommerce\/stores\/\{store_id\}\/products",status="200"\} 1/,
    );
    expect(metrics.text).toMatch(/connector_events_received_total\{source="shopify",duplicate="false"\} 2/);

    // A dead letter from a record no processor can send; retry puts it back, discard closes it.
    await t.connector.syncState.upsertDesired({
      connectionId: t.connection.id,
      entityType: 'mystery',
      entityId: 'm1',
      desired: '{}',
      version: '2026-11-01T00:00:00Z',
      hash: 'h',
      now: new Date().toISOString(),
    });
    await t.settle();
    const letters = await t.http().get('/v1/dead-letters').set(admin);
    expect(letters.body.deadLetters).toHaveLength(1);
    const id = letters.body.deadLetters[0].id as number;
    expect((await t.http().post(`/v1/dead-letters/${id}/retry`).set(admin)).body).toEqual({id, resolution: 'retried'});
    expect(
      (await t.connector.syncState.get({connectionId: t.connection.id, entityType: 'mystery', entityId: 'm1'}))?.status,
    ).toBe('pending');
    expect((await t.http().post(`/v1/dead-letters/${id}/retry`).set(admin)).status).toBe(409);
    expect((await t.http().post('/v1/dead-letters/abc/discard').set(admin)).status).toBe(400);
    expect((await t.http().post('/v1/dead-letters/999/discard').set(admin)).status).toBe(404);

    const before = await t.connector.inbox.get(1);
    const replay = await t.http().post('/v1/inbox/1/replay').set(admin);
    expect(replay.status).toBe(202);
    await t.settle();
    const after = await t.connector.inbox.get(1);
    expect(after?.status).toBe('processed');
    expect(after!.processed_at! >= before!.processed_at!).toBe(true);
    expect((await t.http().post('/v1/inbox/4242/replay').set(admin)).status).toBe(404);
  });
});
