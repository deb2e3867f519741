import type {LineItem, Order} from '../../model/entities.js';
import {type Money, subtract, sum, zero} from '../../model/money.js';

/**
 * Whether an order is sent to Mailchimp at all, and what it is worth after refunds. Shared by the order mapper and
 * the tag rules so that "a purchase" means the same thing everywhere.
 *
 * Decision (DESIGN.md "no drafts/tests/unpaid as purchases"; incumbents §7 and mc-woocommerce #711/#126): an order
 * is sent only once money was captured. Mailchimp counts every order it holds in the customer's `total_spent`,
 * `orders_count` and the e-commerce segment conditions whatever its `financial_status`, so sending an unpaid order
 * "as pending" would still count it. Consequences:
 * - test orders are never synced;
 * - pending / authorized orders wait: the paid (or partially paid) update sends them;
 * - voided orders (authorisation released, nothing captured) are never sent;
 * - an order sent once stays sendable: paid → partially_refunded → refunded, and cancellation of a paid order
 *   is sent as `cancelled` with its refunds subtracted;
 * - `unknown` (an ingest source that does not track payment) is treated as unpaid: the ingest mapper must say
 *   `paid` explicitly to count a purchase.
 */
export type OrderSyncDecision =
  {send: true} | {send: false; reason: 'test-order' | 'unpaid' | 'voided' | 'unknown-payment-status'};

const CAPTURED: ReadonlySet<Order['financialStatus']> = new Set([
  'paid',
  'partially_paid',
  'partially_refunded',
  'refunded',
]);

export function orderSyncDecision(order: Pick<Order, 'isTest' | 'financialStatus'>): OrderSyncDecision {
  if (order.isTest) return {send: false, reason: 'test-order'};
  if (CAPTURED.has(order.financialStatus)) return {send: true};
  if (order.financialStatus === 'voided') return {send: false, reason: 'voided'};
  if (order.financialStatus === 'unknown') return {send: false, reason: 'unknown-payment-status'};
  return {send: false, reason: 'unpaid'};
}

/** Total refunded so far, in the order's currency. */
export function refundedTotal(order: Pick<Order, 'currency' | 'refunds'>): Money {
  return sum(
    order.refunds.map((r) => r.amount),
    order.currency,
  );
}

/** The order total after refunds, never below zero, exact in minor units. */
export function adjustedOrderTotal(order: Pick<Order, 'currency' | 'total' | 'refunds'>): Money {
  const remaining = subtract(order.total, refundedTotal(order));
  return remaining.minor < 0 ? zero(order.currency) : remaining;
}

/** Units of a line still kept by the buyer after all refunds (never below zero). */
export function remainingQuantity(line: Pick<LineItem, 'id' | 'quantity'>, order: Pick<Order, 'refunds'>): number {
  let refunded = 0;
  for (const refund of order.refunds) {
    for (const refundLine of refund.lines) if (refundLine.lineId === line.id) refunded += refundLine.quantity;
  }
  return Math.max(0, line.quantity - refunded);
}

/**
 * A purchase for behaviour tags and spend: an order that is sent, not cancelled and not fully refunded. A free order
 * (total 0, no refunds) is still a purchase.
 */
export function countsAsPurchase(order: Order): boolean {
  if (!orderSyncDecision(order).send) return false;
  if (order.cancelledAt !== undefined) return false;
  if (order.financialStatus === 'refunded') return false;
  if (order.refunds.length > 0 && adjustedOrderTotal(order).minor === 0) return false;
  return true;
}

/** Whether every order amount shares the order currency (the money helpers throw on a mismatch). */
export function orderCurrencyConsistent(order: Order): boolean {
  const c = order.currency;
  const amounts: Money[] = [
    order.total,
    order.discountTotal,
    order.taxTotal,
    order.shippingTotal,
    ...order.refunds.flatMap((r) => [r.amount, ...r.lines.map((l) => l.subtotal)]),
    ...order.lines.flatMap((l) => [l.price, l.discount]),
    ...order.discountCodes.map((d) => d.amount),
  ];
  return amounts.every((m) => m.currency === c);
}
