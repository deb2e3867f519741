import fc from 'fast-check';
import type {AbandonedCheckoutNode} from './documents/checkout-documents.js';
import type {CustomerNode} from './documents/customer-documents.js';
import type {DiscountCodeNode} from './documents/discount-documents.js';
import type {LineItemNode, OrderNode} from './documents/order-documents.js';
import type {ProductNode} from './documents/product-documents.js';
import {readAdminFixture} from './fixtures/read-admin-fixture.js';
import {mapAbandonedCheckoutNode} from './checkout-mapper.js';
import {mapCustomerNode} from './customer-mapper.js';
import {mapCodeDiscountNode} from './discount-mapper.js';
import {mapOrderNode} from './order-mapper.js';
import {mapProductNode} from './product-mapper.js';

const order = readAdminFixture<{orders: {nodes: OrderNode[]}}>('orders-page').orders.nodes[0]!;
const customer = readAdminFixture<{customers: {nodes: CustomerNode[]}}>('customers-page').customers.nodes[0]!;
const product = readAdminFixture<{products: {nodes: ProductNode[]}}>('products-page').products.nodes[0]!;
const discount = readAdminFixture<{codeDiscountNodes: {nodes: DiscountCodeNode[]}}>('code-discounts-page')
  .codeDiscountNodes.nodes[0]!;
const checkout = readAdminFixture<{abandonedCheckouts: {nodes: AbandonedCheckoutNode[]}}>('abandoned-checkouts-page')
  .abandonedCheckouts.nodes[0]!;
const shop = {shopDomain: 'example-store.myshopify.com', shopCurrency: 'USD'};

/** 64-bit ids, far beyond 2^53: they must come through as the exact digits. */
const bigId = fc.bigInt({min: 1n, max: 2n ** 63n - 1n}).map(String);
const decimal = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const shopMoney = (minor: number) => ({shopMoney: {amount: decimal(minor), currencyCode: 'USD'}});

