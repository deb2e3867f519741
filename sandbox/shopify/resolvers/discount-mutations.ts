import type {DiscountRecord, DiscountValueRecord} from '../data/records.js';
import {parseAmount} from '../schema/scalars.js';
import type {ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

/**
 * `discountCodeBasicCreate`: validation as Shopify does it, answered as DiscountUserErrors with a field path under
 * `basicCodeDiscount` (a code already used in the shop is `TAKEN`, "Code must be unique. Please try a different
 * code."). The stand-in stores every discount as applying to all items; product and collection scopes are accepted
 * but not modelled.
 */

interface BasicInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  customerSelection?: {all?: boolean | null} | null;
  context?: {all?: string | null} | null;
  customerGets?: {
    value?: {
      percentage?: number | null;
      discountAmount?: {amount?: string | null; appliesOnEachItem?: boolean | null} | null;
    } | null;
    items?: {all?: boolean | null} | null;
  } | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
}

interface DiscountUserError {
  field: string[];
  message: string;
  code: string;
  extraInfo: null;
}

const error = (field: string[], message: string, code: string): DiscountUserError => ({
  field: ['basicCodeDiscount', ...field],
  message,
  code,
  extraInfo: null,
});

function valueOf(input: BasicInput, currency: string, errors: DiscountUserError[]): DiscountValueRecord | undefined {
  const value = input.customerGets?.value;
  if (!value || (value.percentage == null && value.discountAmount == null)) {
    errors.push(error(['customerGets', 'value'], "Value can't be blank", 'BLANK'));
    return undefined;
  }
  if (value.percentage != null && value.discountAmount != null) {
    errors.push(
      error(
        ['customerGets', 'value'],
        'Only one of percentage or discountAmount can be provided.',
        'TOO_MANY_ARGUMENTS',
      ),
    );
    return undefined;
  }
  if (value.percentage != null) {
    if (!(value.percentage > 0 && value.percentage <= 1)) {
      errors.push(
        error(['customerGets', 'value', 'percentage'], 'Value must be between 0.0 and 1.0', 'VALUE_OUTSIDE_RANGE'),
      );
      return undefined;
    }
    return {type: 'percentage', percentage: value.percentage};
  }
  const amountMinor = parseAmount(value.discountAmount?.amount, currency);
  if (!(amountMinor > 0)) {
    errors.push(
      error(['customerGets', 'value', 'discountAmount', 'amount'], 'Value must be greater than 0', 'GREATER_THAN'),
    );
    return undefined;
  }
  return {type: 'amount', amountMinor, appliesOnEachItem: value.discountAmount?.appliesOnEachItem === true};
}

function create(input: BasicInput, context: ResolverContext) {
  const store = context.store;
  const errors: DiscountUserError[] = [];
  const title = input.title?.trim() ?? '';
  const code = input.code?.trim() ?? '';
  if (title === '') errors.push(error(['title'], "Title can't be blank", 'BLANK'));
  if (code === '') errors.push(error(['code'], "Code can't be blank", 'BLANK'));
  else if (code.length > 255) errors.push(error(['code'], 'Code is too long (maximum is 255 characters)', 'TOO_LONG'));
  else if (store.discountByCode(code))
    errors.push(error(['code'], 'Code must be unique. Please try a different code.', 'TAKEN'));
  const startsAt = input.startsAt != null ? Date.parse(input.startsAt) : Number.NaN;
  if (input.startsAt == null) errors.push(error(['startsAt'], "Starts at can't be blank", 'BLANK'));
  else if (Number.isNaN(startsAt)) errors.push(error(['startsAt'], 'Starts at is invalid', 'INVALID'));
  const endsAt = input.endsAt != null ? Date.parse(input.endsAt) : null;
  if (endsAt !== null && (Number.isNaN(endsAt) || (!Number.isNaN(startsAt) && endsAt <= startsAt))) {
    errors.push(error(['endsAt'], 'Ends at needs to be after starts_at', 'INVALID'));
  }
  if (input.customerSelection != null && input.context != null) {
    errors.push(error(['context'], 'Only one of context or customerSelection can be provided.', 'INVALID'));
  }
  if (input.usageLimit != null && input.usageLimit <= 0)
    errors.push(error(['usageLimit'], 'Usage limit must be greater than 0', 'GREATER_THAN'));
  const value = valueOf(input, store.shop.currencyCode, errors);
  if (errors.length > 0 || value === undefined) return {codeDiscountNode: null, userErrors: errors};

  const now = store.now();
  const discount: DiscountRecord = {
    id: store.ids.allocate('DiscountCodeNode'),
    title,
    startsAt,
    endsAt,
    createdAt: now,
    updatedAt: now,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer === true,
    value,
    codes: [{id: store.ids.allocate('DiscountRedeemCode'), code, usageCount: 0}],
    createdViaApi: true,
  };
  store.addDiscount(discount);
  return {codeDiscountNode: discount, userErrors: []};
}

export const discountMutations: ResolverMap = {
  Mutation: {
    discountCodeBasicCreate: (_root: unknown, args: {basicCodeDiscount: BasicInput}, context: ResolverContext) =>
      create(args.basicCodeDiscount, context),
  },
};
