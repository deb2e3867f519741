import type {FulfillmentStatus, LineItem, Order, OrderCustomerRef, Refund} from '../model/entities.js';
import {asId, type CustomerId, type OrderId} from '../model/ids.js';
import {zero, type Money} from '../model/money.js';
import {dropUndefined} from '../shopify/address-mapper.js';
import {mapFinancialStatus} from '../shopify/order-mapper.js';
import type {LineItemNode, OrderNode, RefundNode} from './documents/order-documents.js';
import {
  gidTail,
  legacyId,
  mailingAddress,
  mapNode,
  moneyV2,
  nodesOf,
  NodeMapError,
  optMoneyV2,
  requiredTimestamp,
  text,
  timestamp,
  type NodeMapResult,
  lineIdentity,
} from './node-fields.js';

/** `displayFulfillmentStatus` is finer than REST's `fulfillment_status`: everything not yet shipped is unfulfilled. */
const FULFILLMENT: ReadonlyMap<string, FulfillmentStatus> = new Map([
  ['FULFILLED', 'fulfilled'],
  ['PARTIALLY_FULFILLED', 'partial'],
  ['RESTOCKED', 'restocked'],
  ['UNFULFILLED', 'unfulfilled'],
  ['OPEN', 'unfulfilled'],
  ['IN_PROGRESS', 'unfulfilled'],
  ['PENDING_FULFILLMENT', 'unfulfilled'],
  ['SCHEDULED', 'unfulfilled'],
  ['ON_HOLD', 'unfulfilled'],
  ['REQUEST_DECLINED', 'unfulfilled'],
]);

function mapLine(line: LineItemNode, currency: string, index: number): LineItem {
  const field = `order.lineItems[${index}]`;
  return dropUndefined<LineItem>({
    ...lineIdentity(line, field),
    price: moneyV2(line.originalUnitPriceSet?.shopMoney, currency, `${field}.originalUnitPriceSet`),
    // All discounts allocated to the line, as the webhook sums `discount_allocations`.
    discount: optMoneyV2(line.totalDiscountSet?.shopMoney, currency, `${field}.totalDiscountSet`) ?? zero(currency),
  });
}

function mapRefund(refund: RefundNode, currency: string, fallbackTime: string, index: number): Refund {
  const field = `order.refunds[${index}]`;
  return {
    id: legacyId(refund, field),
    createdAt: timestamp(refund?.createdAt, `${field}.createdAt`) ?? fallbackTime,
    amount: moneyV2(refund.totalRefundedSet?.shopMoney, currency, `${field}.totalRefundedSet`),
    lines: nodesOf(refund.refundLineItems).map((line, lineIndex) => ({
      lineId: gidTail(line?.lineItem?.id, `${field}.refundLineItems[${lineIndex}].lineItem.id`),
      quantity: Number.isInteger(line.quantity) ? line.quantity : 0,
      subtotal: moneyV2(line.subtotalSet?.shopMoney, currency, `${field}.refundLineItems[${lineIndex}].subtotalSet`),
    })),
  };
}

function customerRef(node: OrderNode): OrderCustomerRef {
  const customer = node.customer;
  const billing = node.billingAddress;
  return dropUndefined<OrderCustomerRef>({
    id: customer ? asId<CustomerId>(legacyId(customer, 'order.customer')) : undefined,
    // The order's email wins: it is what the buyer typed at this checkout.
    email: text(node.email)?.trim() ?? text(customer?.email)?.trim(),
    firstName: text(customer?.firstName) ?? text(billing?.firstName),
    lastName: text(customer?.lastName) ?? text(billing?.lastName),
    acceptsMarketing: typeof node.customerAcceptsMarketing === 'boolean' ? node.customerAcceptsMarketing : undefined,
  });
}

/**
 * GraphQL lists the codes used but not what each took off: with one code (the usual case) it gets the order's
 * discount total; further codes are listed with 0 rather than a guessed split.
 */
function discountCodes(codes: unknown, discountTotal: Money): Order['discountCodes'] {
  if (!Array.isArray(codes)) return [];
  return codes
    .filter((code): code is string => typeof code === 'string' && code.trim() !== '')
    .map((code, index) => ({
      code,
      amount: index === 0 ? discountTotal : zero(discountTotal.currency),
      type: 'fixed' as const,
    }));
}

function attributes(list: OrderNode['customAttributes']): Record<string, string> {
  const map = new Map<string, string>();
  for (const attribute of Array.isArray(list) ? list : []) {
    const key = text(attribute?.key);
    if (key !== undefined) map.set(key, typeof attribute.value === 'string' ? attribute.value : '');
  }
  return Object.fromEntries(map);
}

/**
 * An `orders` node (with line items and refunds) → canonical Order, equal to the `orders/updated` mapping of the same
 * order: REST ids, shop-currency money in minor units, `total` as placed (refunds travel separately), the landing
 * page of the first visit as `landingSite` (where `mc_cid` is found). Bulk results carry refunds without lines.
 */
export function mapOrderNode(node: OrderNode): NodeMapResult<Order> {
  return mapNode(() => {
    const currency = text(node?.currencyCode)?.toUpperCase();
    if (currency === undefined) throw new NodeMapError('order.currencyCode', 'required currency is missing');
    const updatedAt = requiredTimestamp(node.updatedAt, 'order.updatedAt');
    const processedAt =
      timestamp(node.processedAt, 'order.processedAt') ?? timestamp(node.createdAt, 'order.createdAt');
    if (processedAt === undefined) throw new NodeMapError('order.processedAt', 'order has no processedAt or createdAt');
    const discountTotal =
      optMoneyV2(node.totalDiscountsSet?.shopMoney, currency, 'order.totalDiscountsSet') ?? zero(currency);
    const firstVisit = node.customerJourneySummary?.firstVisit;
    return dropUndefined<Order>({
      id: asId<OrderId>(legacyId(node, 'order')),
      name: text(node.name),
      customer: customerRef(node),
      currency,
      total: moneyV2(node.totalPriceSet?.shopMoney, currency, 'order.totalPriceSet'),
      discountTotal,
      taxTotal: optMoneyV2(node.totalTaxSet?.shopMoney, currency, 'order.totalTaxSet') ?? zero(currency),
      shippingTotal:
        optMoneyV2(node.totalShippingPriceSet?.shopMoney, currency, 'order.totalShippingPriceSet') ?? zero(currency),
      lines: nodesOf(node.lineItems).map((line, index) => mapLine(line, currency, index)),
      refunds: (Array.isArray(node.refunds) ? node.refunds : []).map((refund, index) =>
        mapRefund(refund, currency, updatedAt, index),
      ),
      discountCodes: discountCodes(node.discountCodes, discountTotal),
      financialStatus: mapFinancialStatus(text(node.displayFinancialStatus)?.toLowerCase()),
      fulfillmentStatus:
        FULFILLMENT.get(text(node.displayFulfillmentStatus)?.toUpperCase() ?? 'UNFULFILLED') ?? 'unknown',
      cancelledAt: timestamp(node.cancelledAt, 'order.cancelledAt'),
      processedAt,
      updatedAt,
      isTest: node.test === true,
      landingSite: text(firstVisit?.landingPage),
      referringSite: text(firstVisit?.referrerUrl),
      attributes: attributes(node.customAttributes),
      orderUrl: text(node.statusPageUrl),
      shippingAddress: mailingAddress(node.shippingAddress),
      billingAddress: mailingAddress(node.billingAddress),
    });
  });
}
