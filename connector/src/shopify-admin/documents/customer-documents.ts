import {
  defineDocument,
  MAILING_ADDRESS,
  type Connection,
  type MailingAddress,
  type MoneyV2,
  type PageVariables,
} from './admin-document.js';

const CUSTOMER_FIELDS = `id legacyResourceId email firstName lastName phone createdAt updatedAt numberOfOrders amountSpent { amount currencyCode } tags
  emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } defaultAddress { ${MAILING_ADDRESS} }`;

export type MarketingState = 'SUBSCRIBED' | 'NOT_SUBSCRIBED' | 'UNSUBSCRIBED' | 'PENDING' | 'REDACTED' | 'INVALID';
export type OptInLevel = 'SINGLE_OPT_IN' | 'CONFIRMED_OPT_IN' | 'UNKNOWN';

export interface EmailMarketingConsentNode {
  marketingState: MarketingState;
  marketingOptInLevel: OptInLevel | null;
  consentUpdatedAt: string | null;
}

export interface CustomerNode {
  id: string;
  legacyResourceId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  /** UnsignedInt64, as a string. */
  numberOfOrders: string;
  amountSpent: MoneyV2;
  tags: string[];
  /** Null for customers without an email address. */
  emailMarketingConsent: EmailMarketingConsentNode | null;
  defaultAddress: MailingAddress | null;
}

/** 2 + 200 × (1 + 3 objects) = 802 points. */
export const CUSTOMERS_PAGE_SIZE = 200;

export const CUSTOMERS_PAGE = defineDocument<{customers: Connection<CustomerNode>}, PageVariables>(`
  query CustomersPage($first: Int!, $after: String, $query: String) {
    customers(first: $first, after: $after, query: $query, sortKey: ID) { nodes { ${CUSTOMER_FIELDS} } pageInfo { hasNextPage endCursor } }
  }`);

export const CUSTOMERS_BULK_QUERY = `{ customers { edges { node { ${CUSTOMER_FIELDS} } } } }`;
