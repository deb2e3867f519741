import fc from 'fast-check';
import {lineBody, orderBody, productBody, startShop, type ShopFixture} from './test-fixtures.js';

/**
 * For any sequence of order writes for one customer, the customer's orders_count/total_spent and the member's
 * stats.ecommerce_data equal the sums recomputed from GET of the customer's orders.
 */

type Step =
  | {kind: 'create'; cents: number}
  | {kind: 'patch'; pick: number; cents: number; cancel: boolean}
  | {kind: 'delete'; pick: number};

const cents = fc.integer({min: 0, max: 10_000_000});
const step: fc.Arbitrary<Step> = fc.oneof(
  {arbitrary: fc.record({kind: fc.constant('create' as const), cents}), weight: 3},
  {arbitrary: fc.record({kind: fc.constant('patch' as const), pick: fc.nat(), cents, cancel: fc.boolean()}), weight: 2},
  {arbitrary: fc.record({kind: fc.constant('delete' as const), pick: fc.nat()}), weight: 1},
);

describe('e-commerce totals (property)', () => {
  let shop: ShopFixture;
  beforeAll(async () => {
    shop = await startShop();
  });
  afterAll(() => shop.close());

  it("customer and member totals always equal the sums over the customer's orders", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, {minLength: 1, maxLength: 12}), fc.boolean(), async (steps, optIn) => {
        run += 1;
        // Each run gets its own store and address, so that runs do not see each other's orders.
        const storeId = `prop-${run}`;
        const email = `buyer-${run}@shop.test`;
        const at = (path: string) => `/ecommerce/stores/${storeId}${path}`;
        expect(
          (
            await shop.call('post', '/ecommerce/stores', {
              id: storeId,
              list_id: shop.listId,
              name: storeId,
              currency_code: 'EUR',
            })
          ).status,
        ).toBe(200);
        await shop.call('post', at('/products'), productBody('p1'));
        await shop.call('post', at('/customers'), {id: 'c1', email_address: email, opt_in_status: optIn});

        const live: string[] = [];
        let next = 0;
        for (const s of steps) {
          if (s.kind === 'create') {
            const id = `o${next++}`;
            const res = await shop.call(
              'post',
              at('/orders'),
              orderBody(
                id,
                {id: 'c1', email_address: email, opt_in_status: optIn},
                {
                  currency_code: 'EUR',
                  order_total: s.cents / 100,
                  lines: [lineBody(`${id}-l`, 'p1')],
                },
              ),
            );
            expect(res.status).toBe(200);
            live.push(id);
          } else if (live.length > 0) {
            const id = live[s.pick % live.length]!;
            if (s.kind === 'patch') {
              const body = s.cancel
                ? {order_total: s.cents / 100, cancelled_at_foreign: '2024-01-01T00:00:00+00:00'}
                : {order_total: s.cents / 100};
              expect((await shop.call('patch', at(`/orders/${id}`), body)).status).toBe(200);
            } else {
              expect((await shop.call('delete', at(`/orders/${id}`))).status).toBe(204);
              live.splice(live.indexOf(id), 1);
            }
          }
        }

        const orders = (await shop.call('get', at('/orders?customer_id=c1&count=1000'))).body.orders as Array<{
          order_total: number;
        }>;
        const expectedCents = orders.reduce((sum, o) => sum + Math.round(o.order_total * 100), 0);
        expect(orders).toHaveLength(live.length);

        const customer = (await shop.call('get', at('/customers/c1'))).body;
        expect(customer.orders_count).toBe(orders.length);
        expect(Math.round(customer.total_spent * 100)).toBe(expectedCents);

        const member = shop.member(email)!;
        expect(member.ecommerce.number_of_orders).toBe(orders.length);
        expect(Math.round(member.ecommerce.total_revenue * 100)).toBe(expectedCents);
        expect(member.ecommerce.currency_code).toBe(orders.length > 0 ? 'EUR' : '');
      }),
      {numRuns: 40},
    );
  });
});
