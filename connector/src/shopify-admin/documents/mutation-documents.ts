import {defineDocument} from './admin-document.js';
import type {EmailMarketingConsentNode, MarketingState, OptInLevel} from './customer-documents.js';

/** A mutation's `userErrors` entry; `code` exists on most payloads' error types, not on the plain UserError. */
export interface MutationUserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export interface MutationPayload {
  userErrors: MutationUserError[];
}

export const CUSTOMER_CONSENT_UPDATE = defineDocument<
  {
    customerEmailMarketingConsentUpdate:
      | (MutationPayload & {customer: {id: string; emailMarketingConsent: EmailMarketingConsentNode | null} | null})
      | null;
  },
  {
    input: {
      customerId: string;
      emailMarketingConsent: {
        marketingState: Extract<MarketingState, 'SUBSCRIBED' | 'UNSUBSCRIBED' | 'PENDING'>;
        marketingOptInLevel?: OptInLevel;
        consentUpdatedAt?: string;
      };
    };
  }
>(`
  mutation CustomerConsentUpdate($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer { id emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } }
      userErrors { field message code }
    }
  }`);

export const CUSTOMER_UPDATE = defineDocument<
  {
    customerUpdate:
      | (MutationPayload & {
          customer: {
            id: string;
            email: string | null;
            firstName: string | null;
            lastName: string | null;
            updatedAt: string;
          } | null;
        })
      | null;
  },
  {input: {id: string; email?: string | null; firstName?: string | null; lastName?: string | null}}
>(`
  mutation CustomerUpdate($input: CustomerInput!) {
    customerUpdate(input: $input) { customer { id email firstName lastName updatedAt } userErrors { field message } }
  }`);

export interface DiscountCodeBasicInput {
  title: string;
  code: string;
  startsAt: string;
  endsAt?: string | null;
  customerSelection?: {all: true};
  customerGets: {
    value: {percentage: number} | {discountAmount: {amount: string; appliesOnEachItem: boolean}};
    items: {all: true};
  };
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
}

export const DISCOUNT_CODE_BASIC_CREATE = defineDocument<
  {
    discountCodeBasicCreate:
      | (MutationPayload & {
          codeDiscountNode: {id: string; codeDiscount: {codes: {nodes: Array<{id: string; code: string}>}}} | null;
        })
      | null;
  },
  {input: DiscountCodeBasicInput}
>(`
  mutation DiscountCodeBasicCreate($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { codes(first: 1) { nodes { id code } } } } }
      userErrors { field message code extraInfo }
    }
  }`);

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';

export interface BulkOperationNode {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

const BULK_FIELDS = 'id status errorCode objectCount rootObjectCount url partialDataUrl';

export const BULK_OPERATION_RUN_QUERY = defineDocument<
  {bulkOperationRunQuery: (MutationPayload & {bulkOperation: BulkOperationNode | null}) | null},
  {query: string; groupObjects: boolean}
>(`
  mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) { bulkOperation { ${BULK_FIELDS} } userErrors { field message code } }
  }`);

export const BULK_OPERATION = defineDocument<{node: BulkOperationNode | null}, {id: string}>(`
  query BulkOperation($id: ID!) { node(id: $id) { ... on BulkOperation { ${BULK_FIELDS} } } }`);

export const BULK_OPERATION_CANCEL = defineDocument<
  {bulkOperationCancel: (MutationPayload & {bulkOperation: BulkOperationNode | null}) | null},
  {id: string}
>(`
  mutation BulkOperationCancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { ${BULK_FIELDS} } userErrors { field message } } }`);
