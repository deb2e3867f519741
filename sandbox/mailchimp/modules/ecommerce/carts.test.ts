import {lineBody, productBody, startShop, type ShopFixture} from './test-fixtures.js';

function cartBody(
  id: string,
  customer: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    customer,
    currency_code: 'USD',
    order_total: 10,
    checkout_url: `https://shop.test/checkout/${id}`,
    lines: [lineBody(`${id}-l1`, 'p1')],
    ...extra,
  };
}

describe('e-commerce carts', () => {
  let shop: ShopFixture;
  beforeEach(async () => {
    shop = await startShop();
    await shop.store('post', '/products', productBody('p1', ['p1', 'p1-red']));
  });
  afterEach(() => shop.close());

  it('creates a cart and a new customer with a transactional member; checkout_url is kept', async () => {
    const res = await shop.store(
      'post',
      '/carts',
      cartBody('k1', {id: 'c1', email_address: 'ann@shop.test'}, {tax_total: 1.5}),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'k1',
      checkout_url: 'https://shop.test/checkout/k1',
      currency_code: 'USD',
      order_total: 10,
      tax_total: 1.5,
      customer: {id: 'c1', email_address: 'ann@shop.test', orders_count: 0, total_spent: 0},
      lines: [
        {
          id: 'k1-l1',
          product_id: 'p1',
          product_title: 'Product p1',
          product_variant_id: 'p1',
          product_variant_title: 'Variant p1',
          quantity: 1,
          price: 10,
        },
      ],
    });
    expect(res.body.lines[0]).not.toHaveProperty('image_url');
    expect(res.body.created_at).toBeDefined();
    expect(shop.member('ann@shop.test')!.status).toBe('transactional');
    // Carts are not purchases.
    expect(shop.member('ann@shop.test')!.ecommerce.number_of_orders).toBe(0);
  });

  it('subscribes a new customer who opted in', async () => {
    await shop.store('post', '/carts', cartBody('k1', {id: 'c1', email_address: 'ann@shop.test', opt_in_status: true}));
    expect(shop.member('ann@shop.test')!.status).toBe('subscribed');
  });

  it('applies the order rules: product, variant, email, customer id length, campaign, duplicates', async () => {
    const noProduct = await shop.store(
      'post',
      '/carts',
      cartBody('k1', {id: 'c1', email_address: 'a@shop.test'}, {lines: [lineBody('l1', 'nope')]}),
    );
    expect(noProduct.body.detail).toBe('A product with the provided ID does not exist in the account for this list.');
    const noVariant = await shop.store(
      'post',
      '/carts',
      cartBody('k1', {id: 'c1', email_address: 'a@shop.test'}, {lines: [lineBody('l1', 'p1', 'x')]}),
    );
    expect(noVariant.body.detail).toBe(
      'A product with the provided variant ID does not exist in the account for this list.',
    );
    const noEmail = await shop.store('post', '/carts', cartBody('k1', {id: 'c1'}));
    expect(noEmail.body.errors).toEqual([
      {field: 'email_address', message: 'An email address is required to create a customer.'},
    ]);
    expect(
      (await shop.store('post', '/carts', cartBody('k1', {id: 'c'.repeat(51), email_address: 'a@shop.test'}))).status,
    ).toBe(404);
    const campaign = await shop.store(
      'post',
      '/carts',
      cartBody('k1', {id: 'c1', email_address: 'a@shop.test'}, {campaign_id: 'nope'}),
    );
    expect(campaign.body.detail).toBe('A campaign with the provided ID does not exist in the account for this list.');
    expect(shop.member('a@shop.test')).toBeUndefined();

    expect((await shop.store('post', '/carts', cartBody('k1', {id: 'c1', email_address: 'a@shop.test'}))).status).toBe(
      200,
    );
    const dup = await shop.store('post', '/carts', cartBody('k1', {id: 'c1'}));
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toBe(
      'We were unable to process the request. A cart with the provided ID already exists in the account.',
    );
    const lines = await shop.store(
      'post',
      '/carts',
      cartBody('k2', {id: 'c1'}, {lines: [lineBody('l1', 'p1'), lineBody('l1', 'p1')]}),
    );
    expect(lines.body.detail).toBe('A cart may not contain the same line item id more than once.');
  });

  it('patches, lists, gets and deletes carts', async () => {
    await shop.store('post', '/carts', cartBody('k1', {id: 'c1', email_address: 'ann@shop.test'}));
    const patched = await shop.store('patch', '/carts/k1', {
      order_total: 30,
      checkout_url: 'https://shop.test/c/new',
      lines: [lineBody('l2', 'p1', 'p1-red', {price: 20})],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({order_total: 30, checkout_url: 'https://shop.test/c/new'});
    expect(patched.body.lines.map((l: {id: string}) => l.id)).toEqual(['k1-l1', 'l2']);

    const all = await shop.store('get', '/carts');
    expect(all.body).toMatchObject({store_id: shop.storeId, total_items: 1});
    expect((await shop.store('get', '/carts/k1')).body.order_total).toBe(30);
    expect((await shop.store('delete', '/carts/k1')).status).toBe(204);
    expect((await shop.store('get', '/carts/k1')).status).toBe(404);
    // The customer stays.
    expect((await shop.store('get', '/customers/c1')).status).toBe(200);
  });

  it('goes away with its customer', async () => {
    await shop.store('post', '/carts', cartBody('k1', {id: 'c1', email_address: 'ann@shop.test'}));
    await shop.store('delete', '/customers/c1');
    expect((await shop.store('get', '/carts/k1')).status).toBe(404);
  });

  it('has a lines sub-resource', async () => {
    await shop.store('post', '/carts', cartBody('k1', {id: 'c1', email_address: 'ann@shop.test'}));
    const list = await shop.store('get', '/carts/k1/lines');
    expect(list.body).toMatchObject({store_id: shop.storeId, cart_id: 'k1', total_items: 1});
    const added = await shop.store('post', '/carts/k1/lines', lineBody('l2', 'p1', 'p1-red'));
    expect(added.body).toMatchObject({id: 'l2', product_variant_title: 'Variant p1-red'});
    expect(added.body).not.toHaveProperty('discount');
    const patched = await shop.store('patch', '/carts/k1/lines/l2', {quantity: 5});
    expect(patched.body.quantity).toBe(5);
    expect((await shop.store('get', '/carts/k1/lines/l2')).body.quantity).toBe(5);
    expect((await shop.store('delete', '/carts/k1/lines/l2')).status).toBe(204);
    expect((await shop.store('get', '/carts/k1/lines')).body.total_items).toBe(1);
    const bad = await shop.store('post', '/carts/k1/lines', lineBody('l3', 'p1', 'ghost'));
    expect(bad.body.detail).toBe('A product with the provided variant ID does not exist in the account for this list.');
  });
});