/** Every path to a value inside a JSON value. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}

function withNulls<T>(node: T, nulled: Array<Array<string | number>>): T {
  const copy = structuredClone(node) as unknown;
  for (const path of nulled) {
    if (path.length === 0) return null as T;
    let target = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      if (target === null || typeof target !== 'object') break;
      target = target[key] as Record<string | number, unknown>;
    }
    if (target !== null && typeof target === 'object') target[path[path.length - 1]!] = null;
  }
  return copy as T;
}

describe('node mappers: properties', () => {
  it('never throw, whatever is null: a node they cannot map is an error result', () => {
    const cases: Array<[unknown, (node: never) => {ok: boolean}]> = [
      [order, (node) => mapOrderNode(node)],
      [customer, (node) => mapCustomerNode(node)],
      [product, (node) => mapProductNode(node, shop)],
      [discount, (node) => mapCodeDiscountNode(node, shop.shopDomain)],
      [checkout, (node) => mapAbandonedCheckoutNode(node)],
    ];
    for (const [fixture, map] of cases) {
      fc.assert(
        fc.property(fc.subarray(paths(fixture), {maxLength: 6}), (nulled) => {
          const result = map(withNulls(fixture, nulled) as never);
          expect(typeof result.ok).toBe('boolean');
          if (nulled.length === 0) expect(result.ok).toBe(true);
        }),
        {numRuns: 150},
      );
    }
  });

  it('ids survive exactly: REST ids from legacyResourceId or the gid, never rounded', () => {
    fc.assert(
      fc.property(bigId, bigId, bigId, bigId, (orderId, lineId, productId, customerId) => {
        const node: OrderNode = {
          ...order,
          id: `gid://shopify/Order/${orderId}`,
          legacyResourceId: orderId,
          customer: {...order.customer!, id: `gid://shopify/Customer/${customerId}`, legacyResourceId: customerId},
          lineItems: {
            nodes: [
              {
                ...order.lineItems.nodes[0]!,
                id: `gid://shopify/LineItem/${lineId}`,
                product: {id: `gid://shopify/Product/${productId}`, legacyResourceId: productId},
              },
            ],
          },
          refunds: [],
        };
        const result = mapOrderNode(node);
        expect(result.ok && result.value.id).toBe(orderId);
        expect(result.ok && result.value.customer.id).toBe(customerId);
        expect(result.ok && result.value.lines[0]?.id).toBe(lineId);
        expect(result.ok && result.value.lines[0]?.productId).toBe(productId);
        // Without legacyResourceId the gid's digits are used.
        const fromGid = mapCustomerNode({
          ...customer,
          id: `gid://shopify/Customer/${customerId}`,
          legacyResourceId: undefined as unknown as string,
        });
        expect(fromGid.ok && fromGid.value.id).toBe(customerId);
      }),
    );
  });

  it('money never loses a cent: totals and lines come out in exact minor units that add up', () => {
    const line = fc.record({
      unit: fc.integer({min: 0, max: 500_000}),
      quantity: fc.integer({min: 1, max: 9}),
      discountShare: fc.double({min: 0, max: 1, noNaN: true}),
    });
    fc.assert(
      fc.property(
        fc.array(line, {minLength: 1, maxLength: 6}),
        fc.integer({min: 0, max: 5_000}),
        fc.integer({min: 0, max: 20_000}),
        (lines, shipping, tax) => {
          const lineNodes: LineItemNode[] = lines.map((l, i) => ({
            ...order.lineItems.nodes[0]!,
            id: `gid://shopify/LineItem/${i + 1}`,
            quantity: l.quantity,
            originalUnitPriceSet: shopMoney(l.unit),
            totalDiscountSet: shopMoney(Math.floor(l.unit * l.quantity * l.discountShare)),
          }));
          const discount = lines.reduce((sum, l) => sum + Math.floor(l.unit * l.quantity * l.discountShare), 0);
          const subtotal = lines.reduce((sum, l) => sum + l.unit * l.quantity, 0) - discount;
          const total = subtotal + shipping + tax;
          const result = mapOrderNode({
            ...order,
            lineItems: {nodes: lineNodes},
            refunds: [],
            totalPriceSet: shopMoney(total),
            totalDiscountsSet: shopMoney(discount),
            totalShippingPriceSet: shopMoney(shipping),
            totalTaxSet: shopMoney(tax),
          });
          if (!result.ok) throw new Error(JSON.stringify(result.error));
          const mapped = result.value;
          expect(mapped.total.minor).toBe(total);
          const lineNet = mapped.lines.reduce((sum, l) => sum + l.price.minor * l.quantity - l.discount.minor, 0);
          expect(lineNet + mapped.shippingTotal.minor + mapped.taxTotal.minor).toBe(mapped.total.minor);
          expect(mapped.discountTotal.minor).toBe(discount);
        },
      ),
    );
  });

  it('consent is subscribed only when Shopify says SUBSCRIBED, and an unknown state is no consent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(
            'SUBSCRIBED',
            'NOT_SUBSCRIBED',
            'UNSUBSCRIBED',
            'PENDING',
            'REDACTED',
            'INVALID',
            'subscribed',
          ),
          fc.string(),
        ),
        (state) => {
          const result = mapCustomerNode({
            ...customer,
            emailMarketingConsent: {marketingState: state as never, marketingOptInLevel: null, consentUpdatedAt: null},
          });
          if (!result.ok) throw new Error(JSON.stringify(result.error));
          const consent = result.value.consent;
          expect(consent?.state === 'subscribed').toBe(state.toUpperCase() === 'SUBSCRIBED');
          const known = ['SUBSCRIBED', 'NOT_SUBSCRIBED', 'UNSUBSCRIBED', 'PENDING', 'REDACTED', 'INVALID'].includes(
            state.toUpperCase(),
          );
          expect(consent === undefined).toBe(!known);
        },
      ),
    );
  });
});
