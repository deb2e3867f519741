import {orderBody, productBody, startShop, type ShopFixture} from './test-fixtures.js';
import {createListRecord} from '../../core/lists.js';

describe('e-commerce stores', () => {
  let shop: ShopFixture;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(() => shop.close());

  it('creates a store and returns it with the read-only fields of the spec', async () => {
    const res = await shop.call('post', '/ecommerce/stores', {
      id: 'shop-2',
      list_id: shop.listId,
      name: 'Second',
      currency_code: 'EUR',
      domain: 'https://second.example',
      is_syncing: true,
      platform: 'Shopify',
      address: {city: 'Berlin', country_code: 'DE'},
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'shop-2',
      list_id: shop.listId,
      name: 'Second',
      currency_code: 'EUR',
      domain: 'https://second.example',
      is_syncing: true,
      platform: 'Shopify',
      address: {city: 'Berlin', country_code: 'DE'},
      list_is_active: true,
      connected_site: {
        site_foreign_id: 'shop-2',
        site_script: {url: expect.stringMatching(/^https:\/\//), fragment: expect.stringContaining('<script')},
      },
      automations: {abandoned_cart: {is_supported: true}, abandoned_browse: {is_supported: true}},
    });
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(res.body.updated_at).toBe(res.body.created_at);
    expect(res.body._links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({rel: 'self', href: `${shop.ts.sandbox.origin()}/3.0/ecommerce/stores/shop-2`}),
      ]),
    );

    const got = await shop.call('get', '/ecommerce/stores/shop-2');
    expect(got.status).toBe(200);
    expect(got.body.is_syncing).toBe(true);
  });

  it('lists stores with paging and answers 404 for an unknown store', async () => {
    await shop.call('post', '/ecommerce/stores', {
      id: 'shop-2',
      list_id: shop.listId,
      name: 'Second',
      currency_code: 'USD',
    });
    const all = await shop.call('get', '/ecommerce/stores?count=1&offset=1');
    expect(all.status).toBe(200);
    expect(all.body.total_items).toBe(2);
    expect(all.body.stores.map((s: {id: string}) => s.id)).toEqual(['shop-2']);
    const missing = await shop.call('get', '/ecommerce/stores/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.title).toBe('Resource Not Found');
  });

  it('refuses a second store with the same id', async () => {
    const res = await shop.call('post', '/ecommerce/stores', {
      id: shop.storeId,
      list_id: shop.listId,
      name: 'Again',
      currency_code: 'USD',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      title: 'Bad Request',
      detail: 'We were unable to process the request. A store with the provided ID already exists in the account.',
    });
  });

  it('refuses a store whose audience does not exist', async () => {
    const res = await shop.call('post', '/ecommerce/stores', {
      id: 'shop-2',
      list_id: 'nolist',
      name: 'X',
      currency_code: 'USD',
    });
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Invalid Resource');
    expect(res.body.errors).toEqual([{field: 'list_id', message: expect.stringContaining('does not exist')}]);
    expect(shop.ts.sandbox.state.stores.has('shop-2')).toBe(false);
  });

  it('refuses a store without a required field', async () => {
    // The OpenAPI validator or the handler answers, both with an Invalid Resource naming the field.
    const res = await shop.call('post', '/ecommerce/stores', {id: 'shop-2', list_id: shop.listId, name: 'X'});
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Invalid Resource');
    expect(JSON.stringify(res.body.errors)).toContain('currency_code');
    expect(shop.ts.sandbox.state.stores.has('shop-2')).toBe(false);
  });

  it('keeps store domains unique within the account, on create and on update', async () => {
    await shop.call('patch', `/ecommerce/stores/${shop.storeId}`, {domain: 'https://shop.example/'});
    const dup = await shop.call('post', '/ecommerce/stores', {
      id: 'shop-2',
      list_id: shop.listId,
      name: 'X',
      currency_code: 'USD',
      domain: 'http://SHOP.example',
    });
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toBe(
      'We were unable to process the request. A store with the domain http://SHOP.example already exists in the account.',
    );

    await shop.call('post', '/ecommerce/stores', {
      id: 'shop-2',
      list_id: shop.listId,
      name: 'X',
      currency_code: 'USD',
      domain: 'other.example',
    });
    const moved = await shop.call('patch', '/ecommerce/stores/shop-2', {domain: 'https://shop.example'});
    expect(moved.status).toBe(400);
    expect(moved.body.detail).toBe(
      'We were unable to process the request. A store with the domain https://shop.example already exists in the account.',
    );
    const same = await shop.call('patch', `/ecommerce/stores/${shop.storeId}`, {domain: 'https://shop.example/'});
    expect(same.status).toBe(200);
  });

  it('updates a store, flips is_syncing, and never changes its audience', async () => {
    const patched = await shop.call('patch', `/ecommerce/stores/${shop.storeId}`, {
      name: 'Renamed',
      is_syncing: true,
      address: {city: 'Paris'},
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Renamed',
      is_syncing: true,
      address: {city: 'Paris'},
      currency_code: 'USD',
    });
    const synced = await shop.call('patch', `/ecommerce/stores/${shop.storeId}`, {is_syncing: false});
    expect(synced.body.is_syncing).toBe(false);

    const other = createListRecord(shop.ts.sandbox.state, {name: 'Other'});
    const moved = await shop.call('patch', `/ecommerce/stores/${shop.storeId}`, {list_id: other.id});
    expect(moved.status).toBe(400);
    expect(moved.body.errors).toEqual([{field: 'list_id', message: 'The list_id for a specific store cannot change.'}]);
    expect((await shop.call('get', `/ecommerce/stores/${shop.storeId}`)).body.list_id).toBe(shop.listId);
  });

  it('changes the currency with PATCH, with or without orders; orders keep the currency they were sent with', async () => {
    // The spec lets PATCH carry currency_code and documents no refusal for a store with orders; Mailchimp never
    // converts amounts. (A connector decides itself not to change it under existing orders.)
    const empty = await shop.call('patch', `/ecommerce/stores/${shop.storeId}`, {currency_code: 'EUR'});
    expect(empty.status).toBe(200);
    expect(empty.body.currency_code).toBe('EUR');

    await shop.store('post', '/products', productBody('p1'));
    expect(
      (
        await shop.store(
          'post',
          '/orders',
          orderBody('o1', {id: 'c1', email_address: 'ann@shop.test', opt_in_status: true}, {currency_code: 'EUR'}),
        )
      ).status,
    ).toBe(200);
    const withOrders = await shop.call('patch', `/ecommerce/stores/${shop.storeId}`, {currency_code: 'GBP'});
    expect(withOrders.status).toBe(200);
    expect(withOrders.body.currency_code).toBe('GBP');
    expect((await shop.store('get', '/products/p1')).body.currency_code).toBe('GBP');
    expect((await shop.store('get', '/orders/o1')).body).toMatchObject({currency_code: 'EUR', order_total: 10});
  });

  it('shows list_is_active false once the audience is gone', async () => {
    shop.ts.sandbox.state.lists.delete(shop.listId);
    const res = await shop.call('get', `/ecommerce/stores/${shop.storeId}`);
    expect(res.body.list_is_active).toBe(false);
  });

  it('deletes a store with its customers, products, orders and carts, and takes its orders out of member totals', async () => {
    await shop.store('post', '/products', {id: 'p1', title: 'P', variants: [{id: 'p1', title: 'P'}]});
    await shop.store('post', '/orders', {
      id: 'o1',
      customer: {id: 'c1', email_address: 'ann@shop.test', opt_in_status: true},
      currency_code: 'USD',
      order_total: 25,
      lines: [{id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 25}],
    });
    expect(shop.member('ann@shop.test')!.ecommerce).toEqual({
      total_revenue: 25,
      number_of_orders: 1,
      currency_code: 'USD',
    });
    await shop.store('post', '/carts', {
      id: 'k1',
      customer: {id: 'c1'},
      currency_code: 'USD',
      order_total: 10,
      lines: [{id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 10}],
    });

    const res = await shop.call('delete', `/ecommerce/stores/${shop.storeId}`);
    expect(res.status).toBe(204);
    expect((await shop.call('get', `/ecommerce/stores/${shop.storeId}`)).status).toBe(404);
    for (const sub of ['/customers/c1', '/products/p1', '/orders/o1', '/carts/k1']) {
      expect((await shop.call('get', `/ecommerce/stores/${shop.storeId}${sub}`)).status).toBe(404);
    }
    expect((await shop.call('get', '/ecommerce/orders')).body.total_items).toBe(0);
    expect(shop.member('ann@shop.test')!.ecommerce).toEqual({total_revenue: 0, number_of_orders: 0, currency_code: ''});
    // The member itself stays on the audience.
    expect(shop.member('ann@shop.test')!.status).toBe('subscribed');
  });

  it('applies field selection', async () => {
    const res = await shop.call('get', `/ecommerce/stores/${shop.storeId}?fields=id,name`);
    expect(res.body).toEqual({id: shop.storeId, name: 'Shop'});
    const without = await shop.call('get', `/ecommerce/stores/${shop.storeId}?exclude_fields=_links,connected_site`);
    expect(without.body).not.toHaveProperty('_links');
    expect(without.body).toHaveProperty('automations');
  });
});
