import type {FinancialStatus, FulfillmentStatus, LineItem, Order, Tracking} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CartId, type OrderId, type ProductId, type VariantId} from '../model/ids.js';
import {sum, zero, type Money} from '../model/money.js';
import {dropUndefined, mapAddress} from './address-mapper.js';
import {mapCustomerRef} from './customer-mapper.js';
import {versionTime, type MapContext} from './map-context.js';
import {PayloadError, type Fields} from './payload-fields.js';
import {mapRefund} from './refund-mapper.js';

// Maps, not object literals: a payload value such as "constructor" must not find Object.prototype members.
const FINANCIAL: ReadonlyMap<string, FinancialStatus> = new Map([
  ['pending', 'pending'],
  ['authorized', 'authorized'],
  ['paid', 'paid'],
  ['partially_paid', 'partially_paid'],
  ['partially_refunded', 'partially_refunded'],
  ['refunded', 'refunded'],
  ['voided', 'voided'],
  // An expired authorization was never captured: as far as revenue goes it is a voided payment.
  ['expired', 'voided'],
]);

const FULFILLMENT: ReadonlyMap<string, FulfillmentStatus> = new Map([
  ['fulfilled', 'fulfilled'],
  ['partial', 'partial'],
  ['restocked', 'restocked'],
  ['unfulfilled', 'unfulfilled'],
]);

const DISCOUNT_TYPES: ReadonlyMap<string, 'fixed' | 'percentage' | 'shipping'> = new Map([
  ['fixed_amount', 'fixed'],
  ['percentage', 'percentage'],
  ['shipping', 'shipping'],
]);

/** `financial_status` → model enum; null or a value this version does not know → 'unknown'. */
export function mapFinancialStatus(value: string | undefined): FinancialStatus {
  return (value !== undefined ? FINANCIAL.get(value.toLowerCase()) : undefined) ?? 'unknown';
}

/** `fulfillment_status`: Shopify sends null for an order nothing of which has shipped yet. */
export function mapFulfillmentStatus(value: string | undefined): FulfillmentStatus {
  if (value === undefined) return 'unfulfilled';
  return FULFILLMENT.get(value.toLowerCase()) ?? 'unknown';
}

/**
 * Order line → LineItem in the shop currency. `product_id`/`variant_id` are null for custom items and deleted
 * products and stay null (the sync gives such lines a placeholder product). The line discount is the sum of
 * `discount_allocations` (Shopify deprecates `total_discount` in their favour); `total_discount` only when the
 * allocations are absent (old payloads).
 */
function mapOrderLine(line: Fields, currency: string): LineItem {
  const productId = line.optId('product_id');
  const variantId = line.optId('variant_id');
  const discount = line.has('discount_allocations')
    ? sum(
        line.list('discount_allocations').map((a) => {
          const amount = a.optMoney('amount', currency) ?? a.optShopMoney('amount_set', currency);
          if (amount === undefined) throw new PayloadError(a.at('amount'), 'required amount is missing');
          return amount;
        }),
        currency,
      )
    : (line.optMoney('total_discount', currency) ??
      line.optShopMoney('total_discount_set', currency) ??
      zero(currency));
  const price = line.optMoney('price', currency) ?? line.optShopMoney('price_set', currency);
  if (price === undefined) throw new PayloadError(line.at('price'), 'required amount is missing');
  return dropUndefined({
    id: line.entityId(),
    productId: productId !== undefined ? asId<ProductId>(productId) : null,
    variantId: variantId !== undefined ? asId<VariantId>(variantId) : null,
    title: line.optString('title') ?? line.optString('name') ?? '',
    variantTitle: line.optString('variant_title'),
    sku: line.optString('sku'),
    quantity: line.int('quantity'),
    price,
    discount,
  });
}

/** Shipping charged, before shipping discounts (those are part of `total_discounts`); removed lines excluded. */
function shippingTotal(order: Fields, currency: string): Money {
  if (!order.has('shipping_lines')) return order.optShopMoney('total_shipping_price_set', currency) ?? zero(currency);
  const lines = order.list('shipping_lines').filter((line) => line.optBool('is_removed') !== true);
  return sum(
    lines.map((line) => line.optMoney('price', currency) ?? line.optShopMoney('price_set', currency) ?? zero(currency)),
    currency,
  );
}

