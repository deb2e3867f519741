import {createListRecord} from '../../core/lists.js';
import type {CampaignRecord, SandboxState} from '../../core/state.js';
import {lineBody, orderBody, productBody, startShop, type ShopFixture} from './test-fixtures.js';

/** A sent campaign to `listId`, as the campaigns module would store it. */
function addCampaign(state: SandboxState, id: string, listId: string): void {
  const campaign: CampaignRecord = {
    id,
    web_id: 1,
    type: 'regular',
    create_time: state.timestamp(),
    status: 'sent',
    send_time: state.timestamp(),
    emails_sent: 1,
    content_type: 'template',
    recipients: {list_id: listId},
    settings: {title: `Campaign ${id}`},
    tracking: {},
    sent_to: [],
    test_sends: [],
    activity: {opens: [], clicks: [], unsubscribes: [], bounces: []},
  };
  state.campaigns.set(id, campaign);
}

describe('e-commerce orders', () => {
  let shop: ShopFixture;
  const ann = {id: 'c1', email_address: 'ann@shop.test', opt_in_status: false};
  beforeEach(async () => {
    shop = await startShop();
    await shop.store('post', '/products', productBody('p1', ['p1', 'p1-red'], {image_url: 'https://img.test/p1.png'}));
  });
  afterEach(() => shop.close());

  it('creates an order, its customer and a transactional member, with the response fields of the spec', async () => {
    const res = await shop.store(
      'post',
      '/orders',
      orderBody('o1', ann, {
        order_total: 42.5,
        financial_status: 'paid',
        fulfillment_status: 'shipped',
        tracking_number: 'TN1',
        tracking_carrier: 'UPS',
        tracking_url: 'https://track.test/TN1',
        processed_at_foreign: '2024-05-01T10:00:00+00:00',
        promos: [{code: 'SAVE', amount_discounted: 5, type: 'fixed'}],
        lines: [lineBody('l1', 'p1', 'p1-red', {quantity: 2, price: 20, discount: 1})],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'o1',
      store_id: shop.storeId,
      currency_code: 'USD',
      order_total: 42.5,
      financial_status: 'paid',
      fulfillment_status: 'shipped',
      tracking_number: 'TN1',
      tracking_carrier: 'UPS',
      tracking_url: 'https://track.test/TN1',
      processed_at_foreign: '2024-05-01T10:00:00+00:00',
      promos: [{code: 'SAVE', amount_discounted: 5, type: 'fixed'}],
      customer: {id: 'c1', email_address: 'ann@shop.test', orders_count: 1, total_spent: 42.5},
      lines: [
        {
          id: 'l1',
          product_id: 'p1',
          product_title: 'Product p1',
          product_variant_id: 'p1-red',
          product_variant_title: 'Variant p1-red',
          image_url: 'https://img.test/p1.png',
          quantity: 2,
          price: 20,
          discount: 1,
        },
      ],
    });
    expect(shop.member('ann@shop.test')).toMatchObject({
      status: 'transactional',
      ecommerce: {total_revenue: 42.5, number_of_orders: 1, currency_code: 'USD'},
    });
    const member = await shop.call('get', `/lists/${shop.listId}/members/ann@shop.test`);
    expect(member.status).toBe(200);
    expect(member.body.stats.ecommerce_data).toEqual({total_revenue: 42.5, number_of_orders: 1, currency_code: 'USD'});
  });

  it('links an existing customer by id alone', async () => {
    await shop.store('post', '/customers', {...ann, opt_in_status: true});
    const res = await shop.store('post', '/orders', orderBody('o1', {id: 'c1'}));
    expect(res.status).toBe(200);
    expect(res.body.customer).toMatchObject({id: 'c1', email_address: 'ann@shop.test', orders_count: 1});
    expect(shop.member('ann@shop.test')!.status).toBe('subscribed');
  });

  it('subscribes the member of a new customer who opted in', async () => {
    await shop.store('post', '/orders', orderBody('o1', {...ann, opt_in_status: true}));
    expect(shop.member('ann@shop.test')!.status).toBe('subscribed');
  });

  it('needs an email address to create the customer of an order', async () => {
    const res = await shop.store('post', '/orders', orderBody('o1', {id: 'guest'}));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      title: 'Invalid Resource',
      errors: [{field: 'email_address', message: 'An email address is required to create a customer.'}],
    });
    expect((await shop.store('get', '/orders/o1')).status).toBe(404);
    expect((await shop.store('get', '/customers/guest')).status).toBe(404);
  });

  it('refuses a different email address for an existing customer', async () => {
    await shop.store('post', '/customers', ann);
    const res = await shop.store('post', '/orders', orderBody('o1', {id: 'c1', email_address: 'other@shop.test'}));
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('An email address may not be changed once a customer is created.');
  });

  it('answers 404 for a customer id longer than 50 characters', async () => {
    const res = await shop.store('post', '/orders', orderBody('o1', {...ann, id: 'c'.repeat(51)}));
    expect(res.status).toBe(404);
    expect(res.body.title).toBe('Resource Not Found');
  });

  it("refuses lines naming an unknown product or variant with Mailchimp's texts, writing nothing", async () => {
    const noProduct = await shop.store(
      'post',
      '/orders',
      orderBody('o1', ann, {lines: [lineBody('l1', 'p1'), lineBody('l2', 'nope')]}),
    );
    expect(noProduct.status).toBe(400);
    expect(noProduct.body).toMatchObject({
      title: 'Bad Request',
      detail: 'A product with the provided ID does not exist in the account for this list.',
    });
    expect(noProduct.body).not.toHaveProperty('errors');

    const noVariant = await shop.store(
      'post',
      '/orders',
      orderBody('o1', ann, {lines: [lineBody('l1', 'p1', 'p1-blue')]}),
    );
    expect(noVariant.status).toBe(400);
    expect(noVariant.body.detail).toBe(
      'A product with the provided variant ID does not exist in the account for this list.',
    );
    expect(noVariant.body).not.toHaveProperty('errors');

    expect((await shop.store('get', '/customers/c1')).status).toBe(404);
    expect(shop.member('ann@shop.test')).toBeUndefined();
  });

  it('refuses a second POST of an order and repeated line ids', async () => {
    await shop.store('post', '/orders', orderBody('o1', ann));
    const dup = await shop.store('post', '/orders', orderBody('o1', ann));
    expect(dup.status).toBe(400);
    expect(dup.body.detail).toBe(
      'We were unable to process the request. An order with the provided ID already exists in the account.',
    );
    const lines = await shop.store(
      'post',
      '/orders',
      orderBody('o2', ann, {lines: [lineBody('l1', 'p1'), lineBody('l1', 'p1', 'p1-red')]}),
    );
    expect(lines.status).toBe(400);
    expect(lines.body.detail).toBe('An order may not contain the same line item id more than once.');
  });

  it('has no PUT: 405 with the allowed methods', async () => {
    await shop.store('post', '/orders', orderBody('o1', ann));
    const res = await shop.store('put', '/orders/o1', orderBody('o1', ann));
    expect(res.status).toBe(405);
    expect(res.headers.allow!.split(', ').sort()).toEqual(['DELETE', 'GET', 'PATCH']);
  });

  it("accepts only campaigns of the store's audience", async () => {
    const state = shop.ts.sandbox.state;
    addCampaign(state, 'camp1', shop.listId);
    addCampaign(state, 'elsewhere', createListRecord(state, {name: 'Other'}).id);
    for (const campaignId of ['nope', 'elsewhere']) {
      const res = await shop.store('post', '/orders', orderBody('o1', ann, {campaign_id: campaignId}));
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe('A campaign with the provided ID does not exist in the account for this list.');
    }
    const ok = await shop.store('post', '/orders', orderBody('o1', ann, {campaign_id: 'camp1'}));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      campaign_id: 'camp1',
      outreach: {id: 'camp1', name: 'Campaign camp1', type: 'regular'},
    });
    const patched = await shop.store('patch', '/orders/o1', {campaign_id: 'nope'});
    expect(patched.status).toBe(400);
  });

  it('patches an order: totals follow order_total, promos are replaced, lines merge by id, cancellation is stored', async () => {
    await shop.store(
      'post',
      '/orders',
      orderBody('o1', ann, {order_total: 30, promos: [{code: 'A', amount_discounted: 1, type: 'fixed'}]}),
    );
    await shop.store('post', '/orders', orderBody('o2', {id: 'c1'}, {order_total: 20}));
    expect(shop.member('ann@shop.test')!.ecommerce).toMatchObject({total_revenue: 50, number_of_orders: 2});

    const res = await shop.store('patch', '/orders/o1', {
      order_total: 12.25,
      promos: [{code: 'B', amount_discounted: 2, type: 'percentage'}],
      financial_status: 'cancelled',
      cancelled_at_foreign: '2024-05-02T00:00:00+00:00',
      lines: [{id: 'o1-l1', quantity: 3}, lineBody('l2', 'p1', 'p1-red')],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      order_total: 12.25,
      financial_status: 'cancelled',
      cancelled_at_foreign: '2024-05-02T00:00:00+00:00',
      promos: [{code: 'B', amount_discounted: 2, type: 'percentage'}],
    });
    expect(res.body.lines.map((l: {id: string; quantity: number}) => [l.id, l.quantity])).toEqual([
      ['o1-l1', 3],
      ['l2', 1],
    ]);
    // Cancelled orders still count, with the total the store sent (mc-magento2 #1272).
    expect(res.body.customer).toMatchObject({orders_count: 2, total_spent: 32.25});
    expect(shop.member('ann@shop.test')!.ecommerce).toMatchObject({total_revenue: 32.25, number_of_orders: 2});

    const badLine = await shop.store('patch', '/orders/o1', {
      order_total: 1,
      lines: [{id: 'o1-l1', product_variant_id: 'ghost'}],
    });
    expect(badLine.status).toBe(400);
    expect(badLine.body.detail).toBe(
      'A product with the provided variant ID does not exist in the account for this list.',
    );
    expect((await shop.store('get', '/orders/o1')).body.order_total).toBe(12.25);
  });

  it("updates the order's customer from PATCH but never its email address", async () => {
    await shop.store('post', '/orders', orderBody('o1', ann));
    const res = await shop.store('patch', '/orders/o1', {customer: {first_name: 'Ann', opt_in_status: true}});
    expect(res.body.customer).toMatchObject({first_name: 'Ann', opt_in_status: true});
    expect(shop.member('ann@shop.test')!.status).toBe('subscribed');
    const changed = await shop.store('patch', '/orders/o1', {customer: {email_address: 'x@shop.test'}});
    expect(changed.status).toBe(400);
  });

  it('deletes an order and takes it out of the totals', async () => {
    await shop.store('post', '/orders', orderBody('o1', ann, {order_total: 30}));
    await shop.store('post', '/orders', orderBody('o2', {id: 'c1'}, {order_total: 20}));
    expect((await shop.store('delete', '/orders/o1')).status).toBe(204);
    expect((await shop.store('get', '/orders/o1')).status).toBe(404);
    expect((await shop.store('get', '/customers/c1')).body).toMatchObject({orders_count: 1, total_spent: 20});
    expect(shop.member('ann@shop.test')!.ecommerce).toMatchObject({total_revenue: 20, number_of_orders: 1});
  });

  it('lists orders with customer, campaign and outreach filters, per store and account-wide', async () => {
    addCampaign(shop.ts.sandbox.state, 'camp1', shop.listId);
    await shop.store('post', '/orders', orderBody('o1', ann, {campaign_id: 'camp1'}));
    await shop.store('post', '/orders', orderBody('o2', {id: 'c2', email_address: 'bob@shop.test'}));
    await shop.call('post', '/ecommerce/stores', {
      id: 'shop-2',
      list_id: shop.listId,
      name: 'Two',
      currency_code: 'USD',
    });
    await shop.call('post', '/ecommerce/stores/shop-2/products', productBody('p1'));
    await shop.call(
      'post',
      '/ecommerce/stores/shop-2/orders',
      orderBody('o1', {id: 'c1', email_address: 'ann@shop.test'}, {campaign_id: 'camp1', order_total: 5}),
    );

    const ids = (body: {orders: Array<{id: string; store_id: string}>}) =>
      body.orders.map((o) => `${o.store_id}/${o.id}`);
    expect(ids((await shop.store('get', '/orders')).body)).toEqual(['shop-1/o1', 'shop-1/o2']);
    expect(ids((await shop.store('get', '/orders?customer_id=c2')).body)).toEqual(['shop-1/o2']);
    expect(ids((await shop.store('get', '/orders?has_outreach=false')).body)).toEqual(['shop-1/o2']);
    expect(ids((await shop.call('get', '/ecommerce/orders')).body)).toEqual(['shop-1/o1', 'shop-1/o2', 'shop-2/o1']);
    const byCampaign = await shop.call('get', '/ecommerce/orders?campaign_id=camp1');
    expect(byCampaign.body.total_items).toBe(2);
    expect(ids(byCampaign.body)).toEqual(['shop-1/o1', 'shop-2/o1']);
    expect(ids((await shop.call('get', '/ecommerce/orders?customer_id=c1&count=1&offset=1')).body)).toEqual([
      'shop-2/o1',
    ]);
    expect(ids((await shop.call('get', '/ecommerce/orders?outreach_id=camp1&has_outreach=true')).body)).toHaveLength(2);

    // The member's totals cover every store of the audience.
    expect(shop.member('ann@shop.test')!.ecommerce).toEqual({
      total_revenue: 15,
      number_of_orders: 2,
      currency_code: 'USD',
    });
  });

  it('shows line titles from the catalog, and the stored ones after the product is deleted', async () => {
    await shop.store('post', '/orders', orderBody('o1', ann));
    await shop.store('patch', '/products/p1', {title: 'Renamed'});
    expect((await shop.store('get', '/orders/o1')).body.lines[0].product_title).toBe('Renamed');
    await shop.store('delete', '/products/p1');
    const res = await shop.store('get', '/orders/o1');
    expect(res.status).toBe(200);
    expect(res.body.lines[0]).toMatchObject({product_id: 'p1', product_title: 'Product p1'});
  });

  describe('order lines', () => {
    beforeEach(async () => {
      await shop.store('post', '/orders', orderBody('o1', ann));
    });

    it('lists, adds, gets, patches and deletes lines', async () => {
      const list = await shop.store('get', '/orders/o1/lines');
      expect(list.body).toMatchObject({store_id: shop.storeId, order_id: 'o1', total_items: 1});
      const added = await shop.store('post', '/orders/o1/lines', lineBody('l2', 'p1', 'p1-red', {price: 3}));
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({
        id: 'l2',
        product_variant_title: 'Variant p1-red',
        image_url: 'https://img.test/p1.png',
        price: 3,
      });
      const dup = await shop.store('post', '/orders/o1/lines', lineBody('l2', 'p1'));
      expect(dup.status).toBe(400);
      expect(dup.body.detail).toBe('An order may not contain the same line item id more than once.');

      expect((await shop.store('get', '/orders/o1/lines/l2')).body.price).toBe(3);
      const patched = await shop.store('patch', '/orders/o1/lines/l2', {quantity: 4, product_variant_id: 'p1'});
      expect(patched.body).toMatchObject({quantity: 4, product_variant_id: 'p1', product_variant_title: 'Variant p1'});
      const bad = await shop.store('patch', '/orders/o1/lines/l2', {product_id: 'nope'});
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toBe('A product with the provided ID does not exist in the account for this list.');

      expect((await shop.store('delete', '/orders/o1/lines/l2')).status).toBe(204);
      expect((await shop.store('get', '/orders/o1/lines/l2')).status).toBe(404);
      expect((await shop.store('get', '/orders/o1')).body.lines).toHaveLength(1);
      expect((await shop.store('get', '/orders/nope/lines')).status).toBe(404);
    });

    it('refuses a new line for an unknown product', async () => {
      const res = await shop.store('post', '/orders/o1/lines', lineBody('l2', 'nope'));
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe('A product with the provided ID does not exist in the account for this list.');
    });
  });
});
