import {
  orderTotals,
  type CheckoutRecord,
  type CustomerRecord,
  type DiscountRecord,
  type OrderRecord,
  type ProductRecord,
} from '../data/records.js';
import type {SearchSchema} from './search-filter.js';

/** The search fields each connection understands (a subset of Shopify's, with Shopify's names and values). */

export const PRODUCT_SEARCH: SearchSchema<ProductRecord> = {
  fields: {
    id: {kind: 'number', get: (p) => p.id},
    title: {kind: 'string', get: (p) => p.title},
    handle: {kind: 'string', get: (p) => p.handle},
    vendor: {kind: 'string', get: (p) => p.vendor},
    product_type: {kind: 'string', get: (p) => p.productType},
    status: {kind: 'string', get: (p) => p.status},
    tag: {kind: 'list', get: (p) => p.tags},
    sku: {kind: 'list', get: (p) => p.variants.map((v) => v.sku ?? '')},
    created_at: {kind: 'date', get: (p) => p.createdAt},
    updated_at: {kind: 'date', get: (p) => p.updatedAt},
    published_at: {kind: 'date', get: (p) => p.publishedAt},
  },
  text: (p) => [p.title, p.vendor, p.productType],
};

function consentState(customer: CustomerRecord): string | null {
  return customer.consent?.state ?? null;
}

export const CUSTOMER_SEARCH: SearchSchema<CustomerRecord> = {
  fields: {
    id: {kind: 'number', get: (c) => c.id},
    email: {kind: 'string', get: (c) => c.email},
    first_name: {kind: 'string', get: (c) => c.firstName},
    last_name: {kind: 'string', get: (c) => c.lastName},
    phone: {kind: 'string', get: (c) => c.phone},
    country: {kind: 'string', get: (c) => c.address?.country ?? null},
    tag: {kind: 'list', get: (c) => c.tags},
    email_marketing_state: {kind: 'string', get: consentState},
    created_at: {kind: 'date', get: (c) => c.createdAt},
    updated_at: {kind: 'date', get: (c) => c.updatedAt},
  },
  text: (c) => [c.email, c.firstName, c.lastName, c.phone],
};

function orderStatus(order: OrderRecord): string {
  if (order.cancelledAt !== null) return 'cancelled';
  return order.fulfillmentStatus === 'FULFILLED' ? 'closed' : 'open';
}

const FULFILLMENT_SEARCH: Record<OrderRecord['fulfillmentStatus'], string> = {
  UNFULFILLED: 'unshipped',
  PARTIALLY_FULFILLED: 'partial',
  FULFILLED: 'shipped',
  RESTOCKED: 'restocked',
};

export const ORDER_SEARCH: SearchSchema<OrderRecord> = {
  fields: {
    id: {kind: 'number', get: (o) => o.id},
    name: {kind: 'string', get: (o) => `#${o.number}`},
    email: {kind: 'string', get: (o) => o.email},
    customer_id: {kind: 'number', get: (o) => o.customerId},
    financial_status: {kind: 'string', get: (o) => o.financialStatus.toLowerCase()},
    fulfillment_status: {kind: 'string', get: (o) => FULFILLMENT_SEARCH[o.fulfillmentStatus]},
    status: {kind: 'string', get: orderStatus},
    test: {kind: 'boolean', get: (o) => o.test},
    tag: {kind: 'list', get: (o) => o.tags},
    discount_code: {kind: 'list', get: (o) => o.discountCodes},
    total_price: {kind: 'number', get: (o) => orderTotals(o).totalMinor / 100},
    created_at: {kind: 'date', get: (o) => o.createdAt},
    updated_at: {kind: 'date', get: (o) => o.updatedAt},
    processed_at: {kind: 'date', get: (o) => o.processedAt},
  },
  text: (o) => [`#${o.number}`, o.email],
};

function discountStatus(discount: DiscountRecord, now: number): string {
  if (discount.startsAt > now) return 'scheduled';
  if (discount.endsAt !== null && discount.endsAt <= now) return 'expired';
  return 'active';
}

export function discountSearch(now: () => number): SearchSchema<DiscountRecord> {
  return {
    fields: {
      id: {kind: 'number', get: (d) => d.id},
      title: {kind: 'string', get: (d) => d.title},
      code: {kind: 'list', get: (d) => d.codes.map((c) => c.code)},
      status: {kind: 'string', get: (d) => discountStatus(d, now())},
      starts_at: {kind: 'date', get: (d) => d.startsAt},
      ends_at: {kind: 'date', get: (d) => d.endsAt},
      created_at: {kind: 'date', get: (d) => d.createdAt},
      updated_at: {kind: 'date', get: (d) => d.updatedAt},
    },
    text: (d) => [d.title, ...d.codes.map((c) => c.code)],
  };
}

export const CHECKOUT_SEARCH: SearchSchema<CheckoutRecord> = {
  fields: {
    id: {kind: 'number', get: (c) => c.id},
    email: {kind: 'string', get: (c) => c.email},
    created_at: {kind: 'date', get: (c) => c.createdAt},
    updated_at: {kind: 'date', get: (c) => c.updatedAt},
  },
  text: (c) => [c.email],
};
