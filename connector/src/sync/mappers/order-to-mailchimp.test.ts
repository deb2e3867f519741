import fc from 'fast-check';
import type {Order} from '../../model/entities.js';
import {currencyDigits} from '../../model/money.js';
import {guestCustomerId} from './ecommerce-ids.js';
import {orderArb} from './fixtures/arbitraries.js';
import {
  cancelledOrder,
  customLine,
  guestOrder,
  paidOrder,
  partiallyRefundedOrder,
  pendingOrder,
  teeLine,
  testOrder,
} from './fixtures/orders.js';
import {customItemProductId} from './placeholder-product.js';
import {countsAsPurchase, mailchimpFinancialStatus, orderSyncDecision, orderToMailchimp} from './order-to-mailchimp.js';

const customPlaceholderId = customItemProductId(customLine);

describe('orderToMailchimp', () => {
  it('maps a paid order', () => {
    const mapped = orderToMailchimp(paidOrder, {campaignId: '839488a60b'});
    expect(mapped).toEqual({
      ok: true,
      body: {
        id: '5500000000001',
        customer: {id: '6930117312534', email_address: 'Alice.Martin@example-mail.org', opt_in_status: false},
        campaign_id: '839488a60b',
        landing_site: '/products/organic-cotton-tee?mc_cid=839488a60b&mc_eid=7f3e2a1b9c&utm_source=mailchimp',
        financial_status: 'paid',
        currency_code: 'USD',
        order_total: 83.51,
        order_url: 'https://shop.example/account/orders/abc123',
        discount_total: 7.5,
        tax_total: 6.02,
        shipping_total: 5,
        processed_at_foreign: '2024-05-02T10:15:30-04:00',
        updated_at_foreign: '2024-05-02T10:16:00-04:00',
        shipping_address: {
          name: 'Alice Martin',
          address1: '12 Main St',
          city: 'Springfield',
          province: 'Illinois',
          province_code: 'IL',
          postal_code: '62701',
          country: 'United States',
          country_code: 'US',
          phone: '+1 555 010 0199',
        },
        billing_address: {
          name: 'Alice Martin',
          address1: '12 Main St',
          city: 'Springfield',
          postal_code: '62701',
          country_code: 'US',
        },
        promos: [{code: 'SAVE10', amount_discounted: 7.5, type: 'percentage'}],
        lines: [
          {
            id: '14000000000001',
            product_id: '7982301478934',
            product_variant_id: '43000000000001',
            quantity: 3,
            price: 25,
            discount: 7.5,
          },
          {
            id: '14000000000002',
            product_id: customPlaceholderId,
            product_variant_id: customPlaceholderId,
            quantity: 1,
            price: 4.99,
            discount: 0,
          },
        ],
      },
      placeholders: [
        {
          id: customPlaceholderId,
          title: 'Gift wrapping',
          variants: [{id: customPlaceholderId, title: 'Gift wrapping', sku: 'WRAP', price: 4.99, visibility: 'hidden'}],
        },
      ],
    });
  });

  it('subtracts refunds from the total and the refunded units from the lines, with tracking once shipped', () => {
    const mapped = orderToMailchimp(partiallyRefundedOrder);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.body.order_total).toBe(61.01);
    expect(mapped.body.financial_status).toBe('partially_refunded');
    expect(mapped.body.fulfillment_status).toBe('shipped');
    expect(mapped.body.lines[0]).toMatchObject({quantity: 2, price: 25, discount: 5});
    expect(mapped.body).toMatchObject({
      tracking_number: '1Z999AA10123456784',
      tracking_carrier: 'UPS',
      tracking_url: expect.stringContaining('ups.com'),
    });
    expect(mapped.body.campaign_id).toBeUndefined();
  });

  it('sends a cancelled, fully refunded order with total 0, its original lines and the cancellation time', () => {
    const mapped = orderToMailchimp(cancelledOrder);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.body.order_total).toBe(0);
    expect(mapped.body.financial_status).toBe('cancelled');
    expect(mapped.body.cancelled_at_foreign).toBe('2024-05-03T08:00:00Z');
    expect(mapped.body.lines.map((l) => l.quantity)).toEqual([3, 1]);
  });

  it('drops a fully refunded line but keeps the rest', () => {
    const order: Order = {
      ...paidOrder,
      financialStatus: 'partially_refunded',
      refunds: [
        {
          id: 'r',
          createdAt: paidOrder.updatedAt,
          amount: {minor: 499, currency: 'USD'},
          lines: [{lineId: customLine.id, quantity: 1, subtotal: {minor: 499, currency: 'USD'}}],
        },
      ],
    };
    const mapped = orderToMailchimp(order);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.body.lines.map((l) => l.id)).toEqual([teeLine.id]);
    expect(mapped.placeholders).toEqual([]);
    expect(mapped.body.order_total).toBe(78.52);
  });

  it("leaves a store customer's names to the customer record (only guests carry them on the order)", () => {
    const mapped = orderToMailchimp(paidOrder);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(paidOrder.customer.firstName).toBe('Alice');
    expect(mapped.body.customer).not.toHaveProperty('first_name');
    expect(mapped.body.customer).not.toHaveProperty('last_name');
  });

  it('uses a guest customer id and a validated campaign only', () => {
    const mapped = orderToMailchimp(guestOrder, {campaignId: 'not-a-campaign'});
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.body.customer).toEqual({
      id: guestCustomerId('guest@example-mail.net'),
      email_address: 'guest@example-mail.net',
      opt_in_status: false,
      first_name: 'Gus',
    });
    expect(mapped.body.campaign_id).toBeUndefined();
    expect(mapped.body.landing_site).toBeUndefined();
  });

  it('never sends tests or unpaid orders, nor orders without a customer', () => {
    expect(orderToMailchimp(testOrder)).toEqual({ok: false, reason: 'test-order'});
    expect(orderToMailchimp(pendingOrder)).toEqual({ok: false, reason: 'unpaid'});
    expect(orderToMailchimp({...paidOrder, financialStatus: 'authorized'})).toEqual({ok: false, reason: 'unpaid'});
    expect(orderToMailchimp({...paidOrder, financialStatus: 'voided'})).toEqual({ok: false, reason: 'voided'});
    expect(orderToMailchimp({...paidOrder, customer: {firstName: 'Nobody'}})).toEqual({
      ok: false,
      reason: 'no-customer',
    });
    expect(orderToMailchimp({...paidOrder, taxTotal: {minor: 1, currency: 'EUR'}})).toEqual({
      ok: false,
      reason: 'currency-mismatch',
    });
  });

  it('gives an order without lines one placeholder line and sends shipping promos as fixed 0', () => {
    const mapped = orderToMailchimp({
      ...paidOrder,
      lines: [],
      discountCodes: [{code: 'FREESHIP', amount: {minor: 500, currency: 'USD'}, type: 'shipping'}],
    });
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.body.lines).toEqual([
      {
        id: '5500000000001-total',
        product_id: expect.stringMatching(/^placeholder-/),
        product_variant_id: expect.stringMatching(/^placeholder-/),
        quantity: 1,
        price: 83.51,
        discount: 0,
      },
    ]);
    expect(mapped.placeholders).toHaveLength(1);
    expect(mapped.body.promos).toEqual([{code: 'FREESHIP', amount_discounted: 0, type: 'fixed'}]);
  });

  it('sends only the id for a known customer without an e-mail', () => {
    const mapped = orderToMailchimp({...paidOrder, customer: {id: paidOrder.customer.id}});
    expect(mapped.ok && mapped.body.customer).toEqual({id: '6930117312534'});
  });
});

