import {createHash, randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {sql} from 'kysely';
import pg from 'pg';
import type request from 'supertest';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {checkoutPayload, customerPayload, orderPayload, productPayload} from '../support/shopify-webhooks.js';
import {TEST_POSTGRES_URL} from '../support/databases.js';
import {describeWithService, POSTGRES} from '../support/services.js';

/**
 * GDPR redaction leaves nothing behind (issue #12, item 5): after `customers/redact` (Shopify) or `person.redact`
 * (generic ingest) no stored copy of the person's address or name is left — not in inbox payloads, dead letters,
 * evidence or sync state, and not in the SQLite file, its WAL or its shared-memory file — and neither an operator
 * replay nor a late retry of an event older than the redaction brings the person back.
 */

const PRODUCT = '7513594872374821001';
const VARIANT = '42516954021908301';
const CUSTOMER = '6940095705142198273';
const ORDER = '5801122334455667783';
const EMAIL = 'augusta.byronwood@erase-me.test';
const FIRST = 'Augustina';
const LAST = 'Byronwood';

const problemOf = (res: request.Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
};

/** Every occurrence of the person's data we look for in the raw bytes. */
function traces(): string[] {
  // As typed, URL-encoded, Mailchimp's subscriber hash (MD5), a plain SHA-256 (what an unkeyed tombstone or the
  // storefront's checkout sightings would keep), the names, and the customer id.
  return [
    EMAIL,
    EMAIL.toUpperCase(),
    encodeURIComponent(EMAIL),
    FIRST,
    LAST,
    subscriberHash(EMAIL),
    createHash('sha256').update(EMAIL).digest('hex'),
    CUSTOMER,
  ];
}

function rawFiles(dbPath: string): Array<{file: string; bytes: Buffer}> {
  return [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]
    .filter((f) => existsSync(f))
    .map((file) => ({file, bytes: readFileSync(file)}));
}

function leftovers(dbPath: string): string[] {
  const found: string[] = [];
  for (const {file, bytes} of rawFiles(dbPath)) {
    for (const trace of traces())
      if (bytes.includes(Buffer.from(trace, 'utf8'))) found.push(`${trace} in ${file.slice(dbPath.length) || 'db'}`);
  }
  return found;
}

describe('GDPR redaction erases every stored copy (Shopify customers/redact, SQLite file database)', () => {
  let t: TestConnector;
  let dir: string;
  let dbPath: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redaction-'));
    dbPath = join(dir, 'connector.db');
    t = await startTestConnector({
      databaseUrl: `sqlite:${dbPath}`,
      env: {LAPSED_AFTER_DAYS: '3650'},
      worker: {maxAttempts: 2},
    });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, {recursive: true, force: true});
  });

  const admin = () => ({Authorization: `Bearer ${t.adminToken}`});
  const send = async (topic: string, body: string, opts?: {webhookId?: string; triggeredAt?: string}) => {
    const res = await t.webhook(topic, body, opts);
    expect(res.status).toBe(200);
  };
  const redactBody = () =>
    JSON.stringify({
      shop_id: 1,
      shop_domain: t.connection.shopDomain,
      customer: {id: 0, email: EMAIL, phone: null},
      orders_to_redact: [1],
    })
      .replace('"id":0', `"id":${CUSTOMER}`)
      .replace('[1]', `[${ORDER}]`);

  it('leaves no trace in the database file, WAL or SHM, and refuses to replay what came before', async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    await send(
      'products/create',
      productPayload({
        id: PRODUCT,
        title: 'Engine',
        handle: 'engine',
        updatedAt: '2026-03-01T10:00:00Z',
        variants: [{id: VARIANT, title: 'Brass', priceMinor: 12_50}],
      }),
      {triggeredAt: minutesAgo(30)},
    );
    await send(
      'customers/create',
      customerPayload({
        id: CUSTOMER,
        email: EMAIL,
        firstName: FIRST,
        lastName: LAST,
        updatedAt: '2026-03-01T10:01:00Z',
        consent: {state: 'subscribed', updatedAt: '2026-03-01T10:01:00Z'},
      }),
      {webhookId: 'wh-customer-create', triggeredAt: minutesAgo(29)},
    );
    await send(
      'checkouts/create',
      checkoutPayload({
        token: 'chk-erase-open',
        email: EMAIL,
        updatedAt: '2026-03-01T10:02:00Z',
        lines: [{id: 'k1', productId: PRODUCT, variantId: VARIANT, title: 'Engine', priceMinor: 12_50, quantity: 1}],
      }),
      {triggeredAt: minutesAgo(28)},
    );
    await send(
      'orders/create',
      orderPayload({
        id: ORDER,
        customer: {id: CUSTOMER, email: EMAIL},
        lines: [
          {
            id: '14500000000000000001',
            productId: PRODUCT,
            variantId: VARIANT,
            title: 'Engine',
            priceMinor: 12_50,
            quantity: 2,
          },
        ],
        financialStatus: 'paid',
        updatedAt: '2026-03-01T10:03:00Z',
      }),
      {triggeredAt: minutesAgo(27)},
    );
    // Storefront evidence: the subscribe form, from the shop's own storefront.
    const subscribed = await t
      .http()
      .post('/v1/subscribe')
      .set('Origin', `https://${TEST_SHOP}`)
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({
          shop: TEST_SHOP,
          email: EMAIL,
          first_name: FIRST,
          consent_text: 'Yes, send me the newsletter. Unsubscribe any time.',
          page: `https://${TEST_SHOP}/`,
        }),
      );
    expect(subscribed.status).toBe(202);
    await t.settle();
    expect(t.list.members.get(subscriberHash(EMAIL))).toBeDefined();

    // A dead letter naming the person: member writes fail until the worker gives up.
    await t.sandbox
      .http()
      .put('/__sandbox/faults')
      .send({routes: [{method: 'PUT', pathPattern: '/members/[0-9a-f]{32}$', settings: {p500: 1}}]});
    await send(
      'customers/update',
      customerPayload({
        id: CUSTOMER,
        email: EMAIL,
        firstName: FIRST,
        lastName: `${LAST}-Smythe`,
        updatedAt: '2026-03-01T10:05:00Z',
      }),
      {triggeredAt: minutesAgo(20)},
    );
    await t.settle();
    await t.sandbox.http().delete('/__sandbox/faults');
    const letters = await t.http().get('/v1/dead-letters').set(admin());
    expect(JSON.stringify(letters.body.deadLetters)).toContain(EMAIL);
    // Everything is on disk now (the WAL or the file).
    expect(leftovers(dbPath).length).toBeGreaterThan(0);
    const oldEvent = await t.connector.store.db
      .selectFrom('inbox_events')
      .select('id')
      .where('dedupe_key', '=', 'wh-customer-create')
      .executeTakeFirstOrThrow();

    await send('customers/redact', redactBody());
    await t.settle();
    expect(t.list.members.get(subscriberHash(EMAIL))).toBeUndefined();
    expect(t.list.forgotten.has(subscriberHash(EMAIL))).toBe(true);

    // Not in the database file, not in its WAL, not in the shared-memory index.
    expect(leftovers(dbPath)).toEqual([]);
    expect((await t.http().get('/v1/dead-letters?include_resolved=true').set(admin())).body.deadLetters).toEqual([]);

    // An operator replay of an event from before the redaction is refused, and recreates nothing.
    const replay = await t
      .http()
      .post(`/v1/inbox/${Number(oldEvent.id)}/replay`)
      .set(admin());
    problemOf(replay, 410);
    await t.settle();
    // A late retry of an older event (Shopify redelivers with the original X-Shopify-Triggered-At) brings nobody back.
    await send(
      'customers/update',
      customerPayload({
        id: CUSTOMER,
        email: EMAIL,
        firstName: FIRST,
        lastName: LAST,
        updatedAt: '2026-03-01T10:06:00Z',
      }),
      {webhookId: 'wh-late-retry', triggeredAt: minutesAgo(15)},
    );
    await send(
      'orders/updated',
      orderPayload({
        id: ORDER,
        customer: {id: CUSTOMER, email: EMAIL},
        lines: [
          {
            id: '14500000000000000001',
            productId: PRODUCT,
            variantId: VARIANT,
            title: 'Engine',
            priceMinor: 12_50,
            quantity: 2,
          },
        ],
        financialStatus: 'paid',
        updatedAt: '2026-03-01T10:07:00Z',
      }),
      {triggeredAt: minutesAgo(14)},
    );
    await t.settle();
    const db = t.connector.store.db;
    expect(await db.selectFrom('people').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('purchases').selectAll().execute()).toEqual([]);
    expect(
      await db
        .selectFrom('sync_state')
        .select(['entity_type', 'entity_id'])
        .where('entity_type', 'in', ['member', 'customer', 'order'])
        .execute(),
    ).toEqual([]);
    expect(t.list.members.get(subscriberHash(EMAIL))).toBeUndefined();
    expect(t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)?.customers.has(CUSTOMER)).toBe(false);
    expect(leftovers(dbPath)).toEqual([]);
  });

  it('lets an event newer than the redaction bring the person back (they came back on their own)', async () => {
    await send(
      'customers/create',
      customerPayload({
        id: CUSTOMER,
        email: EMAIL,
        firstName: FIRST,
        lastName: LAST,
        updatedAt: '2026-03-01T10:01:00Z',
      }),
      {triggeredAt: new Date(Date.now() - 60_000).toISOString()},
    );
    await t.settle();
    await send('customers/redact', redactBody(), {triggeredAt: new Date(Date.now() - 30_000).toISOString()});
    await t.settle();
    expect(await t.connector.store.db.selectFrom('people').selectAll().execute()).toEqual([]);
    await send(
      'customers/create',
      customerPayload({id: '77', email: EMAIL, firstName: FIRST, lastName: LAST, updatedAt: new Date().toISOString()}),
      {triggeredAt: new Date().toISOString()},
    );
    await t.settle();
    const people = await t.connector.store.db.selectFrom('people').select(['email', 'customer_id']).execute();
    expect(people).toEqual([{email: EMAIL, customer_id: '77'}]);
  });
});

