import {
  orderTotals,
  type LineRecord,
  type OrderRecord,
  type RefundLineRecord,
  type RefundRecord,
} from '../data/records.js';
import type {PageArgs} from '../query/keyset-page.js';
import {gid, isoOrNull, isoTime, moneyBag} from '../schema/scalars.js';
import {mailingAddress} from './customer-resolvers.js';
import {listConnection, type ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

interface RefundSource {
  refund: RefundRecord;
  order: OrderRecord;
}

interface RefundLineSource {
  line: RefundLineRecord;
  order: OrderRecord;
}

const currency = (context: ResolverContext) => context.store.shop.currencyCode;
const bag = (minor: number, context: ResolverContext) => moneyBag(minor, currency(context));

function refundedUnits(order: OrderRecord, lineId: number): number {
  let units = 0;
  for (const refund of order.refunds)
    for (const line of refund.lines) if (line.lineItemId === lineId) units += line.quantity;
  return units;
}

export const orderResolvers: ResolverMap = {
  Order: {
    id: (o: OrderRecord) => gid('Order', o.id),
    legacyResourceId: (o: OrderRecord) => String(o.id),
    name: (o: OrderRecord) => `#${o.number}`,
    createdAt: (o: OrderRecord) => isoTime(o.createdAt),
    updatedAt: (o: OrderRecord) => isoTime(o.updatedAt),
    processedAt: (o: OrderRecord) => isoTime(o.processedAt),
    cancelledAt: (o: OrderRecord) => isoOrNull(o.cancelledAt),
    customerAcceptsMarketing: (o: OrderRecord) => o.acceptsMarketing,
    closed: (o: OrderRecord) => o.cancelledAt !== null || o.fulfillmentStatus === 'FULFILLED',
    displayFinancialStatus: (o: OrderRecord) => o.financialStatus,
    displayFulfillmentStatus: (o: OrderRecord) => o.fulfillmentStatus,
    currencyCode: (_o: OrderRecord, _args: unknown, context: ResolverContext) => currency(context),
    presentmentCurrencyCode: (_o: OrderRecord, _args: unknown, context: ResolverContext) => currency(context),
    totalPriceSet: (o: OrderRecord, _args: unknown, context: ResolverContext) =>
      bag(orderTotals(o).totalMinor, context),
    subtotalPriceSet: (o: OrderRecord, _args: unknown, context: ResolverContext) =>
      bag(orderTotals(o).subtotalMinor, context),
    currentTotalPriceSet: (o: OrderRecord, _args: unknown, context: ResolverContext) => {
      const totals = orderTotals(o);
      return bag(Math.max(0, totals.totalMinor - totals.refundedMinor), context);
    },
    totalTaxSet: (o: OrderRecord, _args: unknown, context: ResolverContext) => bag(o.taxMinor, context),
    totalShippingPriceSet: (o: OrderRecord, _args: unknown, context: ResolverContext) => bag(o.shippingMinor, context),
    totalDiscountsSet: (o: OrderRecord, _args: unknown, context: ResolverContext) =>
      bag(orderTotals(o).discountMinor, context),
    totalRefundedSet: (o: OrderRecord, _args: unknown, context: ResolverContext) =>
      bag(orderTotals(o).refundedMinor, context),
    customerJourneySummary: (o: OrderRecord) =>
      o.landingPage === null && o.referrerUrl === null
        ? null
        : {
            ready: true,
            firstVisit: {
              id: `gid://shopify/CustomerVisit/${o.id}`,
              landingPage: o.landingPage,
              referrerUrl: o.referrerUrl,
              occurredAt: isoTime(o.createdAt - 600_000),
              source: o.referrerUrl ? 'google' : 'direct',
            },
            lastVisit: null,
          },
    customer: (o: OrderRecord, _args: unknown, context: ResolverContext) =>
      o.customerId === null ? null : (context.store.customers.get(o.customerId) ?? null),
    shippingAddress: (o: OrderRecord) => mailingAddress(o.shippingAddress, o.id),
    billingAddress: (o: OrderRecord) => mailingAddress(o.billingAddress, o.id),
    statusPageUrl: (o: OrderRecord, _args: unknown, context: ResolverContext) =>
      `https://${context.store.shop.myshopifyDomain}/${context.store.shop.id}/orders/${o.id.toString(16)}/authenticate`,
    lineItems: (o: OrderRecord, args: PageArgs, context: ResolverContext) =>
      listConnection(o.lines, args, context, (line) => ({line, order: o})),
    refunds: (o: OrderRecord, args: {first?: number | null}) => {
      const refunds = args.first != null ? o.refunds.slice(0, args.first) : o.refunds;
      return refunds.map((refund): RefundSource => ({refund, order: o}));
    },
  },
  LineItem: {
    id: ({line}: {line: LineRecord}) => gid('LineItem', line.id),
    name: ({line}: {line: LineRecord}) => (line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title),
    title: ({line}: {line: LineRecord}) => line.title,
    quantity: ({line}: {line: LineRecord}) => line.quantity,
    currentQuantity: ({line, order}: {line: LineRecord; order: OrderRecord}) =>
      Math.max(0, line.quantity - refundedUnits(order, line.id)),
    sku: ({line}: {line: LineRecord}) => line.sku,
    variantTitle: ({line}: {line: LineRecord}) => line.variantTitle,
    vendor: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      line.productId === null ? null : (context.store.products.get(line.productId)?.vendor ?? null),
    variant: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      line.variantId === null ? null : (context.store.variant(line.variantId) ?? null),
    product: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      line.productId === null ? null : (context.store.products.get(line.productId) ?? null),
    originalUnitPriceSet: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      bag(line.unitPriceMinor, context),
    originalTotalSet: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      bag(line.unitPriceMinor * line.quantity, context),
    discountedUnitPriceSet: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      bag(Math.round((line.unitPriceMinor * line.quantity - line.discountMinor) / line.quantity), context),
    discountedTotalSet: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      bag(line.unitPriceMinor * line.quantity - line.discountMinor, context),
    totalDiscountSet: ({line}: {line: LineRecord}, _args: unknown, context: ResolverContext) =>
      bag(line.discountMinor, context),
  },
  Refund: {
    id: ({refund}: RefundSource) => gid('Refund', refund.id),
    legacyResourceId: ({refund}: RefundSource) => String(refund.id),
    createdAt: ({refund}: RefundSource) => isoTime(refund.createdAt),
    note: ({refund}: RefundSource) => refund.note,
    totalRefundedSet: ({refund}: RefundSource, _args: unknown, context: ResolverContext) =>
      bag(refund.amountMinor, context),
    order: ({order}: RefundSource) => order,
    refundLineItems: ({refund, order}: RefundSource, args: PageArgs, context: ResolverContext) =>
      listConnection(refund.lines, args, context, (line): RefundLineSource => ({line, order})),
  },
  RefundLineItem: {
    id: ({line}: RefundLineSource) => gid('RefundLineItem', line.id),
    lineItem: ({line, order}: RefundLineSource) => {
      const item = order.lines.find((candidate) => candidate.id === line.lineItemId);
      return item ? {line: item, order} : null;
    },
    quantity: ({line}: RefundLineSource) => line.quantity,
    restockType: () => 'NO_RESTOCK',
    subtotalSet: ({line}: RefundLineSource, _args: unknown, context: ResolverContext) =>
      bag(line.subtotalMinor, context),
    totalTaxSet: (_source: RefundLineSource, _args: unknown, context: ResolverContext) => bag(0, context),
  },
};
