import {
  defineDocument,
  MONEY_BAG,
  type Connection,
  type MoneyBag,
  type NodeList,
  type PageVariables,
} from './admin-document.js';

const CHECKOUT_FIELDS = `id abandonedCheckoutUrl createdAt updatedAt completedAt customer { id legacyResourceId email firstName lastName }
  customAttributes { key value } totalPriceSet { ${MONEY_BAG} } totalTaxSet { ${MONEY_BAG} }`;
const LINE_FIELDS = `id title quantity sku variantTitle variant { id legacyResourceId } product { id legacyResourceId } originalUnitPriceSet { ${MONEY_BAG} }`;

export interface AbandonedCheckoutLineNode {
  id: string;
  title: string | null;
  quantity: number;
  sku: string | null;
  variantTitle: string | null;
  variant: {id: string; legacyResourceId: string} | null;
  product: {id: string; legacyResourceId: string} | null;
  originalUnitPriceSet: MoneyBag;
}

export interface AbandonedCheckoutNode {
  id: string;
  abandonedCheckoutUrl: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  customer: {
    id: string;
    legacyResourceId: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
  } | null;
  customAttributes: Array<{key: string; value: string | null}>;
  totalPriceSet: MoneyBag;
  totalTaxSet: MoneyBag | null;
  lineItems: NodeList<AbandonedCheckoutLineNode>;
}

/** 2 + 8 × (1 + 1 + 1 + 3 + 3 + (2 + 15 × (1 + 1 + 1 + 3))) = 810 points. */
export const CHECKOUTS_PAGE_SIZE = 8;
export const LINES_PER_CHECKOUT_PAGE = 15;

export const ABANDONED_CHECKOUTS_PAGE = defineDocument<
  {abandonedCheckouts: Connection<AbandonedCheckoutNode>},
  PageVariables
>(`
  query AbandonedCheckoutsPage($first: Int!, $after: String, $query: String) {
    abandonedCheckouts(first: $first, after: $after, query: $query, sortKey: ID) {
      nodes { ${CHECKOUT_FIELDS} lineItems(first: ${LINES_PER_CHECKOUT_PAGE}) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } } }
      pageInfo { hasNextPage endCursor }
    }
  }`);

export const ABANDONED_CHECKOUTS_BULK_QUERY = `{ abandonedCheckouts { edges { node { ${CHECKOUT_FIELDS} lineItems { edges { node { ${LINE_FIELDS} } } } } } } }`;
export const ABANDONED_CHECKOUTS_BULK_NESTING = {AbandonedCheckoutLineItem: 'lineItems'} as const;
