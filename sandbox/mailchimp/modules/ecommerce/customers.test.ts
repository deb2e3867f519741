import {createMember} from '../../core/members.js';
import {subscriberHash} from '../../core/state.js';
import {startShop, type ShopFixture} from './test-fixtures.js';

describe('e-commerce customers', () => {
  let shop: ShopFixture;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(() => shop.close());

  const list = () => shop.ts.sandbox.state.lists.get(shop.listId)!;

  it('creates a customer and a subscribed member when opt_in_status is true', async () => {
    const res = await shop.store('post', '/customers', {
      id: 'c1',
      email_address: 'Ann@Shop.test',
      opt_in_status: true,
      first_name: 'Ann',
      company: 'ACME',
      address: {city: 'Oslo'},
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'c1',
      email_address: 'Ann@Shop.test',
      opt_in_status: true,
      first_name: 'Ann',
      company: 'ACME',
      address: {city: 'Oslo'},
      orders_count: 0,
      total_spent: 0,
    });
    expect(res.body.created_at).toBeDefined();
    expect(res.body._links[0]).toMatchObject({rel: 'self'});
    expect(shop.member('ann@shop.test')).toMatchObject({status: 'subscribed', email_address: 'Ann@Shop.test'});
  });

  it('creates a transactional member when opt_in_status is false', async () => {
    await shop.store('post', '/customers', {id: 'c1', email_address: 'bob@shop.test', opt_in_status: false});
    expect(shop.member('bob@shop.test')!.status).toBe('transactional');
  });

  it('never changes an existing member, except transactional to subscribed on opt-in', async () => {
    createMember(shop.ts.sandbox.state, list(), {email_address: 'gone@shop.test', status: 'unsubscribed'});
    await shop.store('post', '/customers', {id: 'c1', email_address: 'gone@shop.test', opt_in_status: true});
    expect(shop.member('gone@shop.test')!.status).toBe('unsubscribed');

    await shop.store('post', '/customers', {id: 'c2', email_address: 'tx@shop.test', opt_in_status: false});
    await shop.store('patch', '/customers/c2', {opt_in_status: true});
    expect(shop.member('tx@shop.test')!.status).toBe('subscribed');
    const optedOut = await shop.store('patch', '/customers/c2', {opt_in_status: false});
    expect(optedOut.body.opt_in_status).toBe(false);
    expect(shop.member('tx@shop.test')!.status).toBe('subscribed');
  });

  it('creates the customer but no member for a permanently deleted address', async () => {
    list().forgotten.add(subscriberHash('forgotten@shop.test'));
    const res = await shop.store('post', '/customers', {
      id: 'c1',
      email_address: 'forgotten@shop.test',
      opt_in_status: true,
    });
    expect(res.status).toBe(200);
    expect(shop.member('forgotten@shop.test')).toBeUndefined();
  });

  it('refuses a second POST of the same customer id', async () => {
    await shop.store('post', '/customers', {id: 'c1', email_address: 'ann@shop.test', opt_in_status: false});
    const res = await shop.store('post', '/customers', {
      id: 'c1',
      email_address: 'ann@shop.test',
      opt_in_status: false,
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(
      'We were unable to process the request. A customer with the provided ID already exists in the account.',
    );
  });

  it('refuses customer ids longer than 50 characters', async () => {
    const id = 'x'.repeat(51);
    const res = await shop.store('post', '/customers', {id, email_address: 'ann@shop.test', opt_in_status: false});
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Invalid Resource');
    expect(res.body.errors).toEqual([expect.objectContaining({field: 'id'})]);
    const put = await shop.store('put', `/customers/${id}`, {id, email_address: 'ann@shop.test', opt_in_status: false});
    expect(put.status).toBe(400);
    expect(shop.ts.sandbox.state.stores.get(shop.storeId)!.customers.size).toBe(0);
    expect(
      (
        await shop.store('post', '/customers', {
          id: 'y'.repeat(50),
          email_address: 'ann@shop.test',
          opt_in_status: false,
        })
      ).status,
    ).toBe(200);
  });

  it('adds or updates with PUT, and never lets the email address change', async () => {
    const created = await shop.store('put', '/customers/c1', {
      id: 'c1',
      email_address: 'ann@shop.test',
      opt_in_status: false,
      first_name: 'Ann',
    });
    expect(created.status).toBe(200);
    const updated = await shop.store('put', '/customers/c1', {
      id: 'c1',
      email_address: 'ANN@shop.test',
      opt_in_status: false,
      last_name: 'Lee',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({first_name: 'Ann', last_name: 'Lee', email_address: 'ann@shop.test'});

    const changed = await shop.store('put', '/customers/c1', {
      id: 'c1',
      email_address: 'new@shop.test',
      opt_in_status: false,
    });
    expect(changed.status).toBe(400);
    expect(changed.body).toMatchObject({
      title: 'Bad Request',
      detail: 'An email address may not be changed once a customer is created.',
    });
    const patched = await shop.store('patch', '/customers/c1', {email_address: 'new@shop.test'});
    expect(patched.status).toBe(400);
    expect(patched.body.detail).toBe('An email address may not be changed once a customer is created.');
    expect(shop.member('new@shop.test')).toBeUndefined();
  });

  it('ignores orders_count and total_spent sent by the caller', async () => {
    const res = await shop.store('post', '/customers', {
      id: 'c1',
      email_address: 'ann@shop.test',
      opt_in_status: false,
      orders_count: 9,
      total_spent: 99,
    });
    expect(res.body).toMatchObject({orders_count: 0, total_spent: 0});
  });

  it('patches, gets, lists (filtered by email) and deletes customers', async () => {
    await shop.store('post', '/customers', {id: 'c1', email_address: 'ann@shop.test', opt_in_status: false});
    await shop.store('post', '/customers', {id: 'c2', email_address: 'bob@shop.test', opt_in_status: false});
    expect((await shop.store('patch', '/customers/c1', {first_name: 'Ann'})).body.first_name).toBe('Ann');
    expect((await shop.store('patch', '/customers/zz', {first_name: 'Z'})).status).toBe(404);
    expect((await shop.store('get', '/customers/c1')).body.first_name).toBe('Ann');

    const all = await shop.store('get', '/customers');
    expect(all.body).toMatchObject({store_id: shop.storeId, total_items: 2});
    const bob = await shop.store('get', '/customers?email_address=BOB%40shop.test');
    expect(bob.body.customers.map((c: {id: string}) => c.id)).toEqual(['c2']);

    expect((await shop.store('delete', '/customers/c1')).status).toBe(204);
    expect((await shop.store('get', '/customers/c1')).status).toBe(404);
    expect((await shop.store('delete', '/customers/c1')).status).toBe(404);
  });

  it('gives a customer deleted and created again its orders back', async () => {
    await shop.store('post', '/products', {id: 'p1', title: 'P', variants: [{id: 'p1', title: 'P'}]});
    await shop.store('post', '/orders', {
      id: 'o1',
      customer: {id: 'c1', email_address: 'ann@shop.test', opt_in_status: false},
      currency_code: 'USD',
      order_total: 12,
      lines: [{id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 12}],
    });
    await shop.store('delete', '/customers/c1');
    expect(shop.member('ann@shop.test')!.ecommerce.number_of_orders).toBe(0);
    const again = await shop.store('put', '/customers/c1', {
      id: 'c1',
      email_address: 'ann@shop.test',
      opt_in_status: false,
    });
    expect(again.body).toMatchObject({orders_count: 1, total_spent: 12});
    expect(shop.member('ann@shop.test')!.ecommerce).toMatchObject({number_of_orders: 1, total_revenue: 12});
  });

  it('refuses a fake or malformed address that would become a new contact, from customers, orders and carts, storing nothing', async () => {
    await shop.store('post', '/products', {id: 'p1', title: 'P', variants: [{id: 'p1', title: 'P'}]});
    const lines = [{id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 12}];
    const fake = 'jane@Example.com';
    const detail = `${fake} looks fake or invalid, please enter a real email address.`;
    const customer = {id: 'c1', email_address: fake, opt_in_status: true};
    const answers = [
      await shop.store('post', '/customers', customer),
      await shop.store('put', '/customers/c1', customer),
      await shop.store('post', '/orders', {id: 'o1', customer, currency_code: 'USD', order_total: 12, lines}),
      await shop.store('post', '/carts', {id: 'k1', customer, currency_code: 'USD', order_total: 12, lines}),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({title: 'Invalid Resource', detail});
    }
    const malformed = await shop.store('post', '/customers', {id: 'c2', email_address: 'AAAAA', opt_in_status: false});
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({title: 'Invalid Resource', detail: 'Please provide a valid email address.'});
    const store = shop.ts.sandbox.state.stores.get(shop.storeId)!;
    expect([store.customers.size, store.orders.size, store.carts.size, list().members.size]).toEqual([0, 0, 0, 0]);
  });

  it('answers 404 below an unknown store', async () => {
    expect((await shop.call('get', '/ecommerce/stores/nope/customers')).status).toBe(404);
    expect(
      (
        await shop.call('post', '/ecommerce/stores/nope/customers', {
          id: 'c',
          email_address: 'a@shop.test',
          opt_in_status: true,
        })
      ).status,
    ).toBe(404);
  });
});
