/**
 * The Shopify GraphQL Admin API side of the connector: a client with Shopify's throttling handled, pagination and
 * bulk helpers, typed documents for the backfill and the write-back, and pure node → canonical mappers.
 */
export {
  ADMIN_API_VERSION,
  ShopifyAdminClient,
  type AdminResult,
  type ClientStats,
  type RequestOptions,
  type ShopifyAdminClientOptions,
} from './admin-client.js';
export * from './admin-errors.js';
export {paginate} from './paginate.js';
export {pagedOrders, pagedProducts} from './paged-sources.js';
export {
  downloadLines,
  runBulkQuery,
  startBulkQuery,
  waitForBulkOperation,
  type BulkQueryOptions,
} from './bulk-query.js';
export {assembleBulkObjects, BulkJsonlError, type BulkNesting, type BulkObject} from './bulk-jsonl-assembler.js';
export {costOf, throttleWaitMs, type QueryCost, type ThrottleStatus} from './throttle-policy.js';
export * from './documents/admin-document.js';
export * from './documents/product-documents.js';
export * from './documents/customer-documents.js';
export * from './documents/order-documents.js';
export * from './documents/discount-documents.js';
export * from './documents/checkout-documents.js';
export * from './documents/shop-documents.js';
export * from './documents/mutation-documents.js';
export {mapProductNode, type ShopContext} from './product-mapper.js';
export {mapCustomerNode, mapEmailMarketingConsent} from './customer-mapper.js';
export {mapOrderNode} from './order-mapper.js';
export {checkoutCartId, mapAbandonedCheckoutNode} from './checkout-mapper.js';
export {mapCodeDiscountNode, redemptionUrl, type DiscountMapping} from './discount-mapper.js';
export type {NodeMapResult} from './node-fields.js';
