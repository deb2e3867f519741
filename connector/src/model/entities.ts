import type {Consent} from './consent.js';
import type {CartId, CustomerId, OrderId, ProductId, PromoCodeId, PromoRuleId, VariantId} from './ids.js';
import type {Money} from './money.js';

/**
 * The canonical model: what the connector knows about a store, independent of the platform it came from.
 * Mappers turn platform payloads into these, and these into Mailchimp request bodies.
 * Timestamps are ISO 8601 strings; `updatedAt` orders versions of the same entity (older never overwrites newer).
 */

export interface PostalAddress {
  name?: string;
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  province?: string;
  provinceCode?: string;
  postalCode?: string;
  country?: string;
  countryCode?: string;
  phone?: string;
}

export interface Customer {
  id: CustomerId;
  /** Absent for e.g. Shopify customers/delete payloads and phone-only customers. */
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  address?: PostalAddress;
  /** Undefined when the payload says nothing about consent (Shopify ≥ 2025-01 customer payloads). */
  consent?: Consent;
  /** Platform tags, kept for tag rules. */
  tags: string[];
  createdAt?: string;
  updatedAt: string;
}

export interface Variant {
  id: VariantId;
  productId: ProductId;
  title: string;
  sku?: string;
  price: Money;
  inventoryQuantity?: number;
  imageUrl?: string;
  url?: string;
  /** Whether the storefront shows it (Mailchimp `visibility`). */
  visible?: boolean;
  backorders?: boolean;
}

export interface ProductImage {
  id: string;
  url: string;
  variantIds: VariantId[];
}

export interface Product {
  id: ProductId;
  title: string;
  handle?: string;
  url?: string;
  description?: string;
  type?: string;
  vendor?: string;
  imageUrl?: string;
  images: ProductImage[];
  variants: Variant[];
  /** Collection handles, for "bought from collection" tags and segments. */
  collections: string[];
  publishedAt?: string;
  updatedAt: string;
}

export interface LineItem {
  id: string;
  /** Null for custom items and deleted products: the sync gives such lines a placeholder product. */
  productId: ProductId | null;
  variantId: VariantId | null;
  title: string;
  variantTitle?: string;
  sku?: string;
  quantity: number;
  /** Unit price. */
  price: Money;
  /** Total discount on the line. */
  discount: Money;
}

export type FinancialStatus =
  'pending' | 'authorized' | 'paid' | 'partially_paid' | 'partially_refunded' | 'refunded' | 'voided' | 'unknown';
export type FulfillmentStatus = 'unfulfilled' | 'partial' | 'fulfilled' | 'restocked' | 'unknown';

export interface Refund {
  id: string;
  createdAt: string;
  /** Money returned to the buyer by this refund. */
  amount: Money;
  lines: Array<{lineId: string; quantity: number; subtotal: Money}>;
}

export interface OrderCustomerRef {
  id?: CustomerId;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** The checkout's marketing box (Shopify `buyer_accepts_marketing`). */
  acceptsMarketing?: boolean;
}

export interface Tracking {
  number?: string;
  carrier?: string;
  url?: string;
}

export interface Order {
  id: OrderId;
  /** The human order number/name (#1001). */
  name?: string;
  customer: OrderCustomerRef;
  currency: string;
  /** Order total as placed, before refunds. */
  total: Money;
  discountTotal: Money;
  taxTotal: Money;
  shippingTotal: Money;
  lines: LineItem[];
  refunds: Refund[];
  discountCodes: Array<{code: string; amount: Money; type: 'fixed' | 'percentage' | 'shipping'}>;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  cancelledAt?: string;
  processedAt: string;
  updatedAt: string;
  /** Test orders and drafts are never counted as purchases. */
  isTest: boolean;
  /** Landing page URL and cart/note attributes: where a Mailchimp campaign id (mc_cid) may be found. */
  landingSite?: string;
  /** The page the buyer came from (Shopify `referring_site`); a campaign link may show up here too. */
  referringSite?: string;
  attributes: Record<string, string>;
  /** The checkout / cart this order came from: its abandoned cart is removed from Mailchimp. */
  cartId?: CartId;
  orderUrl?: string;
  shippingAddress?: PostalAddress;
  billingAddress?: PostalAddress;
  tracking?: Tracking;
}

export interface Cart {
  id: CartId;
  customer: OrderCustomerRef;
  currency: string;
  total: Money;
  taxTotal?: Money;
  lines: LineItem[];
  checkoutUrl?: string;
  /** Set once the checkout became an order: the cart must then be removed. */
  completedAt?: string;
  landingSite?: string;
  attributes: Record<string, string>;
  updatedAt: string;
}

export interface PromoCode {
  id: PromoCodeId;
  code: string;
  redemptionUrl: string;
  usageCount?: number;
  enabled: boolean;
}

export interface PromoRule {
  id: PromoRuleId;
  title?: string;
  description: string;
  /** Percentage as a fraction 0..1, or a fixed amount. */
  amount: {type: 'percentage'; fraction: number} | {type: 'fixed'; money: Money};
  target: 'per_item' | 'total' | 'shipping';
  startsAt?: string;
  endsAt?: string;
  enabled: boolean;
  codes: PromoCode[];
  updatedAt: string;
}
