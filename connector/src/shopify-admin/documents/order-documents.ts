import {
  defineDocument,
  MAILING_ADDRESS,
  type Connection,
  type MailingAddress,
  type NodeList,
  type PageVariables,
} from './admin-document.js';

/** Shop-currency amounts only: each MoneyBag then costs 2 points instead of 3. */
const SHOP_MONEY = 'shopMoney { amount currencyCode }';
const ORDER_FIELDS = `id legacyResourceId name email createdAt updatedAt processedAt cancelledAt cancelReason test customerAcceptsMarketing
  displayFinancialStatus displayFulfillmentStatus currencyCode statusPageUrl discountCodes
  totalPriceSet { ${SHOP_MONEY} } subtotalPriceSet { ${SHOP_MONEY} } totalTaxSet { ${SHOP_MONEY} } totalShippingPriceSet { ${SHOP_MONEY} }
  totalDiscountsSet { ${SHOP_MONEY} } totalRefundedSet { ${SHOP_MONEY} }
  customAttributes { key value } customerJourneySummary { firstVisit { landingPage referrerUrl } }
  customer { id legacyResourceId email firstName lastName }
  shippingAddress { ${MAILING_ADDRESS} } billingAddress { ${MAILING_ADDRESS} }`;
const LINE_FIELDS = `id title quantity sku variantTitle variant { id legacyResourceId } product { id legacyResourceId }
  originalUnitPriceSet { ${SHOP_MONEY} } totalDiscountSet { ${SHOP_MONEY} }`;

export interface ShopMoneyBag {
  shopMoney: {amount: string; currencyCode: string};
}

export interface LineItemNode {
  id: string;
  title: string;
  quantity: number;
  sku: string | null;
  variantTitle: string | null;
  /** Null for custom items and deleted products. */
  variant: {id: string; legacyResourceId: string} | null;
  product: {id: string; legacyResourceId: string} | null;
  originalUnitPriceSet: ShopMoneyBag;
  totalDiscountSet: ShopMoneyBag;
}

export interface RefundLineItemNode {
  lineItem: {id: string};
  quantity: number;
  subtotalSet: ShopMoneyBag;
}

export interface RefundNode {
  id: string;
  legacyResourceId: string;
  createdAt: string | null;
  totalRefundedSet: ShopMoneyBag;
  /** Absent in bulk results: Shopify's bulk queries cannot select connections inside the `refunds` list. */
  refundLineItems?: NodeList<RefundLineItemNode>;
}

export interface OrderNode {
  id: string;
  legacyResourceId: string;
  name: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  test: boolean;
  customerAcceptsMarketing: boolean;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  statusPageUrl: string;
  discountCodes: string[];
  totalPriceSet: ShopMoneyBag;
  subtotalPriceSet: ShopMoneyBag | null;
  totalTaxSet: ShopMoneyBag | null;
  totalShippingPriceSet: ShopMoneyBag;
  totalDiscountsSet: ShopMoneyBag | null;
  totalRefundedSet: ShopMoneyBag;
  customAttributes: Array<{key: string; value: string | null}>;
  customerJourneySummary: {firstVisit: {landingPage: string | null; referrerUrl: string | null} | null} | null;
  customer: {
    id: string;
    legacyResourceId: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
  } | null;
  shippingAddress: MailingAddress | null;
  billingAddress: MailingAddress | null;
  lineItems: NodeList<LineItemNode>;
  refunds: RefundNode[];
}

export const LINES_PER_ORDER_PAGE = 10;
/** An order with its first 10 lines and every refund (first 10 refund lines each) is estimated at 136 points: 5 per page. */
export const ORDERS_PAGE_SIZE = 5;

export const ORDERS_PAGE = defineDocument<{orders: Connection<OrderNode>}, PageVariables>(`
  query OrdersPage($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: ID) {
      nodes {
        ${ORDER_FIELDS}
        lineItems(first: ${LINES_PER_ORDER_PAGE}) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } }
        refunds { id legacyResourceId createdAt totalRefundedSet { ${SHOP_MONEY} } refundLineItems(first: 10) { nodes { lineItem { id } quantity subtotalSet { ${SHOP_MONEY} } } } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`);

export const ORDER_LINE_ITEMS_PAGE = defineDocument<
  {order: {lineItems: Connection<LineItemNode>} | null},
  {id: string; first: number; after?: string | null}
>(`
  query OrderLineItemsPage($id: ID!, $first: Int!, $after: String) {
    order(id: $id) { lineItems(first: $first, after: $after) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } } }
  }`);

/** Every order with every line; refunds without their lines (see RefundNode). Filter with `orders(query: …)`. */
export function ordersBulkQuery(search?: string): string {
  const args = search ? `(query: ${JSON.stringify(search)})` : '';
  return `{ orders${args} { edges { node { ${ORDER_FIELDS} lineItems { edges { node { ${LINE_FIELDS} } } } refunds { id legacyResourceId createdAt totalRefundedSet { ${SHOP_MONEY} } } } } } }`;
}
export const ORDERS_BULK_NESTING = {LineItem: 'lineItems'} as const;
