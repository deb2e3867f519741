import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestSandbox} from '../support/sandbox.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {
  consentPayload,
  customerPayload,
  orderPayload,
  productPayload,
  signWebhook,
} from '../support/shopify-webhooks.js';

const iso = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0) + minute * 60_000).toISOString();
const writesTo = (t: TestConnector, method: string, pattern: RegExp) =>
  t.sandbox.sandbox.recorder.all().filter((r) => r.method === method && pattern.test(r.path) && r.status < 300).length;

describe('live sync reliability', () => {
  let t: TestConnector | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('refuses a forged or missing signature with 401 and stores nothing', async () => {
    t = await startTestConnector();
    const body = customerPayload({id: '1', email: 'mallory@shop.test', updatedAt: iso(0)});
    const forged = signWebhook('not-the-secret', TEST_SHOP, 'customers/create', body);
    const res = await t.http().post('/webhooks/shopify').set(forged.headers).send(body);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unsigned = {...signWebhook(t.webhookSecret, TEST_SHOP, 'customers/create', body).headers};
    delete (unsigned as Record<string, string>)['X-Shopify-Hmac-Sha256'];
    expect((await t.http().post('/webhooks/shopify').set(unsigned).send(body)).status).toBe(401);
    const tampered = signWebhook(t.webhookSecret, TEST_SHOP, 'customers/create', body);
    expect(
      (await t.http().post('/webhooks/shopify').set(tampered.headers).send(body.replace('mallory', 'eve'))).status,
    ).toBe(401);
    const unknownShop = signWebhook(t.webhookSecret, 'other.myshopify.com', 'customers/create', body);
    expect((await t.http().post('/webhooks/shopify').set(unknownShop.headers).send(body)).status).toBe(401);
    expect(await t.connector.store.db.selectFrom('inbox_events').selectAll().execute()).toHaveLength(0);
  });

  it('gives the same webhook delivered three times one effect', async () => {
    t = await startTestConnector();
    await t.webhook(
      'products/create',
      productPayload({
        id: '10',
        title: 'Lamp',
        handle: 'lamp',
        updatedAt: iso(0),
        variants: [{id: '11', title: 'Default', priceMinor: 1000}],
      }),
    );
    const order = orderPayload({
      id: '900',
      customer: {id: '5', email: 'once@shop.test'},
      financialStatus: 'paid',
      updatedAt: iso(1),
      lines: [{id: '1', productId: '10', variantId: '11', title: 'Lamp', priceMinor: 1000, quantity: 1}],
    });
    const responses = [];
    for (let i = 0; i < 3; i++)
      responses.push(await t.webhook('orders/create', order, {webhookId: 'same-delivery-id'}));
    expect(responses.map((r) => r.body.duplicate)).toEqual([false, true, true]);
    await t.settle();
    expect(
      await t.connector.store.db.selectFrom('inbox_events').selectAll().where('topic', '=', 'orders/create').execute(),
    ).toHaveLength(1);
    expect(writesTo(t, 'POST', /\/orders$/)).toBe(1);
    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    expect(store.customers.get('5')).toMatchObject({orders_count: 1, total_spent: 10});
  });

  it('coalesces a burst of 50 updates to one customer into at most 2 Mailchimp writes', async () => {
    const sandbox = await startTestSandbox({latencyMs: 40});
    t = await startTestConnector({sandbox});
    t.connector.start();
    const updates = Array.from({length: 50}, (_, i) =>
      customerPayload({id: '77', email: 'busy@shop.test', firstName: `Name${i}`, updatedAt: iso(i)}),
    );
    await Promise.all(updates.map((body) => t!.webhook('customers/update', body)));
    await t.settle();
    expect(writesTo(t, 'PUT', /\/customers\/77$/)).toBeLessThanOrEqual(2);
    expect(writesTo(t, 'PUT', new RegExp(`/members/${subscriberHash('busy@shop.test')}$`))).toBeLessThanOrEqual(2);
    // And the newest version won.
    expect(t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!.customers.get('77')?.first_name).toBe(
      'Name49',
    );
  });

  it('converges 500 mixed events to the exact state under 20% injected faults, within the connection limit', async () => {
    const sandbox = await startTestSandbox({requestTimeoutMs: 400});
    t = await startTestConnector({sandbox, env: {MAILCHIMP_MAX_CONCURRENT: '4', MAILCHIMP_TIMEOUT_MS: '300'}});
    // Ten random faults of five kinds, as a rough sea: 429 (and the account pause it causes), bare 403, 5xx, cut, reset.
    await sandbox.http().put('/__sandbox/faults').send({
      seed: 99,
      latencyMs: 2,
      latencyJitterMs: 6,
      p429: 0.07,
      p500: 0.05,
      p503: 0.03,
      p403: 0.02,
      pSlow: 0.02,
      slowMs: 1000,
      pReset: 0.01,
    });
    t.connector.start();

    const products = Array.from({length: 20}, (_, i) => ({
      id: String(1000 + i),
      variant: String(2000 + i),
      priceMinor: 500 + i * 100,
    }));
    const customers = Array.from({length: 60}, (_, i) => ({id: String(3000 + i), email: `person${i}@shop.test`}));
    const events: Array<[string, string]> = [];
    for (const p of products) {
      events.push([
        'products/create',
        productPayload({
          id: p.id,
          title: `Product ${p.id}`,
          handle: `p-${p.id}`,
          updatedAt: iso(0),
          variants: [{id: p.variant, title: 'Default', priceMinor: p.priceMinor}],
        }),
      ]);
    }
    customers.forEach((c, i) => {
      events.push([
        'customers/create',
        customerPayload({id: c.id, email: c.email, firstName: 'First', updatedAt: iso(1)}),
      ]);
      events.push([
        'customers/update',
        customerPayload({id: c.id, email: c.email, firstName: `Final${i}`, updatedAt: iso(2)}),
      ]);
      if (i % 3 === 0)
        events.push([
          'customers_email_marketing_consent/update',
          consentPayload({customerId: c.id, email: c.email, state: 'subscribed', updatedAt: iso(3)}),
        ]);
    });
    const expectedOrders = new Map<string, {customer: string; total: number}>();
    let orderNo = 0;
    while (events.length < 500) {
      const c = customers[orderNo % customers.length]!;
      const p = products[orderNo % products.length]!;
      const quantity = 1 + (orderNo % 3);
      const id = String(50_000 + orderNo);
      events.push([
        'orders/create',
        orderPayload({
          id,
          customer: {id: c.id, email: c.email},
          financialStatus: 'paid',
          updatedAt: iso(10 + orderNo),
          lines: [
            {
              id: `${id}1`,
              productId: p.id,
              variantId: p.variant,
              title: `Product ${p.id}`,
              priceMinor: p.priceMinor,
              quantity,
            },
          ],
        }),
      ]);
      expectedOrders.set(id, {customer: c.id, total: (p.priceMinor * quantity) / 100});
      orderNo += 1;
    }
    expect(events).toHaveLength(500);
    for (let i = 0; i < events.length; i += 25) {
      const chunk = events.slice(i, i + 25);
      const statuses = await Promise.all(chunk.map(([topic, body]) => t!.webhook(topic, body).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    }
    await t.settle(120_000);
    await sandbox.http().delete('/__sandbox/faults');

    const store = sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    expect(await t.connector.store.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
    expect(store.products.size).toBe(products.length);
    expect(store.orders.size).toBe(expectedOrders.size);
    for (const [id, expected] of expectedOrders)
      expect(store.orders.get(id)).toMatchObject({customer_id: expected.customer, order_total: expected.total});
    customers.forEach((c, i) => {
      const member = t!.list.members.get(subscriberHash(c.email));
      expect(member?.status).toBe(i % 3 === 0 ? 'subscribed' : 'transactional');
      expect(member?.merge_fields.FNAME).toBe(`Final${i}`);
      const spent = [...expectedOrders.values()]
        .filter((o) => o.customer === c.id)
        .reduce((sum, o) => sum + o.total, 0);
      expect(store.customers.get(c.id)?.total_spent).toBeCloseTo(spent, 2);
    });
    const stats = (await sandbox.http().get('/__sandbox/stats')).body as {
      maxInFlight: number;
      byStatus: Record<string, number>;
    };
    expect(stats.maxInFlight).toBeLessThanOrEqual(4);
    // The faults really happened.
    expect((stats.byStatus['429'] ?? 0) + (stats.byStatus['500'] ?? 0) + (stats.byStatus['503'] ?? 0)).toBeGreaterThan(
      20,
    );
  }, 120_000);

  it('lets a new process over the same database finish the queue of one that stopped mid-way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connector-restart-'));
    const databaseUrl = `sqlite:${join(dir, 'connector.db')}`;
    const sandbox = await startTestSandbox();
    try {
      const first = await startTestConnector({sandbox, databaseUrl, worker: {leaseMs: 200}});
      await first.webhook(
        'products/create',
        productPayload({
          id: '10',
          title: 'Lamp',
          handle: 'lamp',
          updatedAt: iso(0),
          variants: [{id: '11', title: 'Default', priceMinor: 1000}],
        }),
      );
      for (let i = 0; i < 40; i++) {
        const res = await first.webhook(
          'orders/create',
          orderPayload({
            id: String(700 + i),
            customer: {id: String(i), email: `buyer${i}@shop.test`},
            financialStatus: 'paid',
            updatedAt: iso(i + 1),
            lines: [
              {id: `${8000 + i}`, productId: '10', variantId: '11', title: 'Lamp', priceMinor: 1000, quantity: 1},
            ],
          }),
        );
        expect(res.status).toBe(200);
      }
      // Part of the inbox projected, some records claimed (and never finished), then the process is gone.
      await first.connector.processor.processBatch(25);
      await first.connector.syncState.claimDue(
        'worker-that-died',
        10,
        new Date().toISOString(),
        new Date(Date.now() + 200).toISOString(),
      );
      await first.connector.worker.round();
      await first.close({keepSandbox: true});

      const second = await startTestConnector({
        sandbox,
        list: first.list,
        databaseUrl,
        encryptionKey: first.encryptionKey,
        worker: {leaseMs: 200},
      });
      t = second;
      await second.settle();
      const store = sandbox.sandbox.state.stores.get(second.connection.mailchimpStoreId)!;
      expect(store.orders.size).toBe(40);
      // Nothing doubled: each order was created once, each customer counts exactly one order.
      expect(writesTo(second, 'POST', /\/orders$/)).toBe(40);
      for (let i = 0; i < 40; i++) expect(store.customers.get(String(i))?.orders_count).toBe(1);
      expect(
        await second.connector.store.db
          .selectFrom('inbox_events')
          .selectAll()
          .where('status', '!=', 'processed')
          .execute(),
      ).toEqual([]);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('never resubscribes someone who unsubscribed in Mailchimp when Shopify sends older data', async () => {
    t = await startTestConnector();
    const email = 'changed.mind@shop.test';
    await t.webhook(
      'customers/create',
      customerPayload({id: '42', email, updatedAt: iso(0), consent: {state: 'subscribed', updatedAt: iso(0)}}),
    );
    await t.settle();
    expect(t.list.members.get(subscriberHash(email))?.status).toBe('subscribed');

    const unsub = await t.sandbox
      .http()
      .post(`/__sandbox/lists/${t.list.id}/members/${encodeURIComponent(email)}/unsubscribe`)
      .send({});
    expect(unsub.status).toBeLessThan(300);
    expect(t.list.members.get(subscriberHash(email))?.status).toBe('unsubscribed');

    // A later profile update from Shopify still carrying the old "subscribed" consent.
    await t.webhook(
      'customers/update',
      customerPayload({
        id: '42',
        email,
        firstName: 'Renamed',
        updatedAt: iso(5),
        consent: {state: 'subscribed', updatedAt: iso(0)},
      }),
    );
    await t.webhook(
      'customers_email_marketing_consent/update',
      consentPayload({customerId: '42', email, state: 'subscribed', updatedAt: iso(0)}),
    );
    await t.settle();
    const member = t.list.members.get(subscriberHash(email));
    expect(member?.status).toBe('unsubscribed');
    expect(member?.merge_fields.FNAME).toBe('Renamed');
  });
});
