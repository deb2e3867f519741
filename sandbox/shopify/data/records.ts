/**
 * What the stand-in stores: plain records close to Shopify's own data, with numeric ids (the `legacyResourceId`),
 * times in epoch milliseconds and money in integer minor units of the shop currency. Resolvers turn them into the
 * GraphQL shapes (gids, MoneyBags, ISO DateTimes); nothing here knows about GraphQL.
 */

export type ConsentState = 'SUBSCRIBED' | 'NOT_SUBSCRIBED' | 'UNSUBSCRIBED' | 'PENDING' | 'REDACTED' | 'INVALID';
export type OptInLevel = 'SINGLE_OPT_IN' | 'CONFIRMED_OPT_IN' | 'UNKNOWN';

export interface AddressRecord {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

export interface VariantRecord {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  priceMinor: number;
  inventoryQuantity: number;
  imageUrl: string | null;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'DRAFT' | 'ARCHIVED';
  tags: string[];
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  imageUrl: string | null;
  variants: VariantRecord[];
}

export interface EmailConsentRecord {
  state: ConsentState;
  optInLevel: OptInLevel | null;
  updatedAt: number | null;
}

export interface CustomerRecord {
  id: number;
  /** Shopify allows customers without an email (phone-only, POS). */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  /** Null when the customer has no email: there is nothing to consent for. */
  consent: EmailConsentRecord | null;
  address: AddressRecord | null;
}

export type FinancialStatus = 'PENDING' | 'AUTHORIZED' | 'PAID' | 'PARTIALLY_PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'VOIDED' | 'EXPIRED';
export type FulfillmentStatus = 'UNFULFILLED' | 'PARTIALLY_FULFILLED' | 'FULFILLED' | 'RESTOCKED';
export type CancelReason = 'CUSTOMER' | 'DECLINED' | 'FRAUD' | 'INVENTORY' | 'OTHER' | 'STAFF';

export interface LineRecord {
  id: number;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  /** Null when the product was deleted or the line is a custom item. */
  productId: number | null;
  variantId: number | null;
  unitPriceMinor: number;
  /** Discount allocated to the whole line (all units). */
  discountMinor: number;
}

export interface RefundLineRecord {
  id: number;
  lineItemId: number;
  quantity: number;
  subtotalMinor: number;
}

export interface RefundRecord {
  id: number;
  createdAt: number;
  amountMinor: number;
  note: string | null;
  lines: RefundLineRecord[];
}

export interface OrderRecord {
  id: number;
  number: number;
  email: string | null;
  customerId: number | null;
  createdAt: number;
  updatedAt: number;
  processedAt: number;
  cancelledAt: number | null;
  cancelReason: CancelReason | null;
  test: boolean;
  /** The checkout's marketing checkbox (`customerAcceptsMarketing`). */
  acceptsMarketing: boolean;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  lines: LineRecord[];
  shippingMinor: number;
  taxMinor: number;
  discountCodes: string[];
  refunds: RefundRecord[];
  landingPage: string | null;
  referrerUrl: string | null;
  customAttributes: Array<{key: string; value: string | null}>;
  note: string | null;
  tags: string[];
  shippingAddress: AddressRecord | null;
  billingAddress: AddressRecord | null;
}

export type DiscountValueRecord = {type: 'percentage'; percentage: number} | {type: 'amount'; amountMinor: number; appliesOnEachItem: boolean};

export interface RedeemCodeRecord {
  id: number;
  code: string;
  usageCount: number;
}

export interface DiscountRecord {
  /** The DiscountCodeNode id. */
  id: number;
  title: string;
  startsAt: number;
  endsAt: number | null;
  createdAt: number;
  updatedAt: number;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  value: DiscountValueRecord;
  codes: RedeemCodeRecord[];
  /** Created through the Admin API of this stand-in (as opposed to generated). */
  createdViaApi: boolean;
}

export interface CheckoutLineRecord {
  id: number;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  productId: number | null;
  variantId: number | null;
  unitPriceMinor: number;
}

export interface CheckoutRecord {
  id: number;
  /** The checkout token: part of the recovery URL and what `checkouts/*` webhooks key carts by. */
  token: string;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  customerId: number | null;
  email: string | null;
  lines: CheckoutLineRecord[];
}

export type EntityKind = 'product' | 'customer' | 'order' | 'discount' | 'checkout';

/** Totals of an order, derived from its lines so that they always add up. */
export interface OrderTotals {
  subtotalMinor: number;
  discountMinor: number;
  totalMinor: number;
  refundedMinor: number;
}

export function orderTotals(order: OrderRecord): OrderTotals {
  let gross = 0;
  let discount = 0;
  for (const line of order.lines) {
    gross += line.unitPriceMinor * line.quantity;
    discount += line.discountMinor;
  }
  const subtotalMinor = gross - discount;
  let refundedMinor = 0;
  for (const refund of order.refunds) refundedMinor += refund.amountMinor;
  return {subtotalMinor, discountMinor: discount, totalMinor: subtotalMinor + order.shippingMinor + order.taxMinor, refundedMinor};
}

export function checkoutTotalMinor(checkout: CheckoutRecord): number {
  let total = 0;
  for (const line of checkout.lines) total += line.unitPriceMinor * line.quantity;
  return total;
}
