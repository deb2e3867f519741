import {defineDocument, type Connection, type NodeList, type PageVariables} from './admin-document.js';

const BASIC_FIELDS = `title status summary startsAt endsAt createdAt updatedAt usageLimit asyncUsageCount appliesOncePerCustomer
  customerGets { value { __typename ... on DiscountPercentage { percentage } ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem } } }`;
const CODE_FIELDS = 'id code asyncUsageCount';

export interface RedeemCodeNode {
  id: string;
  code: string;
  asyncUsageCount: number;
}

export type DiscountValueNode =
  | {__typename: 'DiscountPercentage'; percentage: number}
  | {__typename: 'DiscountAmount'; amount: {amount: string; currencyCode: string}; appliesOnEachItem: boolean}
  | {__typename: 'DiscountOnQuantity'};

export interface DiscountCodeBasicNode {
  __typename: 'DiscountCodeBasic';
  title: string;
  status: 'ACTIVE' | 'EXPIRED' | 'SCHEDULED';
  summary: string;
  startsAt: string;
  endsAt: string | null;
  createdAt: string;
  updatedAt: string;
  usageLimit: number | null;
  asyncUsageCount: number;
  appliesOncePerCustomer: boolean;
  customerGets: {value: DiscountValueNode};
  codes: NodeList<RedeemCodeNode>;
}

export interface DiscountCodeNode {
  id: string;
  /** Only basic code discounts are selected; the other kinds come back with just their type name. */
  codeDiscount:
    DiscountCodeBasicNode | {__typename: 'DiscountCodeApp' | 'DiscountCodeBxgy' | 'DiscountCodeFreeShipping'};
}

/** 2 + 50 × (1 + codeDiscount 1 + customerGets 2 + amount 1 + codes (2 + 10)) = 852 points. */
export const CODE_DISCOUNTS_PAGE_SIZE = 50;

export const CODE_DISCOUNTS_PAGE = defineDocument<{codeDiscountNodes: Connection<DiscountCodeNode>}, PageVariables>(`
  query CodeDiscountsPage($first: Int!, $after: String, $query: String) {
    codeDiscountNodes(first: $first, after: $after, query: $query, sortKey: ID) {
      nodes { id codeDiscount { __typename ... on DiscountCodeBasic { ${BASIC_FIELDS} codes(first: 10) { nodes { ${CODE_FIELDS} } pageInfo { hasNextPage endCursor } } } } }
      pageInfo { hasNextPage endCursor }
    }
  }`);

export const CODE_DISCOUNTS_BULK_QUERY = `{ codeDiscountNodes { edges { node { id codeDiscount { __typename ... on DiscountCodeBasic { ${BASIC_FIELDS} codes { edges { node { ${CODE_FIELDS} } } } } } } } } }`;
export const CODE_DISCOUNTS_BULK_NESTING = {DiscountRedeemCode: 'codeDiscount.codes'} as const;
