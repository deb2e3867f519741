import type {
  OrderCreateRequest,
  OrderCustomerInput,
  OrderLineInput,
  OrderPromo,
  ProductCreateRequest,
} from '../../mailchimp/types/index.js';
import type {LineItem, Order, OrderCustomerRef} from '../../model/entities.js';
import {type Money, toDecimal} from '../../model/money.js';
import {compact, toOrderAddress} from './address-mapping.js';
import {normaliseCampaignId} from './campaign-attribution.js';
import {customerIdFor} from './ecommerce-ids.js';
import {adjustedOrderTotal, orderCurrencyConsistent, orderSyncDecision, remainingQuantity} from './order-purchase.js';
import {type CatalogView, type LineProductRef, lineProductRef, mergePlaceholders} from './placeholder-product.js';

export {adjustedOrderTotal, countsAsPurchase, orderSyncDecision, type OrderSyncDecision} from './order-purchase.js';

/**
 * A canonical order as the Mailchimp order body (POST …/orders; the same fields PATCH an existing order).
 *
 * Refunds: `order_total` is the total minus every refund, clamped at zero, computed in integer minor units
 * (Mailchimp's revenue, `total_spent` and VIP-by-spend segments read it; incumbents §9 item 6). Lines follow the
 * same idea: each line's quantity is reduced by the units refunded on it and its discount scaled to the units
 * kept, and fully refunded lines are dropped, so the lines add up to the adjusted total as far as line-level refunds
 * allow (refunds of shipping or of an amount without lines only change `order_total`). Mailchimp needs at least
 * one line and quantity 0 is not a sensible purchase, so a fully refunded order keeps its original lines; its
 * `order_total` of 0 and `refunded`/`cancelled` status carry the truth.
 */

export type MailchimpFinancialStatus = 'pending' | 'paid' | 'refunded' | 'partially_refunded' | 'cancelled';

export interface OrderMappingOptions {
  /** A campaign id the engine validated (exists, belongs to the audience); sent only for new orders. */
  campaignId?: string;
  /** What the store holds: lines pointing at anything else get placeholder products. */
  catalog?: CatalogView;
}

export type OrderSkipReason =
  'test-order' | 'unpaid' | 'voided' | 'unknown-payment-status' | 'no-customer' | 'currency-mismatch';

export type OrderMapping =
  | {ok: true; body: OrderCreateRequest; /** Upsert these first (notes §9.9). */ placeholders: ProductCreateRequest[]}
  | {ok: false; reason: OrderSkipReason};

/**
 * Mailchimp's order-notification statuses as integrations use them (notes §4.4). Cancellation wins over payment
 * state; an authorisation voided is a cancellation.
 */
export function mailchimpFinancialStatus(
  order: Pick<Order, 'financialStatus' | 'cancelledAt'>,
): MailchimpFinancialStatus {
  if (order.cancelledAt !== undefined) return 'cancelled';
  switch (order.financialStatus) {
    case 'paid':
    case 'partially_paid':
      return 'paid';
    case 'partially_refunded':
      return 'partially_refunded';
    case 'refunded':
      return 'refunded';
    case 'voided':
      return 'cancelled';
    case 'pending':
    case 'authorized':
    case 'unknown':
      return 'pending';
  }
}

