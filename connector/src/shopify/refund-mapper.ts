import type {Refund} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type OrderId} from '../model/ids.js';
import {subtract, sum, zero, type Money} from '../model/money.js';
import type {MapContext} from './map-context.js';
import {PayloadError, type Fields} from './payload-fields.js';

/**
 * A Shopify refund (inside `order.refunds[]` or the `refunds/create` payload) → Refund, in the shop currency.
 *
 * Amount decision. A refund carries three views of money: `transactions[]` (what the gateway moved),
 * `refund_line_items[].subtotal/total_tax` (value of the items refunded) and `order_adjustments[]` (shipping
 * refunds, discrepancies; negative amounts from the order's point of view). They disagree on purpose: Shopify's own
 * sample refunds $414.95 of items with $85.00 of transactions. Mailchimp revenue must drop by the money returned, so:
 * 1. refund transactions (`kind: refund`) in the shop currency → the sum of those with `status: success`
 *    (a pending or failed refund returned nothing yet; the order update that follows carries the settled state);
 * 2. no refund transactions at all (restock-only refunds, items removed from an unpaid order), or transactions in
 *    another (presentment) currency → Σ line subtotal + tax − Σ adjustment amount + tax, all from shop money.
 *    `refund_shipping_lines` are not added: the same shipping refund is also an `order_adjustments` entry.
 */
export function mapRefund(refund: Fields, currency: string, fallbackTime: string | undefined): Refund {
  const id = refund.entityId();
  const createdAt = refund.optTimestamp('created_at') ?? refund.optTimestamp('processed_at') ?? fallbackTime;
  if (createdAt === undefined)
    throw new PayloadError(refund.at('created_at'), 'refund has no created_at or processed_at');

  const lines = refund.list('refund_line_items').map((line) => ({
    lineId: line.id('line_item_id'),
    quantity: line.int('quantity'),
    subtotal: line.optShopMoney('subtotal_set', currency) ?? line.optMoney('subtotal', currency) ?? zero(currency),
    tax: line.optShopMoney('total_tax_set', currency) ?? line.optMoney('total_tax', currency) ?? zero(currency),
  }));

  return {
    id,
    createdAt,
    amount: refundAmount(refund, currency, lines),
    lines: lines.map(({lineId, quantity, subtotal}) => ({lineId, quantity, subtotal})),
  };
}

function refundAmount(refund: Fields, currency: string, lines: Array<{subtotal: Money; tax: Money}>): Money {
  const refundTransactions = refund
    .list('transactions')
    .filter((tx) => tx.optString('kind')?.toLowerCase() === 'refund');
  const inShopCurrency = refundTransactions.every((tx) => {
    const txCurrency = tx.optString('currency');
    return txCurrency === undefined || txCurrency.toUpperCase() === currency.toUpperCase();
  });
  if (refundTransactions.length > 0 && inShopCurrency) {
    const settled = refundTransactions.filter((tx) => tx.optString('status')?.toLowerCase() === 'success');
    return sum(
      settled.map((tx) => tx.money('amount', currency)),
      currency,
    );
  }
  const items = sum(
    lines.flatMap((line) => [line.subtotal, line.tax]),
    currency,
  );
  const adjustments = sum(
    refund
      .list('order_adjustments')
      .flatMap((adjustment) => [
        adjustment.optShopMoney('amount_set', currency) ?? adjustment.optMoney('amount', currency) ?? zero(currency),
        adjustment.optShopMoney('tax_amount_set', currency) ??
          adjustment.optMoney('tax_amount', currency) ??
          zero(currency),
      ]),
    currency,
  );
  return subtract(items, adjustments);
}

/**
 * The shop currency of a `refunds/create` payload, which has no `currency` field: the first `shop_money` currency
 * of its money sets, else meta.shopCurrency. A transaction's `currency` is not used: it is the presentment currency.
 */
function refundCurrency(refund: Fields, context: MapContext): string {
  const sets: Array<Fields | undefined> = [
    ...refund
      .list('refund_line_items')
      .flatMap((line) => [line.optObject('subtotal_set'), line.optObject('total_tax_set')]),
    ...refund.list('order_adjustments').map((adjustment) => adjustment.optObject('amount_set')),
    refund.optObject('total_duties_set'),
  ];
  for (const set of sets) {
    const code = set?.optObject('shop_money')?.optString('currency_code');
    if (code !== undefined && code.toUpperCase() !== 'XXX') return code.toUpperCase();
  }
  if (context.shopCurrency !== undefined) return context.shopCurrency;
  throw new PayloadError(
    refund.at('refund_line_items'),
    'no shop currency in the refund (no shop_money sets) and no shopCurrency in meta',
  );
}

/** `refunds/create` → refund.create for its `order_id`. */
export function mapRefundCreate(payload: Fields, context: MapContext): StoreEvent[] {
  const orderId = asId<OrderId>(payload.id('order_id'));
  const refund = mapRefund(payload, refundCurrency(payload, context), context.triggeredAt);
  return [{kind: 'refund.create', orderId, refund}];
}
