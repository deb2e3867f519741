import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {emailAliasCustomerId} from '../../connector/src/sync/mappers/ecommerce-ids.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {customerPayload, orderPayload, productPayload} from '../support/shopify-webhooks.js';

const PRODUCT = '7513594872374821001';
const VARIANT = '42516954021908301';
const CUSTOMER = '6940095705142198271';
const OLD_EMAIL = 'grace@old.test';
const NEW_EMAIL = 'grace@new.test';
const line = (id: string) => ({
  id,
  productId: PRODUCT,
  variantId: VARIANT,
  title: 'Compiler',
  priceMinor: 30_00,
  quantity: 1,
});

describe('a customer whose e-mail changes (Mailchimp binds customer ids to their first address)', () => {
  let t: TestConnector;
  beforeEach(async () => {
    t = await startTestConnector({env: {LAPSED_AFTER_DAYS: '3650'}});
  });
  afterEach(() => t.close());

  const store = () => t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId);
  const member = (email: string) => t.list.members.get(subscriberHash(email));
  const deadLetters = () => t.connector.store.db.selectFrom('dead_letters').selectAll().execute();

  async function send(topic: string, body: string) {
    expect((await t.webhook(topic, body)).status).toBe(200);
  }

  it('continues the customer under an alias id, with new orders on the new address and old ones where they were', async () => {
    await send(
      'products/create',
      productPayload({
        id: PRODUCT,
        title: 'Compiler',
        handle: 'compiler',
        updatedAt: '2026-03-01T10:00:00Z',
        variants: [{id: VARIANT, title: 'A-0', priceMinor: 30_00}],
      }),
    );
    await send(
      'customers/create',
      customerPayload({
        id: CUSTOMER,
        email: OLD_EMAIL,
        firstName: 'Grace',
        lastName: 'Hopper',
        updatedAt: '2026-03-01T10:01:00Z',
      }),
    );
    await send(
      'orders/create',
      orderPayload({
        id: '9001',
        customer: {id: CUSTOMER, email: OLD_EMAIL},
        lines: [line('14500000000000000011')],
        financialStatus: 'paid',
        updatedAt: '2026-03-01T10:02:00Z',
      }),
    );
    await t.settle();
    expect(store()?.customers.get(CUSTOMER)).toMatchObject({email_address: OLD_EMAIL, orders_count: 1});

    // The address changes in Shopify; then a new order arrives under the new address.
    await send(
      'customers/update',
      customerPayload({
        id: CUSTOMER,
        email: NEW_EMAIL,
        firstName: 'Grace',
        lastName: 'Hopper',
        updatedAt: '2026-03-05T10:00:00Z',
      }),
    );
    await t.settle();
    const alias = emailAliasCustomerId(CUSTOMER, NEW_EMAIL);
    expect(store()?.customers.get(alias)).toMatchObject({email_address: NEW_EMAIL, first_name: 'Grace'});
    expect(store()?.customers.get(CUSTOMER)?.email_address).toBe(OLD_EMAIL);

    const before = t.sandbox.sandbox.recorder.all().length;
    await send(
      'orders/create',
      orderPayload({
        id: '9002',
        customer: {id: CUSTOMER, email: NEW_EMAIL},
        lines: [line('14500000000000000012')],
        financialStatus: 'paid',
        updatedAt: '2026-03-06T10:00:00Z',
      }),
    );
    await t.settle();
    expect(store()?.orders.get('9002')).toMatchObject({customer_id: alias});
    expect(store()?.orders.get('9001')).toMatchObject({customer_id: CUSTOMER});
    expect(store()?.customers.get(alias)).toMatchObject({orders_count: 1, total_spent: 30});
    // The alias is remembered: the new order went straight to it, with no refused write first.
    const orderWrites = t.sandbox.sandbox.recorder
      .all()
      .slice(before)
      .filter((r) => r.path.includes('/orders'));
    expect(orderWrites.map((r) => r.status).filter((s) => s === 400)).toEqual([]);

    // The member for the new address exists (the person is the same customer); nothing became a dead letter.
    expect(member(NEW_EMAIL)).toBeDefined();
    expect(await deadLetters()).toEqual([]);
  });

  it('gives an order that names the new address before the customer update its alias too', async () => {
    await send(
      'products/create',
      productPayload({
        id: PRODUCT,
        title: 'Compiler',
        handle: 'compiler',
        updatedAt: '2026-03-01T10:00:00Z',
        variants: [{id: VARIANT, title: 'A-0', priceMinor: 30_00}],
      }),
    );
    await send(
      'customers/create',
      customerPayload({id: CUSTOMER, email: OLD_EMAIL, updatedAt: '2026-03-01T10:01:00Z'}),
    );
    await t.settle();
    await send(
      'orders/create',
      orderPayload({
        id: '9003',
        customer: {id: CUSTOMER, email: NEW_EMAIL},
        lines: [line('14500000000000000013')],
        financialStatus: 'paid',
        updatedAt: '2026-03-06T10:00:00Z',
      }),
    );
    await t.settle();
    expect(store()?.orders.get('9003')).toMatchObject({customer_id: emailAliasCustomerId(CUSTOMER, NEW_EMAIL)});
    expect(await deadLetters()).toEqual([]);
  });

  it('redacts the alias customer with the person', async () => {
    await send(
      'customers/create',
      customerPayload({id: CUSTOMER, email: OLD_EMAIL, updatedAt: '2026-03-01T10:01:00Z'}),
    );
    await t.settle();
    await send(
      'customers/update',
      customerPayload({id: CUSTOMER, email: NEW_EMAIL, updatedAt: '2026-03-05T10:00:00Z'}),
    );
    await t.settle();
    const alias = emailAliasCustomerId(CUSTOMER, NEW_EMAIL);
    expect(store()?.customers.has(alias)).toBe(true);

    await send(
      'customers/redact',
      JSON.stringify({
        shop_id: 1,
        shop_domain: t.connection.shopDomain,
        customer: {id: 0, email: NEW_EMAIL, phone: null},
        orders_to_redact: [],
      }).replace('"id":0', `"id":${CUSTOMER}`),
    );
    await t.settle();
    expect(store()?.customers.has(alias)).toBe(false);
    expect(await t.connector.store.db.selectFrom('customer_email_aliases').selectAll().execute()).toEqual([]);
  });
});
