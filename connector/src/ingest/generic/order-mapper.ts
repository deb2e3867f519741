import type {LineItem, Order, OrderCustomerRef, Refund} from '../../model/entities.js';
import {asId, type CartId, type CustomerId, type ProductId, type VariantId} from '../../model/ids.js';
import {zero, type Money} from '../../model/money.js';
import {toAddress} from './customer-mapper.js';
import type {IngestData} from './schemas.js';
import {compact, money, normaliseTimestamp, text, timestamp} from './wire-values.js';

type WireLine = IngestData['order.upsert']['lines'][number];

export function toLine(line: WireLine, currency: string): LineItem {
  return compact<LineItem>({
    id: line.id,
    productId: line.product_id === null ? null : asId<ProductId>(line.product_id),
    variantId: line.variant_id === null ? null : asId<VariantId>(line.variant_id),
    title: line.title,
    variantTitle: text(line.variant_title),
    sku: text(line.sku),
    quantity: line.quantity,
    price: money(line.price, currency),
    discount: line.discount === undefined ? zero(currency) : money(line.discount, currency),
  });
}

type WireRefund = NonNullable<IngestData['order.upsert']['refunds']>[number];

export function toRefund(refund: WireRefund, currency: string): Refund {
  return {
    id: refund.id,
    createdAt: normaliseTimestamp(refund.created_at),
    amount: money(refund.amount, currency),
    lines: (refund.lines ?? []).map((line) => ({
      lineId: line.line_id,
      quantity: line.quantity,
      subtotal: money(line.subtotal, currency),
    })),
  };
}

type WireCustomerRef = IngestData['order.upsert']['customer'];

export function toCustomerRef(customer: WireCustomerRef): OrderCustomerRef {
  return compact<OrderCustomerRef>({
    id: customer.id === undefined ? undefined : asId<CustomerId>(customer.id),
    email: customer.email,
    firstName: text(customer.first_name),
    lastName: text(customer.last_name),
    acceptsMarketing: customer.accepts_marketing,
  });
}

export function toOrder(data: IngestData['order.upsert'], occurredAt: string): Order {
  const {currency} = data;
  const optionalMoney = (value: string | undefined): Money =>
    value === undefined ? zero(currency) : money(value, currency);
  return compact({
    id: asId(data.id),
    name: text(data.name),
    customer: toCustomerRef(data.customer),
    currency,
    total: money(data.total, currency),
    discountTotal: optionalMoney(data.discount_total),
    taxTotal: optionalMoney(data.tax_total),
    shippingTotal: optionalMoney(data.shipping_total),
    lines: data.lines.map((line) => toLine(line, currency)),
    refunds: (data.refunds ?? []).map((refund) => toRefund(refund, currency)),
    discountCodes: (data.discount_codes ?? []).map((code) => ({
      code: code.code,
      amount: money(code.amount, currency),
      type: code.type,
    })),
    financialStatus: data.financial_status,
    fulfillmentStatus: data.fulfillment_status,
    cancelledAt: timestamp(data.cancelled_at),
    processedAt: normaliseTimestamp(data.processed_at),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
    isTest: data.is_test ?? false,
    landingSite: text(data.landing_site),
    referringSite: text(data.referring_site),
    attributes: {...data.attributes},
    cartId: data.cart_id === undefined ? undefined : asId<CartId>(data.cart_id),
    orderUrl: data.order_url,
    shippingAddress: data.shipping_address && toAddress(data.shipping_address),
    billingAddress: data.billing_address && toAddress(data.billing_address),
    tracking:
      data.tracking &&
      compact({number: text(data.tracking.number), carrier: text(data.tracking.carrier), url: data.tracking.url}),
  });
}
