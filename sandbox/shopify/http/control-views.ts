import {
  orderTotals,
  type CustomerRecord,
  type DiscountRecord,
  type OrderRecord,
  type ProductRecord,
} from '../data/records.js';
import {gid, isoOrNull, isoTime} from '../schema/scalars.js';

/** Plain JSON of stored records for the operator controls: what tests assert on, independent of any GraphQL query. */

export function customerView(customer: CustomerRecord): Record<string, unknown> {
  return {
    id: String(customer.id),
    gid: gid('Customer', customer.id),
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    phone: customer.phone,
    tags: customer.tags,
    createdAt: isoTime(customer.createdAt),
    updatedAt: isoTime(customer.updatedAt),
    emailMarketingConsent: customer.consent && {
      marketingState: customer.consent.state,
      marketingOptInLevel: customer.consent.optInLevel,
      consentUpdatedAt: isoOrNull(customer.consent.updatedAt),
    },
  };
}

export function orderView(order: OrderRecord): Record<string, unknown> {
  const totals = orderTotals(order);
  return {
    id: String(order.id),
    gid: gid('Order', order.id),
    name: `#${order.number}`,
    email: order.email,
    customerId: order.customerId === null ? null : String(order.customerId),
    createdAt: isoTime(order.createdAt),
    updatedAt: isoTime(order.updatedAt),
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    cancelledAt: isoOrNull(order.cancelledAt),
    test: order.test,
    totalMinor: totals.totalMinor,
    refundedMinor: totals.refundedMinor,
    lines: order.lines.map((line) => ({
      id: String(line.id),
      productId: line.productId === null ? null : String(line.productId),
      variantId: line.variantId === null ? null : String(line.variantId),
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
    })),
  };
}

export function productView(product: ProductRecord): Record<string, unknown> {
  return {
    id: String(product.id),
    gid: gid('Product', product.id),
    title: product.title,
    handle: product.handle,
    status: product.status,
    updatedAt: isoTime(product.updatedAt),
    variants: product.variants.map((variant) => ({
      id: String(variant.id),
      title: variant.title,
      sku: variant.sku,
      priceMinor: variant.priceMinor,
    })),
  };
}

export function discountView(discount: DiscountRecord): Record<string, unknown> {
  return {
    id: String(discount.id),
    gid: gid('DiscountCodeNode', discount.id),
    title: discount.title,
    codes: discount.codes.map((code) => code.code),
    value: discount.value,
    startsAt: isoTime(discount.startsAt),
    endsAt: isoOrNull(discount.endsAt),
    usageLimit: discount.usageLimit,
    appliesOncePerCustomer: discount.appliesOncePerCustomer,
    createdViaApi: discount.createdViaApi,
  };
}
