import type {ShopifyAdminClient} from '../shopify-admin/admin-client.js';
import {ShopifyUserErrors} from '../shopify-admin/admin-errors.js';
import {defineDocument} from '../shopify-admin/documents/admin-document.js';
import {
  DISCOUNT_CODE_BASIC_CREATE,
  type DiscountCodeBasicInput,
} from '../shopify-admin/documents/mutation-documents.js';

/**
 * The Shopify discount code of a promo send (`discountCodeBasicCreate`). A code that already exists is reused when it
 * is this promo's own (a repeat after an interruption), and refused when it is someone else's.
 */

/** Not in shopify-admin/documents (yet): the look-up of a code discount by its code. */
const CODE_DISCOUNT_BY_CODE = defineDocument<
  {
    codeDiscountNodeByCode: {
      id: string;
      codeDiscount: {__typename: string; title?: string; codes?: {nodes: Array<{id: string; code: string}>}};
    } | null;
  },
  {code: string}
>(`
  query CodeDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id codeDiscount { __typename ... on DiscountCodeBasic { title codes(first: 1) { nodes { id code } } } } }
  }`);

export interface ShopifyDiscountSpec {
  title: string;
  code: string;
  startsAt: string;
  endsAt?: string;
  discount: {type: 'percentage' | 'fixed'; amount: number; currency: string};
  target: 'total' | 'per_item';
}

export interface ShopifyDiscount {
  /** The discount's and the code's numeric ids: the promo rule and code ids the promo sync gives them in Mailchimp. */
  discountId: string;
  codeId: string;
  reused: boolean;
}

export class ShopifyCodeTakenError extends Error {
  constructor(readonly code: string) {
    super(`The code ${code} already exists in Shopify for another discount.`);
    this.name = 'ShopifyCodeTakenError';
  }
}

const tail = (gid: string) => gid.split('/').pop()!;

export function discountInput(spec: ShopifyDiscountSpec): DiscountCodeBasicInput {
  const {discount} = spec;
  const value =
    discount.type === 'percentage'
      ? {percentage: Number((discount.amount / 100).toFixed(6))}
      : {discountAmount: {amount: discount.amount.toFixed(2), appliesOnEachItem: spec.target === 'per_item'}};
  return {
    title: spec.title,
    code: spec.code,
    startsAt: spec.startsAt,
    ...(spec.endsAt ? {endsAt: spec.endsAt} : {}),
    customerSelection: {all: true},
    customerGets: {value, items: {all: true}},
    appliesOncePerCustomer: true,
  };
}

export async function createShopifyDiscount(
  client: ShopifyAdminClient,
  spec: ShopifyDiscountSpec,
): Promise<ShopifyDiscount> {
  try {
    const payload = await client.mutate(
      DISCOUNT_CODE_BASIC_CREATE,
      {input: discountInput(spec)},
      'discountCodeBasicCreate',
    );
    const node = payload.codeDiscountNode!;
    const code = node.codeDiscount.codes.nodes[0]!;
    return {discountId: tail(node.id), codeId: tail(code.id), reused: false};
  } catch (err) {
    if (!(err instanceof ShopifyUserErrors) || !err.codes.includes('TAKEN')) throw err;
    const existing = (await client.query(CODE_DISCOUNT_BY_CODE, {code: spec.code})).codeDiscountNodeByCode;
    const existingCode = existing?.codeDiscount.codes?.nodes[0];
    if (!existing || existing.codeDiscount.title !== spec.title || !existingCode)
      throw new ShopifyCodeTakenError(spec.code);
    return {discountId: tail(existing.id), codeId: tail(existingCode.id), reused: true};
  }
}
