import type {Customer, Product} from '../model/entities.js';
import {readFixture} from '../shopify/fixtures/read-fixture.js';
import {mapShopifyWebhook} from '../shopify/webhook-mapper.js';
import type {AbandonedCheckoutNode} from './documents/checkout-documents.js';
import type {CustomerNode} from './documents/customer-documents.js';
import type {DiscountCodeNode} from './documents/discount-documents.js';
import type {OrderNode} from './documents/order-documents.js';
import type {ProductNode} from './documents/product-documents.js';
import {readAdminFixture} from './fixtures/read-admin-fixture.js';
import {mapAbandonedCheckoutNode} from './checkout-mapper.js';
import {mapCustomerNode} from './customer-mapper.js';
import {mapCodeDiscountNode} from './discount-mapper.js';
import type {NodeMapResult} from './node-fields.js';
import {mapOrderNode} from './order-mapper.js';
import {mapProductNode} from './product-mapper.js';

const usd = (minor: number) => ({minor, currency: 'USD'});
const eur = (minor: number) => ({minor, currency: 'EUR'});

function value<T>(result: NodeMapResult<T>): T {
  if (!result.ok) throw new Error(`mapping failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

function webhookEntity<T>(topic: string, fixture: string, meta: Parameters<typeof mapShopifyWebhook>[2]): T {
  const result = mapShopifyWebhook(topic, readFixture(fixture), meta);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const event = result.events[0] as {customer?: T; product?: T};
  return (event.customer ?? event.product) as T;
}

describe('customers node mapper', () => {
  const [bob, phoneOnly, neverAsked] = readAdminFixture<{customers: {nodes: CustomerNode[]}}>('customers-page')
    .customers.nodes;

  it('maps the same customer to exactly what its webhook maps to (same id, consent, address, tags)', () => {
    const fromWebhook = webhookEntity<Customer>('customers/update', 'customers-update-2024-10', {
      shopDomain: 'example-store.myshopify.com',
    });
    expect(value(mapCustomerNode(bob!))).toStrictEqual(fromWebhook);
    expect(fromWebhook.id).toBe('706405506930370084');
    expect(fromWebhook.consent).toStrictEqual({
      state: 'subscribed',
      source: 'shopify',
      updatedAt: '2024-10-02T13:41:10.000Z',
      optInLevel: 'confirmed_opt_in',
    });
  });

  it('a customer without email has neither email nor consent; "never asked" is not_subscribed dated by the customer', () => {
    expect(value(mapCustomerNode(phoneOnly!))).toStrictEqual({
      id: '7300000000002',
      firstName: 'Wen',
      phone: '+15550001111',
      tags: [],
      createdAt: '2025-05-05T10:00:00.000Z',
      updatedAt: '2025-05-06T10:00:00.000Z',
    });
    expect(value(mapCustomerNode(neverAsked!)).consent).toStrictEqual({
      state: 'not_subscribed',
      source: 'shopify',
      updatedAt: '2025-06-02T09:30:00.000Z',
      optInLevel: 'single_opt_in',
    });
  });
});

describe('products node mapper', () => {
  const [shirt, draft] = readAdminFixture<{products: {nodes: ProductNode[]}}>('products-page').products.nodes;
  const context = {shopDomain: 'example-store.myshopify.com', shopCurrency: 'USD'};

  it('maps the same product as products/create does, apart from what the query does not select (media, inventory policy)', () => {
    const fromWebhook = webhookEntity<Product>('products/create', 'products-create', {
      ...context,
      triggeredAt: '2025-07-10T16:15:47Z',
    });
    const expected: Product = {
      ...fromWebhook,
      images: [],
      variants: fromWebhook.variants.map(({backorders: _backorders, ...variant}) => variant),
    };
    expect(value(mapProductNode(shirt!, context))).toStrictEqual(expected);
  });

  it('a draft, unpublished product keeps its variants, invisible; blank strings are absent', () => {
    expect(value(mapProductNode(draft!, context))).toStrictEqual({
      id: '8100000000777',
      title: 'Draft Poster',
      handle: 'draft-poster',
      url: 'https://example-store.myshopify.com/products/draft-poster',
      vendor: 'Studio Oak',
      images: [],
      variants: [
        {
          id: '45200000009999',
          productId: '8100000000777',
          title: 'Default Title',
          price: usd(1200),
          url: 'https://example-store.myshopify.com/products/draft-poster?variant=45200000009999',
          visible: false,
        },
      ],
      collections: [],
      updatedAt: '2025-03-02T08:00:00.000Z',
    });
  });
});

describe('orders node mapper', () => {
  const [paid, cancelledTest] = readAdminFixture<{orders: {nodes: OrderNode[]}}>('orders-page').orders.nodes;

  it('maps totals, lines (a deleted product stays null), refunds with their lines, attribution and the buyer', () => {
    expect(value(mapOrderNode(paid!))).toStrictEqual({
      id: '5900000000124',
      name: '#1124',
      customer: {
        id: '7300000017072',
        email: 'Uma.Costa@example-mail.com',
        firstName: 'Uma',
        lastName: 'Costa',
        acceptsMarketing: true,
      },
      currency: 'USD',
      total: usd(13691),
      discountTotal: usd(1300),
      taxTotal: usd(894),
      shippingTotal: usd(499),
      lines: [
        {
          id: '14800000000229',
          productId: '8100000004312',
          variantId: '45200000008171',
          title: 'Premium Tee',
          variantTitle: 'XS',
          sku: 'SKU-4312-1',
          quantity: 2,
          price: usd(6499),
          discount: usd(1300),
        },
        {
          id: '14800000000230',
          productId: null,
          variantId: null,
          title: 'Discontinued Mug',
          quantity: 1,
          price: usd(600),
          discount: usd(0),
        },
      ],
      refunds: [
        {
          id: '910000000002',
          createdAt: '2025-10-20T08:00:00.000Z',
          amount: usd(5849),
          lines: [{lineId: '14800000000229', quantity: 1, subtotal: usd(5849)}],
        },
      ],
      discountCodes: [{code: 'SPRING10', amount: usd(1300), type: 'fixed'}],
      financialStatus: 'partially_refunded',
      fulfillmentStatus: 'fulfilled',
      processedAt: '2025-10-04T16:39:47.000Z',
      updatedAt: '2025-10-20T08:00:00.000Z',
      isTest: false,
      landingSite: 'https://sandbox-shop.myshopify.com/?mc_cid=355a72bfc3&mc_eid=0a1b2c3d4e',
      referringSite: 'https://www.google.com/',
      attributes: {_mc_cid: '839488a60b', gift: ''},
      orderUrl: 'https://sandbox-shop.myshopify.com/60000000001/orders/55dc6fc1a7c/authenticate',
      shippingAddress: {
        name: 'Uma Costa',
        address1: '12 Harbour St',
        city: 'Manchester',
        postalCode: 'M1 1AE',
        country: 'United Kingdom',
        countryCode: 'GB',
      },
    });
  });

  it('a cancelled test guest order: no customer id, the billing name, voided, zero for absent amounts', () => {
    const order = value(mapOrderNode(cancelledTest!));
    expect(order.customer).toStrictEqual({
      email: 'guest125@example-mail.net',
      firstName: 'Gus',
      lastName: 'Guest',
      acceptsMarketing: false,
    });
    expect(order).toMatchObject({
      isTest: true,
      financialStatus: 'voided',
      fulfillmentStatus: 'unfulfilled',
      cancelledAt: '2025-10-06T10:00:00.000Z',
      taxTotal: usd(0),
      discountTotal: usd(0),
    });
    expect(order.lines[0]).toMatchObject({productId: null, variantId: null, price: usd(1501)});
    expect('landingSite' in order).toBe(false);
  });

  it('amounts in another currency than the order are refused rather than mixed', () => {
    const mixed: OrderNode = {...paid!, totalTaxSet: {shopMoney: {amount: '1.00', currencyCode: 'EUR'}}};
    expect(mapOrderNode(mixed)).toStrictEqual({
      ok: false,
      error: {field: 'order.totalTaxSet.currencyCode', message: 'expected USD, got EUR'},
    });
  });
});

describe('code discounts node mapper', () => {
  const [spring, fiveEach, freeShipping] = readAdminFixture<{codeDiscountNodes: {nodes: DiscountCodeNode[]}}>(
    'code-discounts-page',
  ).codeDiscountNodes.nodes;

  it('a percentage discount: the fraction, its codes with redemption URLs and usage', () => {
    expect(value(mapCodeDiscountNode(spring!, 'example-store.myshopify.com'))).toStrictEqual({
      id: '1480000000001',
      title: 'Spring 15% off',
      description: '15% off entire order • One use per customer',
      amount: {type: 'percentage', fraction: 0.15},
      target: 'total',
      startsAt: '2026-03-20T00:00:00.000Z',
      endsAt: '2026-04-20T22:00:00.000Z',
      enabled: true,
      codes: [
        {
          id: '16900000000001',
          code: 'SPRING15',
          redemptionUrl: 'https://example-store.myshopify.com/discount/SPRING15',
          usageCount: 17,
          enabled: true,
        },
        {
          id: '16900000000002',
          code: 'SPRING 15 €',
          redemptionUrl: 'https://example-store.myshopify.com/discount/SPRING%2015%20%E2%82%AC',
          usageCount: 0,
          enabled: true,
        },
      ],
      updatedAt: '2026-03-19T12:00:00.000Z',
    });
  });

  it('an amount off each item is a fixed per_item rule; an expired one is disabled; other kinds are skipped', () => {
    expect(value(mapCodeDiscountNode(fiveEach!, 'example-store.myshopify.com'))).toMatchObject({
      amount: {type: 'fixed', money: usd(500)},
      target: 'per_item',
      enabled: false,
    });
    expect(value(mapCodeDiscountNode(freeShipping!, 'example-store.myshopify.com'))).toStrictEqual({
      skipped: 'DiscountCodeFreeShipping is not a basic code discount',
    });
  });
});

describe('abandoned checkouts node mapper', () => {
  const [withCustomer, guest] = readAdminFixture<{abandonedCheckouts: {nodes: AbandonedCheckoutNode[]}}>(
    'abandoned-checkouts-page',
  ).abandonedCheckouts.nodes;

  it('keys the cart by the checkout token, as checkouts/* webhooks do, in the presentment currency', () => {
    const cart = value(mapAbandonedCheckoutNode(withCustomer!));
    const fromWebhook = mapShopifyWebhook('checkouts/update', readFixture('checkouts-update-guest'), {
      shopDomain: 'example-store.myshopify.com',
    });
    expect(fromWebhook.ok && fromWebhook.events[0]?.kind === 'cart.upsert' && fromWebhook.events[0].cart.id).toBe(
      cart.id,
    );
    expect(cart).toStrictEqual({
      id: 'b1946ac92492d2347c6235b4d2611184',
      customer: {id: '7300000000042', email: 'ada.baker42@example-mail.com', firstName: 'Ada', lastName: 'Baker'},
      currency: 'EUR',
      total: eur(3600),
      taxTotal: eur(0),
      lines: [
        {
          id: '61700000000001',
          productId: '8100000000007',
          variantId: '45200000000017',
          title: 'Cozy Beanie',
          variantTitle: 'Navy',
          sku: 'SKU-7-1',
          quantity: 2,
          price: eur(1800),
          discount: eur(0),
        },
      ],
      checkoutUrl:
        'https://example-store.myshopify.com/61738811466/checkouts/b1946ac92492d2347c6235b4d2611184/recover?key=4f2b',
      attributes: {_mc_cid: '839488a60b'},
      updatedAt: '2026-09-20T10:20:00.000Z',
    });
  });

  it('a recovery URL without a token falls back to the checkout id; a guest has no email through GraphQL', () => {
    const cart = value(mapAbandonedCheckoutNode(guest!));
    expect(cart.id).toBe('31500000000002');
    expect(cart.customer).toStrictEqual({});
    expect(cart.lines).toStrictEqual([]);
  });
});
