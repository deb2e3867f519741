import {
  checkoutTotalMinor,
  type CheckoutLineRecord,
  type CheckoutRecord,
  type DiscountRecord,
} from '../data/records.js';
import type {PageArgs} from '../query/keyset-page.js';
import {decimalString, gid, isoOrNull, isoTime, moneyBag} from '../schema/scalars.js';
import {listConnection, type ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

interface CodeDiscountSource {
  __typename: 'DiscountCodeBasic';
  discount: DiscountRecord;
}

export function discountStatus(discount: DiscountRecord, now: number): 'ACTIVE' | 'EXPIRED' | 'SCHEDULED' {
  if (discount.startsAt > now) return 'SCHEDULED';
  if (discount.endsAt !== null && discount.endsAt <= now) return 'EXPIRED';
  return 'ACTIVE';
}

function summary(discount: DiscountRecord, currency: string): string {
  const value = discount.value;
  const amount =
    value.type === 'percentage'
      ? `${Math.round(value.percentage * 100)}% off`
      : `${decimalString(value.amountMinor, currency)} ${currency} off${value.appliesOnEachItem ? ' each' : ''}`;
  return `${amount} entire order${discount.appliesOncePerCustomer ? ' • One use per customer' : ''}`;
}

const withDiscount =
  <T>(read: (discount: DiscountRecord, context: ResolverContext) => T) =>
  (source: CodeDiscountSource, _args: unknown, context: ResolverContext) =>
    read(source.discount, context);

export const discountResolvers: ResolverMap = {
  DiscountCodeNode: {
    id: (d: DiscountRecord) => gid('DiscountCodeNode', d.id),
    codeDiscount: (d: DiscountRecord): CodeDiscountSource => ({__typename: 'DiscountCodeBasic', discount: d}),
  },
  DiscountCodeBasic: {
    title: withDiscount((d) => d.title),
    status: withDiscount((d, context) => discountStatus(d, context.store.now())),
    summary: withDiscount((d, context) => summary(d, context.store.shop.currencyCode)),
    startsAt: withDiscount((d) => isoTime(d.startsAt)),
    endsAt: withDiscount((d) => isoOrNull(d.endsAt)),
    createdAt: withDiscount((d) => isoTime(d.createdAt)),
    updatedAt: withDiscount((d) => isoTime(d.updatedAt)),
    usageLimit: withDiscount((d) => d.usageLimit),
    asyncUsageCount: withDiscount((d) => d.codes.reduce((sum, code) => sum + code.usageCount, 0)),
    appliesOncePerCustomer: withDiscount((d) => d.appliesOncePerCustomer),
    codesCount: withDiscount((d) => ({count: d.codes.length, precision: 'EXACT'})),
    codes: (source: CodeDiscountSource, args: PageArgs, context: ResolverContext) =>
      listConnection(source.discount.codes, args, context, (code) => ({
        id: gid('DiscountRedeemCode', code.id),
        code: code.code,
        asyncUsageCount: code.usageCount,
      })),
    customerGets: withDiscount((d, context) => ({
      value:
        d.value.type === 'percentage'
          ? {__typename: 'DiscountPercentage', percentage: d.value.percentage}
          : {
              __typename: 'DiscountAmount',
              amount: {
                amount: decimalString(d.value.amountMinor, context.store.shop.currencyCode),
                currencyCode: context.store.shop.currencyCode,
              },
              appliesOnEachItem: d.value.appliesOnEachItem,
            },
      items: {__typename: 'AllDiscountItems', allItems: true},
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
    })),
    customerSelection: () => ({__typename: 'DiscountCustomerAll', allCustomers: true}),
  },
};

interface CheckoutLineSource {
  line: CheckoutLineRecord;
}

export function checkoutUrl(checkout: CheckoutRecord, context: ResolverContext): string {
  // The recovery link Shopify emails: `/<shop id>/checkouts/<token>/recover?key=…` on the shop's domain.
  return `https://${context.store.shop.myshopifyDomain}/${context.store.shop.id}/checkouts/${checkout.token}/recover?key=${checkout.token.slice(0, 16)}`;
}

export const checkoutResolvers: ResolverMap = {
  AbandonedCheckout: {
    id: (c: CheckoutRecord) => gid('AbandonedCheckout', c.id),
    name: (c: CheckoutRecord) => `#${c.id}`,
    abandonedCheckoutUrl: (c: CheckoutRecord, _args: unknown, context: ResolverContext) => checkoutUrl(c, context),
    createdAt: (c: CheckoutRecord) => isoTime(c.createdAt),
    updatedAt: (c: CheckoutRecord) => isoTime(c.updatedAt),
    completedAt: (c: CheckoutRecord) => isoOrNull(c.completedAt),
    note: () => null,
    customer: (c: CheckoutRecord, _args: unknown, context: ResolverContext) =>
      c.customerId === null ? null : (context.store.customers.get(c.customerId) ?? null),
    customAttributes: () => [],
    totalPriceSet: (c: CheckoutRecord, _args: unknown, context: ResolverContext) =>
      moneyBag(checkoutTotalMinor(c), context.store.shop.currencyCode),
    subtotalPriceSet: (c: CheckoutRecord, _args: unknown, context: ResolverContext) =>
      moneyBag(checkoutTotalMinor(c), context.store.shop.currencyCode),
    totalTaxSet: (_c: CheckoutRecord, _args: unknown, context: ResolverContext) =>
      moneyBag(0, context.store.shop.currencyCode),
    totalDiscountSet: (_c: CheckoutRecord, _args: unknown, context: ResolverContext) =>
      moneyBag(0, context.store.shop.currencyCode),
    lineItemsQuantity: (c: CheckoutRecord) => c.lines.reduce((sum, line) => sum + line.quantity, 0),
    lineItems: (c: CheckoutRecord, args: PageArgs, context: ResolverContext) =>
      listConnection(c.lines, args, context, (line): CheckoutLineSource => ({line})),
  },
  AbandonedCheckoutLineItem: {
    id: ({line}: CheckoutLineSource) => gid('AbandonedCheckoutLineItem', line.id),
    title: ({line}: CheckoutLineSource) => line.title,
    quantity: ({line}: CheckoutLineSource) => line.quantity,
    sku: ({line}: CheckoutLineSource) => line.sku,
    variantTitle: ({line}: CheckoutLineSource) => line.variantTitle,
    variant: ({line}: CheckoutLineSource, _args: unknown, context: ResolverContext) =>
      line.variantId === null ? null : (context.store.variant(line.variantId) ?? null),
    product: ({line}: CheckoutLineSource, _args: unknown, context: ResolverContext) =>
      line.productId === null ? null : (context.store.products.get(line.productId) ?? null),
    originalUnitPriceSet: ({line}: CheckoutLineSource, _args: unknown, context: ResolverContext) =>
      moneyBag(line.unitPriceMinor, context.store.shop.currencyCode),
    originalTotalPriceSet: ({line}: CheckoutLineSource, _args: unknown, context: ResolverContext) =>
      moneyBag(line.unitPriceMinor * line.quantity, context.store.shop.currencyCode),
    discountedTotalPriceSet: ({line}: CheckoutLineSource, _args: unknown, context: ResolverContext) =>
      moneyBag(line.unitPriceMinor * line.quantity, context.store.shop.currencyCode),
  },
};
