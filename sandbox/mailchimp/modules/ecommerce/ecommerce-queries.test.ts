import {createListRecord} from '../../core/lists.js';
import {
  customersForMember,
  memberEcommerceTotals,
  ordersForList,
  ordersForMember,
  storesForList,
  sumMoney,
} from './ecommerce-queries.js';
import {orderBody, productBody, startShop, type ShopFixture} from './test-fixtures.js';

describe('e-commerce queries', () => {
  let shop: ShopFixture;
  beforeEach(async () => {
    shop = await startShop();
    const other = createListRecord(shop.ts.sandbox.state, {name: 'Other'});
    await shop.call('post', '/ecommerce/stores', {id: 'eu', list_id: shop.listId, name: 'EU', currency_code: 'EUR'});
    await shop.call('post', '/ecommerce/stores', {
      id: 'elsewhere',
      list_id: other.id,
      name: 'Elsewhere',
      currency_code: 'USD',
    });
    for (const store of [shop.storeId, 'eu', 'elsewhere'])
      await shop.call('post', `/ecommerce/stores/${store}/products`, productBody('p1'));
    await shop.store(
      'post',
      '/orders',
      orderBody('o1', {id: 'c1', email_address: 'Ann@Shop.test'}, {order_total: 0.1}),
    );
    await shop.store('post', '/orders', orderBody('o2', {id: 'c2', email_address: 'bob@shop.test'}, {order_total: 7}));
    await shop.call(
      'post',
      '/ecommerce/stores/eu/orders',
      orderBody('o1', {id: 'x9', email_address: 'ann@shop.test'}, {order_total: 0.2}),
    );
    await shop.call(
      'post',
      '/ecommerce/stores/elsewhere/orders',
      orderBody('o1', {id: 'c1', email_address: 'ann@shop.test'}, {order_total: 100}),
    );
  });
  afterEach(() => shop.close());

  it('finds the stores and orders of an audience only', () => {
    const state = shop.ts.sandbox.state;
    expect(storesForList(state, shop.listId).map((s) => s.id)).toEqual([shop.storeId, 'eu']);
    expect(
      ordersForList(state, shop.listId).map(({store, order, customer}) => [store.id, order.id, customer?.id]),
    ).toEqual([
      [shop.storeId, 'o1', 'c1'],
      [shop.storeId, 'o2', 'c2'],
      ['eu', 'o1', 'x9'],
    ]);
  });

  it("finds a member's customers and orders across stores, ignoring case", () => {
    const state = shop.ts.sandbox.state;
    expect(
      customersForMember(state, shop.listId, 'ANN@shop.test').map(({store, customer}) => `${store.id}/${customer.id}`),
    ).toEqual([`${shop.storeId}/c1`, 'eu/x9']);
    expect(ordersForMember(state, shop.listId, 'ann@shop.test')).toHaveLength(2);
    expect(memberEcommerceTotals(state, shop.listId, 'ann@shop.test')).toEqual({
      total_revenue: 0.3,
      number_of_orders: 2,
      currency_code: 'USD',
    });
    expect(memberEcommerceTotals(state, shop.listId, 'nobody@shop.test')).toEqual({
      total_revenue: 0,
      number_of_orders: 0,
      currency_code: '',
    });
  });

  it("reports a deleted customer's orders without a customer, and no longer counts them for the member", async () => {
    await shop.store('delete', '/customers/c1');
    const state = shop.ts.sandbox.state;
    expect(
      ordersForList(state, shop.listId).find((o) => o.order.id === 'o1' && o.store.id === shop.storeId)!.customer,
    ).toBeUndefined();
    expect(shop.member('ann@shop.test')!.ecommerce).toEqual({
      total_revenue: 0.2,
      number_of_orders: 1,
      currency_code: 'EUR',
    });
  });

  it('sums money in cents', () => {
    expect(sumMoney([0.1, 0.2])).toBe(0.3);
    expect(sumMoney([])).toBe(0);
    expect(sumMoney([19.99, 0.01, 1e6])).toBe(1000020);
  });
});
