/**
 * A GraphQL document with the TypeScript shapes of its variables and of the data it returns, so that callers of
 * the client get typed results without a code generator. The shapes are written by hand next to each query and
 * checked against the stand-in's schema by the documents test.
 */
export interface AdminDocument<TData, TVariables> {
  readonly query: string;
  /** Type-level only; never set. */
  readonly types?: {data: TData; variables: TVariables};
}

export type DataOf<D> = D extends AdminDocument<infer TData, unknown> ? TData : never;
export type VariablesOf<D> = D extends AdminDocument<unknown, infer TVariables> ? TVariables : never;

export function defineDocument<TData, TVariables = Record<string, never>>(
  query: string,
): AdminDocument<TData, TVariables> {
  return {query};
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<TNode> {
  nodes: TNode[];
  pageInfo: PageInfo;
}

/** A nested connection as a bulk result carries it after reassembly (no pageInfo: everything is there). */
export interface NodeList<TNode> {
  nodes: TNode[];
  pageInfo?: PageInfo;
}

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export interface MoneyBag {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

export interface MailingAddress {
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCodeV2: string | null;
  zip: string | null;
  phone: string | null;
}

export const MONEY_BAG = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';
export const MAILING_ADDRESS =
  'firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone';

export interface PageVariables {
  first: number;
  after?: string | null;
  query?: string | null;
}