describe('purchase decisions', () => {
  it('maps statuses', () => {
    expect(mailchimpFinancialStatus({financialStatus: 'partially_paid'})).toBe('paid');
    expect(mailchimpFinancialStatus({financialStatus: 'authorized'})).toBe('pending');
    expect(mailchimpFinancialStatus({financialStatus: 'paid', cancelledAt: '2024-01-01T00:00:00Z'})).toBe('cancelled');
    expect(orderSyncDecision({isTest: false, financialStatus: 'unknown'})).toEqual({
      send: false,
      reason: 'unknown-payment-status',
    });
  });

  it('counts paid, kept orders as purchases only', () => {
    expect(countsAsPurchase(paidOrder)).toBe(true);
    expect(countsAsPurchase(partiallyRefundedOrder)).toBe(true);
    expect(countsAsPurchase(cancelledOrder)).toBe(false);
    expect(countsAsPurchase(testOrder)).toBe(false);
    expect(countsAsPurchase(pendingOrder)).toBe(false);
    expect(countsAsPurchase({...paidOrder, total: {minor: 0, currency: 'USD'}})).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property tests

/** Exact decimal text of minor units, with BigInt: the reference the mapper's number must equal. */
function exactDecimal(minor: bigint, currency: string): string {
  const digits = currencyDigits(currency);
  const s = minor.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

const sendableOrder = orderArb.map((o): Order => ({
  ...o,
  isTest: false,
  financialStatus: 'partially_refunded',
  customer: {email: 'buyer@example-mail.org'},
}));

describe('order properties', () => {
  it('order_total = total − Σ refunds, clamped at 0, exact in minor units', () => {
    fc.assert(
      fc.property(sendableOrder, (order) => {
        const mapped = orderToMailchimp(order);
        if (!mapped.ok) throw new Error(mapped.reason);
        const refunded = order.refunds.reduce((acc, r) => acc + BigInt(r.amount.minor), 0n);
        let expected = BigInt(order.total.minor) - refunded;
        if (expected < 0n) expected = 0n;
        const text = exactDecimal(expected, order.currency);
        expect(mapped.body.order_total).toBe(Number(text));
        // And back: the decimal converts to the same minor units (no float drift).
        expect(BigInt(Math.round(mapped.body.order_total * 10 ** currencyDigits(order.currency)))).toBe(expected);
      }),
      {numRuns: 1000},
    );
  });

  it('lines are never empty, quantities positive, ids ≤ 50 for placeholders, and never an opt-in', () => {
    fc.assert(
      fc.property(sendableOrder, (order) => {
        const mapped = orderToMailchimp(order);
        if (!mapped.ok) throw new Error(mapped.reason);
        expect(mapped.body.lines.length).toBeGreaterThan(0);
        for (const line of mapped.body.lines) expect(line.quantity).toBeGreaterThan(0);
        for (const p of mapped.placeholders) expect(p.id.length).toBeLessThanOrEqual(50);
        expect(mapped.body.customer.opt_in_status).toBe(false);
        const placeholderIds = new Set(mapped.placeholders.map((p) => p.id));
        for (const line of mapped.body.lines) {
          if (line.product_id.startsWith('placeholder-') || line.product_id.startsWith('deleted_'))
            expect(placeholderIds.has(line.product_id)).toBe(true);
        }
      }),
      {numRuns: 500},
    );
  });

  it('never sends a test or unpaid order', () => {
    fc.assert(
      fc.property(orderArb, (order) => {
        const mapped = orderToMailchimp(order);
        if (
          order.isTest ||
          !['paid', 'partially_paid', 'partially_refunded', 'refunded'].includes(order.financialStatus)
        )
          expect(mapped.ok).toBe(false);
      }),
      {numRuns: 500},
    );
  });
});
