import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startBackfillShop, type BackfillShop} from '../support/backfill-shop.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {orderPayload} from '../support/shopify-webhooks.js';

/**
 * No contact without a reason (issue #11 point 4): Mailchimp bills every contact, so a member is written only for a
 * person who has an e-commerce customer or an order in Mailchimp, or a consent to record. Guests with only unpaid
 * orders and abandoned checkouts get none of their own.
 */
describe('no contact without a reason', () => {
  let shop: BackfillShop | undefined;
  let t: TestConnector | undefined;
  afterEach(async () => {
    if (shop) await shop.close();
    else await t?.close();
    t = undefined;
    shop = undefined;
  });

  it('a backfill of a shop with guests, unpaid orders and abandoned checkouts creates members only for customers, buyers and consents', async () => {
    shop = await startBackfillShop({products: 10, customers: 40, orders: 160, carts: 8, discountCodes: 0}, {seed: 11});
    const {shopify} = shop;
    t = shop.t;
    expect(await shop.backfill()).toMatchObject({status: 'completed', deadLetters: 0});

    // The shop has guests whose only orders Mailchimp never gets (pending, authorized, voided or test): the case.
    const captured = new Set(['PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);
    const byGuest = new Map<string, boolean>();
    for (const o of shopify.state.orders.all()) {
      if (o.customerId !== null || !o.email) continue;
      const sent = !o.test && captured.has(o.financialStatus);
      byGuest.set(o.email.toLowerCase(), (byGuest.get(o.email.toLowerCase()) ?? false) || sent);
    }
    const unpaidGuests = [...byGuest].filter(([, sent]) => !sent).map(([email]) => email);
    expect(unpaidGuests.length).toBeGreaterThan(0);

    const store = t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;
    const inStore = new Set([...store.customers.values()].map((c) => c.email_address.toLowerCase()));
    const members = [...t.list.members.values()].map((m) => m.email_address.toLowerCase());
    expect(members.filter((email) => !inStore.has(email))).toEqual([]);
    for (const email of unpaidGuests)
      expect([email, t.list.members.has(subscriberHash(email))]).toEqual([email, false]);
    // Every customer with an address and every buyer is there.
    for (const c of shopify.state.customers.all())
      if (c.email) expect([c.email, t.list.members.has(subscriberHash(c.email))]).toEqual([c.email, true]);
  });

  it('live: a guest order waiting for payment makes no contact; once paid the buyer is a member with tags', async () => {
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '36500'}});
    const email = 'waiting.guest@contact-reason.test';
    const lines = [{id: '71001', productId: null, variantId: null, title: 'Gift card', priceMinor: 30_00, quantity: 1}];
    const at = new Date(Date.now() - 60_000).toISOString();
    expect(
      (
        await t.webhook(
          'orders/create',
          orderPayload({id: '8100001', email, lines, financialStatus: 'pending', updatedAt: at}),
        )
      ).status,
    ).toBe(200);
    await t.settle();
    expect(t.list.members.has(subscriberHash(email))).toBe(false);
    expect(t.sandbox.sandbox.recorder.all().filter((r) => r.path.includes('/members') && r.method !== 'GET')).toEqual(
      [],
    );

    const paidAt = new Date(Date.now() - 30_000).toISOString();
    expect(
      (
        await t.webhook(
          'orders/paid',
          orderPayload({id: '8100001', email, lines, financialStatus: 'paid', updatedAt: paidAt}),
        )
      ).status,
    ).toBe(200);
    await t.settle();
    expect(t.list.members.get(subscriberHash(email))).toMatchObject({status: 'transactional'});
    expect(t.list.members.get(subscriberHash(email))?.tags.map((tag) => tag.name)).toContain('first-time-buyer');
  });

  it('redacting a guest Mailchimp never had is done at once, without a dead letter; a paying guest goes entirely', async () => {
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '36500'}});
    const c = t;
    const lines = [{id: '72001', productId: null, variantId: null, title: 'Gift card', priceMinor: 30_00, quantity: 1}];
    const at = new Date(Date.now() - 60_000).toISOString();
    const unpaid = 'never.there@contact-reason.test';
    const paying = 'paying.guest@contact-reason.test';
    expect(
      (
        await c.webhook(
          'orders/create',
          orderPayload({id: '8200001', email: unpaid, lines, financialStatus: 'pending', updatedAt: at}),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await c.webhook(
          'orders/create',
          orderPayload({id: '8200002', email: paying, lines, financialStatus: 'paid', updatedAt: at}),
        )
      ).status,
    ).toBe(200);
    await c.settle();
    const store = () => c.sandbox.sandbox.state.stores.get(c.connection.mailchimpStoreId)!;
    expect([...store().customers.values()].map((x) => x.email_address)).toEqual([paying]);
    for (const [email, order] of [
      [unpaid, 8200001],
      [paying, 8200002],
    ] as const) {
      const body = JSON.stringify({
        shop_id: 1,
        shop_domain: c.connection.shopDomain,
        customer: {id: null, email, phone: null},
        orders_to_redact: [order],
      });
      expect((await c.webhook('customers/redact', body)).status).toBe(200);
    }
    await c.settle();
    expect(await c.connector.store.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
    expect(c.list.members.has(subscriberHash(paying))).toBe(false);
    expect([...store().customers.values()].map((x) => x.email_address)).toEqual([]);
  });
});
