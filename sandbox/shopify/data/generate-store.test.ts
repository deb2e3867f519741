import {generateStore} from './generate-store.js';
import {orderTotals, type OrderRecord} from './records.js';

const size = {products: 200, customers: 600, orders: 2_000, carts: 30, discountCodes: 12};

function snapshot(seed: number) {
  const store = generateStore({seed, ...size});
  return {
    products: store.products.all(),
    customers: store.customers.all(),
    orders: store.orders.all(),
    discounts: store.discounts.all(),
    checkouts: store.checkouts.all(),
  };
}

describe('store generator', () => {
  it('gives the same store for the same seed and a different one for another seed', () => {
    const a = snapshot(17);
    expect(JSON.stringify(snapshot(17))).toBe(JSON.stringify(a));
    expect(JSON.stringify(snapshot(18).orders)).not.toBe(JSON.stringify(a.orders));
    expect(a.products).toHaveLength(200);
    expect(a.customers).toHaveLength(600);
    expect(a.orders).toHaveLength(2_000);
    expect(a.checkouts).toHaveLength(30);
    expect(a.discounts).toHaveLength(12);
  });

  it('produces the cases a connector must handle', () => {
    const {products, customers, orders, discounts} = snapshot(17);
    const has = (predicate: (o: OrderRecord) => boolean) => orders.filter(predicate).length;
    expect(products.every((p) => p.variants.length >= 1 && p.variants.length <= 4)).toBe(true);
    expect(new Set(products.map((p) => p.variants.length)).size).toBe(4);
    expect(customers.some((c) => c.email === null && c.consent === null)).toBe(true);
    const states = new Set(customers.flatMap((c) => (c.consent ? [c.consent.state] : [])));
    expect([...states].sort()).toStrictEqual(['INVALID', 'NOT_SUBSCRIBED', 'PENDING', 'REDACTED', 'SUBSCRIBED', 'UNSUBSCRIBED']);

    expect(has((o) => o.lines.some((l) => l.productId === null && l.variantId === null))).toBeGreaterThan(0);
    expect(has((o) => o.test)).toBeGreaterThan(0);
    expect(has((o) => o.cancelledAt !== null && o.cancelReason !== null)).toBeGreaterThan(0);
    expect(has((o) => o.financialStatus === 'REFUNDED' && o.refunds.length > 0)).toBeGreaterThan(0);
    expect(has((o) => o.financialStatus === 'PARTIALLY_REFUNDED' && o.refunds.length > 0)).toBeGreaterThan(0);
    expect(has((o) => o.financialStatus === 'PENDING')).toBeGreaterThan(0);
    expect(has((o) => o.financialStatus === 'AUTHORIZED')).toBeGreaterThan(0);
    expect(has((o) => o.customerId === null && o.email !== null)).toBeGreaterThan(0);
    expect(has((o) => o.landingPage?.includes('mc_cid=') === true)).toBeGreaterThan(0);
    expect(has((o) => o.customAttributes.some((a) => a.key.includes('mc_cid')))).toBeGreaterThan(0);
    expect(has((o) => o.discountCodes.length > 0)).toBeGreaterThan(0);
    expect(discounts.some((d) => d.value.type === 'percentage')).toBe(true);
    expect(discounts.some((d) => d.value.type === 'amount')).toBe(true);
  });

  it('keeps every order consistent: ids and times rise together, refunds never exceed the total, customers exist', () => {
    const store = generateStore({seed: 4, ...size});
    const orders = store.orders.all();
    for (let i = 1; i < orders.length; i += 1) expect(orders[i]!.createdAt).toBeGreaterThanOrEqual(orders[i - 1]!.createdAt);
    for (const order of orders) {
      const totals = orderTotals(order);
      expect(totals.refundedMinor).toBeLessThanOrEqual(totals.totalMinor);
      expect(order.updatedAt).toBeGreaterThanOrEqual(order.createdAt);
      if (order.customerId !== null) expect(store.customers.get(order.customerId)).toBeDefined();
      for (const line of order.lines) if (line.variantId !== null) expect(store.variant(line.variantId)?.productId).toBe(line.productId);
    }
    const years = (orders[orders.length - 1]!.createdAt - orders[0]!.createdAt) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(2.9);
  });
});
