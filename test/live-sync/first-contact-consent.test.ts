import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, TEST_SHOP, type TestConnector} from '../support/connector.js';
import {startTestSandbox} from '../support/sandbox.js';
import {startBackfillShop, type BackfillShop} from '../support/backfill-shop.js';
import {consentPayload, customerPayload, orderPayload, productPayload} from '../support/shopify-webhooks.js';

/**
 * Consent at a person's first contact (issue #11 point 1): whatever order the customer, member, order and consent
 * writes reach Mailchimp in, and whatever Mailchimp's latency, a person new to the audience whose consent is known
 * ends `subscribed` (or `pending` under double opt-in), never `transactional`. Before the fix, our own e-commerce
 * customer write created a transactional contact between the member lookup (404) and the member write (which
 * carried only `status_if_new`), and the contact stayed transactional.
 *
 * Real traffic: the connector runs (background inbox processor and sync worker), deliveries arrive while it works,
 * the people's deliveries interleave.
 */

const LATENCIES = [0, 40, 150];
const PEOPLE = 12;
const ORIGIN = 'https://www.first-contact.test';
const CHECKBOX_TEXT = 'Email me news and offers\nOptional. You can unsubscribe at any time.';

interface Person {
  id: string;
  email: string;
}

function people(tag: string, count = PEOPLE): Person[] {
  return Array.from({length: count}, (_, i) => ({
    id: String(7_100_000_000_000_000_000n + BigInt(i) * 17n + BigInt(tag.length)),
    email: `${tag}.${i}@first-contact.test`,
  }));
}

/** A few seconds ago, in order: consent times in the past, as Shopify sends them. */
const at = (offsetMs: number) => new Date(Date.now() - 30_000 + offsetMs).toISOString();

async function start(latencyMs: number, options: {doubleOptIn?: boolean} = {}): Promise<TestConnector> {
  const sandbox = await startTestSandbox({latencyMs});
  const t = await startTestConnector({
    sandbox,
    doubleOptIn: options.doubleOptIn,
    env: {STOREFRONT_ORIGINS: ORIGIN, STOREFRONT_RATE_LIMIT_PER_IP: '1000'},
  });
  // A connected shop: its Mailchimp store exists already (the first sync creates it; people arrive later).
  await t.webhook(
    'products/create',
    productPayload({
      id: '880001',
      title: 'Beanie',
      handle: 'beanie',
      updatedAt: at(0),
      variants: [{id: '880002', title: 'Grey', priceMinor: 20_00}],
    }),
  );
  await t.settle();
  t.connector.start();
  return t;
}

function statuses(t: TestConnector, list: Person[]): Record<string, string | undefined> {
  return Object.fromEntries(list.map((p) => [p.email, t.list.members.get(subscriberHash(p.email))?.status]));
}

function expectAll(t: TestConnector, list: Person[], status: string) {
  expect(statuses(t, list)).toEqual(Object.fromEntries(list.map((p) => [p.email, status])));
}

async function ok(res: Promise<{status: number}>) {
  const r = await res;
  expect([200, 202]).toContain(r.status);
}