/** `shipped` once fulfilled; partial fulfilment sends nothing, so no shipping notification fires early. */
export function mailchimpFulfillmentStatus(order: Pick<Order, 'fulfillmentStatus'>): 'shipped' | undefined {
  return order.fulfillmentStatus === 'fulfilled' ? 'shipped' : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/**
 * The customer of an order or cart: never an opt-in (consent goes through the member endpoint). Names go only with
 * guests: a store customer's profile is the customer record's to set, and the copy on an order (the name at checkout,
 * often stale) would overwrite it in Mailchimp ("orders for existing customers should include only the id").
 */
export function orderCustomer(ref: OrderCustomerRef): OrderCustomerInput | undefined {
  const id = customerIdFor(ref);
  if (id === undefined) return undefined;
  const email = nonEmpty(ref.email);
  if (!email) return {id};
  const guest = ref.id === undefined || ref.id === '';
  return compact({
    id,
    email_address: email,
    opt_in_status: false,
    first_name: guest ? nonEmpty(ref.firstName) : undefined,
    last_name: guest ? nonEmpty(ref.lastName) : undefined,
  });
}

function scaledDiscount(discount: Money, kept: number, quantity: number): Money {
  if (kept === quantity || quantity === 0) return discount;
  return {minor: Math.round((discount.minor * kept) / quantity), currency: discount.currency};
}

function toLine(line: LineItem, ref: LineProductRef, quantity: number): OrderLineInput {
  return {
    id: line.id,
    product_id: ref.productId,
    product_variant_id: ref.variantId,
    quantity,
    price: toDecimal(line.price),
    discount: toDecimal(scaledDiscount(line.discount, quantity, line.quantity)),
  };
}

/** Lines for an order without any (custom amounts only): one placeholder line worth the adjusted total. */
function totalOnlyLine(order: Order): LineItem {
  return {
    id: `${order.id}-total`,
    productId: null,
    variantId: null,
    title: 'Order without items',
    quantity: 1,
    price: adjustedOrderTotal(order),
    discount: {minor: 0, currency: order.currency},
  };
}

function orderPromos(order: Order): OrderPromo[] | undefined {
  if (order.discountCodes.length === 0) return undefined;
  return order.discountCodes.map((d) => ({
    code: d.code,
    // Mailchimp: "For free shipping set type to fixed" and amount_discounted to 0.
    amount_discounted: d.type === 'shipping' ? 0 : toDecimal(d.amount),
    type: d.type === 'percentage' ? 'percentage' : 'fixed',
  }));
}

export function orderToMailchimp(order: Order, options: OrderMappingOptions = {}): OrderMapping {
  const decision = orderSyncDecision(order);
  if (!decision.send) return {ok: false, reason: decision.reason};
  if (!orderCurrencyConsistent(order)) return {ok: false, reason: 'currency-mismatch'};
  const customer = orderCustomer(order.customer);
  if (!customer) return {ok: false, reason: 'no-customer'};

  const sourceLines = order.lines.length > 0 ? order.lines : [totalOnlyLine(order)];
  const refs = sourceLines.map((line) => lineProductRef(line, options.catalog));
  const kept = sourceLines.map((line) => remainingQuantity(line, order));
  let lines = sourceLines.flatMap((line, i) => (kept[i]! > 0 ? [toLine(line, refs[i]!, kept[i]!)] : []));
  let usedRefs = refs.filter((_, i) => kept[i]! > 0);
  if (lines.length === 0) {
    lines = sourceLines.map((line, i) => toLine(line, refs[i]!, line.quantity));
    usedRefs = refs;
  }

  const tracking = order.tracking;
  const financialStatus = mailchimpFinancialStatus(order);
  const body: OrderCreateRequest = compact({
    id: order.id,
    customer,
    campaign_id: normaliseCampaignId(options.campaignId),
    landing_site: nonEmpty(order.landingSite),
    financial_status: financialStatus,
    fulfillment_status: mailchimpFulfillmentStatus(order),
    currency_code: order.currency,
    order_total: toDecimal(adjustedOrderTotal(order)),
    order_url: nonEmpty(order.orderUrl),
    discount_total: toDecimal(order.discountTotal),
    tax_total: toDecimal(order.taxTotal),
    shipping_total: toDecimal(order.shippingTotal),
    processed_at_foreign: order.processedAt,
    cancelled_at_foreign: financialStatus === 'cancelled' ? (order.cancelledAt ?? order.updatedAt) : undefined,
    updated_at_foreign: order.updatedAt,
    shipping_address: toOrderAddress(order.shippingAddress),
    billing_address: toOrderAddress(order.billingAddress),
    promos: orderPromos(order),
    lines,
    tracking_number: nonEmpty(tracking?.number),
    tracking_carrier: nonEmpty(tracking?.carrier),
    tracking_url: nonEmpty(tracking?.url),
  });
  return {ok: true, body, placeholders: mergePlaceholders(usedRefs)};
}