/** The most recent fulfillment with a tracking number; cancelled or failed fulfillments do not count. */
function latestTracking(order: Fields): Tracking | undefined {
  const usable = order
    .list('fulfillments')
    .filter((f) => !['cancelled', 'error', 'failure'].includes(f.optString('status')?.toLowerCase() ?? ''))
    .map((f) => {
      const numbers = f.values('tracking_numbers');
      const urls = f.values('tracking_urls');
      return dropUndefined<Tracking>({
        number: f.optString('tracking_number') ?? (typeof numbers[0] === 'string' ? numbers[0] : undefined),
        carrier: f.optString('tracking_company'),
        url: f.optString('tracking_url') ?? (typeof urls[0] === 'string' ? urls[0] : undefined),
      });
    })
    .filter((tracking) => tracking.number !== undefined);
  return usable.at(-1);
}

/** `note_attributes` ([{name, value}], the cart attributes) → a record; blank names are skipped, last one wins. */
export function mapAttributes(payload: Fields): Record<string, string> {
  const attributes = new Map<string, string>();
  for (const attribute of payload.list('note_attributes')) {
    const name = attribute.optString('name');
    if (name === undefined) continue;
    const value = attribute.raw('value');
    attributes.set(name, typeof value === 'boolean' ? String(value) : (attribute.optString('value') ?? ''));
  }
  // fromEntries defines own properties, so a buyer-chosen name like "__proto__" is kept as data.
  return Object.fromEntries(attributes);
}

/**
 * `orders/create|updated|paid|fulfilled|cancelled` (all carry the full order) → order.upsert.
 * Money is read from the shop-currency strings (`currency` is the shop currency; `*_set.shop_money` only as a
 * fallback). `total` is `total_price`, the order as placed, not `current_total_price` (which already has refunds
 * and edits taken off): refunds travel in `refunds[]` so that the Mailchimp mapper subtracts each exactly once.
 */
export function mapOrderUpsert(payload: Fields, context: MapContext): StoreEvent[] {
  const id = asId<OrderId>(payload.entityId());
  const updatedAt = versionTime(payload, context);
  const currency = payload.string('currency').toUpperCase();
  const processedAt = payload.optTimestamp('processed_at') ?? payload.optTimestamp('created_at');
  if (processedAt === undefined)
    throw new PayloadError(payload.at('processed_at'), 'order has no processed_at or created_at');
  const total = payload.optMoney('total_price', currency) ?? payload.optShopMoney('total_price_set', currency);
  if (total === undefined) throw new PayloadError(payload.at('total_price'), 'required amount is missing');

  const order: Order = {
    id,
    name: payload.optString('name'),
    customer: mapCustomerRef(payload),
    currency,
    total,
    discountTotal:
      payload.optMoney('total_discounts', currency) ??
      payload.optShopMoney('total_discounts_set', currency) ??
      zero(currency),
    taxTotal:
      payload.optMoney('total_tax', currency) ?? payload.optShopMoney('total_tax_set', currency) ?? zero(currency),
    shippingTotal: shippingTotal(payload, currency),
    lines: payload.list('line_items').map((line) => mapOrderLine(line, currency)),
    refunds: payload.list('refunds').map((refund) => mapRefund(refund, currency, updatedAt)),
    discountCodes: payload.list('discount_codes').map((code) => ({
      code: code.string('code'),
      amount: code.optMoney('amount', currency) ?? zero(currency),
      // Unknown types are treated as a fixed amount: `amount` is the money taken off either way.
      type: DISCOUNT_TYPES.get(code.optString('type')?.toLowerCase() ?? '') ?? 'fixed',
    })),
    financialStatus: mapFinancialStatus(payload.optString('financial_status')),
    fulfillmentStatus: mapFulfillmentStatus(payload.optString('fulfillment_status')),
    cancelledAt: payload.optTimestamp('cancelled_at'),
    processedAt,
    updatedAt,
    isTest: payload.optBool('test') === true,
    landingSite: payload.optString('landing_site'),
    // Checkouts are keyed by token (checkout-mapper.ts), and the order names the checkout it completed.
    cartId: optCartId(payload.optString('checkout_token')),
    referringSite: payload.optString('referring_site'),
    attributes: mapAttributes(payload),
    orderUrl: payload.optString('order_status_url'),
    shippingAddress: mapAddress(payload.optObject('shipping_address')),
    billingAddress: mapAddress(payload.optObject('billing_address')),
    tracking: latestTracking(payload),
  };
  return [{kind: 'order.upsert', order: dropUndefined(order)}];
}

function optCartId(token: string | undefined): CartId | undefined {
  return token ? asId<CartId>(token) : undefined;
}