describe.each(LATENCIES)('first contact with consent, Mailchimp latency %i ms', (latencyMs) => {
  let t: TestConnector | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('2025-10: customers/create, then the consent topic right behind it → subscribed', async () => {
    t = await start(latencyMs);
    const c = t;
    const list = people('behind');
    await Promise.all(
      list.map(async (p, i) => {
        await ok(c.webhook('customers/create', customerPayload({id: p.id, email: p.email, updatedAt: at(i)})));
        await ok(
          c.webhook(
            'customers_email_marketing_consent/update',
            consentPayload({customerId: p.id, email: p.email, state: 'subscribed', updatedAt: at(i + 1)}),
          ),
        );
      }),
    );
    await c.settle();
    expectAll(c, list, 'subscribed');
  });

  it('2025-10: the consent topic before customers/create → subscribed', async () => {
    t = await start(latencyMs);
    const c = t;
    const list = people('before');
    await Promise.all(
      list.map(async (p, i) => {
        await ok(
          c.webhook(
            'customers_email_marketing_consent/update',
            consentPayload({customerId: p.id, email: p.email, state: 'subscribed', updatedAt: at(i + 1)}),
          ),
        );
        await ok(c.webhook('customers/create', customerPayload({id: p.id, email: p.email, updatedAt: at(i)})));
      }),
    );
    await c.settle();
    expectAll(c, list, 'subscribed');
  });

  it('2024-10: one customers/create carrying email_marketing_consent subscribed → subscribed', async () => {
    t = await start(latencyMs);
    const c = t;
    const list = people('inside');
    await Promise.all(
      list.map((p, i) =>
        ok(
          c.webhook(
            'customers/create',
            customerPayload({
              id: p.id,
              email: p.email,
              updatedAt: at(i),
              consent: {state: 'subscribed', updatedAt: at(i)},
            }),
          ),
        ),
      ),
    );
    await c.settle();
    expectAll(c, list, 'subscribed');
  });

  it('the checkout checkbox, then the guest order → subscribed', async () => {
    t = await start(latencyMs);
    const c = t;
    const list = people('checkbox');
    await Promise.all(
      list.map(async (p, i) => {
        const beacon = c
          .http()
          .post('/v1/consent')
          .set('Origin', ORIGIN)
          .set('Content-Type', 'text/plain')
          .send(
            JSON.stringify({
              shop: TEST_SHOP,
              email: p.email,
              consent_text: CHECKBOX_TEXT,
              checked: true,
              page: `${ORIGIN}/checkout`,
            }),
          );
        await ok(beacon);
        const lines = [
          {id: `${p.id}1`, productId: null, variantId: null, title: 'Gift card', priceMinor: 25_00, quantity: 1},
        ];
        await ok(
          c.webhook(
            'orders/create',
            orderPayload({id: `${p.id}9`, email: p.email, lines, financialStatus: 'paid', updatedAt: at(i)}),
          ),
        );
      }),
    );
    await c.settle();
    expectAll(c, list, 'subscribed');
  });

  it('double opt-in audience: single opt-in consent → pending; Shopify confirmed_opt_in → subscribed', async () => {
    t = await start(latencyMs, {doubleOptIn: true});
    const c = t;
    const single = people('doi-single', PEOPLE / 2);
    const confirmed = people('doi-confirmed', PEOPLE / 2);
    await Promise.all(
      [
        ...single.map((p) => [p, 'single_opt_in'] as const),
        ...confirmed.map((p) => [p, 'confirmed_opt_in'] as const),
      ].map(async ([p, level], i) => {
        await ok(c.webhook('customers/create', customerPayload({id: p.id, email: p.email, updatedAt: at(i)})));
        await ok(
          c.webhook(
            'customers_email_marketing_consent/update',
            consentPayload({
              customerId: p.id,
              email: p.email,
              state: 'subscribed',
              optInLevel: level,
              updatedAt: at(i + 1),
            }),
          ),
        );
      }),
    );
    await c.settle();
    expectAll(c, single, 'pending');
    expectAll(c, confirmed, 'subscribed');
  });
});

describe('first contact through the backfill', () => {
  let shop: BackfillShop | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });

  it.each(LATENCIES)(
    'a subscribed Shopify customer new to the audience ends subscribed (latency %i ms)',
    async (latencyMs) => {
      const sandbox = await startTestSandbox({latencyMs});
      shop = await startBackfillShop(
        {products: 4, customers: 20, orders: 40, carts: 0, discountCodes: 0},
        {seed: 7, connector: {sandbox}},
      );
      const {shopify, t} = shop;
      const subscribed = shopify.state.customers
        .all()
        .filter((c) => c.email && c.consent?.state === 'SUBSCRIBED')
        .map((c) => c.email!.toLowerCase());
      expect(subscribed.length).toBeGreaterThan(0);
      await shop.backfill();
      expect(Object.fromEntries(subscribed.map((e) => [e, t.list.members.get(subscriberHash(e))?.status]))).toEqual(
        Object.fromEntries(subscribed.map((e) => [e, 'subscribed'])),
      );
    },
  );
});