/** The generic-ingest redaction on SQLite and on the machine's Postgres (the erasure's queries are the engines' own SQL). */
function genericIngestRedaction(engine: 'sqlite' | 'postgres'): void {
  let t: TestConnector;
  let schema: string | undefined;
  beforeEach(async () => {
    schema = engine === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    t = await startTestConnector({
      ...(schema ? {databaseUrl: TEST_POSTGRES_URL} : {}),
      env: {STORE_CURRENCY: 'EUR', LAPSED_AFTER_DAYS: '3650', ...(schema ? {DATABASE_SCHEMA: schema} : {})},
    });
  });
  afterEach(async () => {
    await t.close();
    if (schema) {
      const client = new pg.Client({connectionString: TEST_POSTGRES_URL});
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  const GUEST = 'grete.guestwright@erase-me.test';
  const post = async (events: unknown[]) => {
    const res = await t.http().post('/v1/events').set('Authorization', `Bearer ${t.ingestToken}`).send({events});
    expect(res.status).toBe(202);
  };
  const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  const customer = (id: string, occurredAt: string) => ({
    id,
    type: 'customer.upsert',
    occurred_at: occurredAt,
    data: {
      id: 'cus_77',
      email: GUEST,
      first_name: 'Grete',
      last_name: 'Guestwright',
      consent: {
        state: 'subscribed',
        updated_at: occurredAt,
        source: 'ingest_api',
        evidence: {text: 'Yes, send me news.', ip: '203.0.113.9'},
      },
    },
  });
  const order = (id: string, occurredAt: string) => ({
    id,
    type: 'order.upsert',
    occurred_at: occurredAt,
    data: {
      id: 'ord_77',
      customer: {id: 'cus_77', email: GUEST, first_name: 'Grete', last_name: 'Guestwright'},
      currency: 'EUR',
      total: '10.00',
      lines: [{id: 'l1', product_id: null, variant_id: null, title: 'Gift wrapping', quantity: 1, price: '10.00'}],
      financial_status: 'paid',
      fulfillment_status: 'unfulfilled',
      processed_at: occurredAt,
      shipping_address: {name: 'Grete Guestwright', address1: '1 Erasure Lane', city: 'Berlin', country_code: 'DE'},
    },
  });
  const cart = (id: string, occurredAt: string) => ({
    id,
    type: 'cart.upsert',
    occurred_at: occurredAt,
    data: {
      id: 'cart_77',
      customer: {id: 'cus_77', email: GUEST, first_name: 'Grete'},
      currency: 'EUR',
      total: '10.00',
      lines: [{id: 'c1', product_id: null, variant_id: null, title: 'Gift wrapping', quantity: 1, price: '10.00'}],
      checkout_url: 'https://shop.example.com/checkout/cart_77',
    },
  });

  /** Every row of every table of the connector, as text. */
  async function everything(): Promise<string> {
    const db = t.connector.store.db;
    const rows: unknown[] = [];
    for (const table of await db.introspection.getTables()) {
      if (table.schema !== undefined && table.schema !== schema && engine === 'postgres') continue;
      rows.push((await sql`select * from ${sql.table(table.name)}`.execute(db)).rows);
    }
    return JSON.stringify(rows);
  }
  const traces = [
    GUEST,
    'Guestwright',
    'Erasure Lane',
    subscriberHash(GUEST),
    createHash('sha256').update(GUEST).digest('hex'),
  ];

  it('forgets the person everywhere, refuses replays and ignores late events from before the redaction', async () => {
    await post([customer('evt-c1', at(-30)), order('evt-o1', at(-29)), cart('evt-cart1', at(-28))]);
    await t.settle();
    const before = await everything();
    // The address as typed, and as the storefront's checkout sightings keep it (SHA-256).
    for (const trace of [GUEST, 'Erasure Lane', createHash('sha256').update(GUEST).digest('hex')])
      expect(before).toContain(trace);
    const old = await t.connector.store.db
      .selectFrom('inbox_events')
      .select('id')
      .where('dedupe_key', '=', 'evt-o1')
      .executeTakeFirstOrThrow();

    await post([
      {
        id: 'evt-redact',
        type: 'person.redact',
        occurred_at: at(-10),
        data: {email: GUEST, customer_id: 'cus_77', order_ids: ['ord_77']},
      },
    ]);
    await t.settle();
    const text = await everything();
    for (const trace of traces) expect(text).not.toContain(trace);
    expect(t.list.members.get(subscriberHash(GUEST))).toBeUndefined();
    // The abandoned cart went from Mailchimp too.
    expect(t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)?.carts.has('cart_77')).toBe(false);

    const replay = await t
      .http()
      .post(`/v1/inbox/${Number(old.id)}/replay`)
      .set('Authorization', `Bearer ${t.adminToken}`);
    problemOf(replay, 410);
    // A late event from before the redaction, under a new id: stored, then dropped and erased.
    await post([customer('evt-c-late', at(-20)), order('evt-o-late', at(-19))]);
    await t.settle();
    const after = await everything();
    for (const trace of traces) expect(after).not.toContain(trace);
    expect(t.list.members.get(subscriberHash(GUEST))).toBeUndefined();

    // A sign-up after the redaction is the person's own new choice: it is kept.
    await post([customer('evt-c-new', at(0))]);
    await t.settle();
    expect((await t.connector.store.db.selectFrom('people').select('email').execute()).map((p) => p.email)).toEqual([
      GUEST,
    ]);
  });
}

describe('GDPR redaction through the generic ingest (person.redact), SQLite', () => genericIngestRedaction('sqlite'));
describeWithService(POSTGRES, 'GDPR redaction through the generic ingest (person.redact), Postgres', () =>
  genericIngestRedaction('postgres'),
);
