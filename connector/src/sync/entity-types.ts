/**
 * The kinds of sync-state records, i.e. what the engine sends to Mailchimp (and, for the write-back of Mailchimp
 * changes, to the store's Admin API), and in which order of dependency.
 */
export const ENTITY = {
  store: 'store',
  product: 'product',
  customer: 'customer',
  member: 'member',
  promo: 'promo',
  order: 'order',
  cart: 'cart',
  redaction: 'redaction',
  /** A consent change from Mailchimp written back to the Shopify customer (write-back/). */
  shopifyConsent: 'shopify_consent',
  /** A profile or address change from Mailchimp written back to the Shopify customer. */
  shopifyCustomer: 'shopify_customer',
} as const;

export type EntityType = (typeof ENTITY)[keyof typeof ENTITY];

/** Live changes go before backfill work. */
export const PRIORITY = {live: 10, backfill: 0} as const;

/** Orders and carts name products and customers: within a round they go after them. */
export function dependencyTier(entityType: string): number {
  return entityType === ENTITY.order || entityType === ENTITY.cart ? 1 : 0;
}
