import type {TimeSpan} from './generate-catalog.js';
import {randomAddress} from './generate-customers.js';
import type {IdAllocator} from './id-allocator.js';
import type {SeededRandom} from './random.js';
import type {
  CancelReason,
  CheckoutRecord,
  CustomerRecord,
  DiscountRecord,
  FinancialStatus,
  LineRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
} from './records.js';

const DAY = 86_400_000;

export interface OrderContext {
  random: SeededRandom;
  ids: IdAllocator;
  products: readonly ProductRecord[];
  customers: readonly CustomerRecord[];
  discounts: readonly DiscountRecord[];
  shopDomain: string;
}

/** A catalogue line: product and variant ids kept, title and SKU copied as Shopify copies them onto the order. */
export function catalogueLine(ids: IdAllocator, product: ProductRecord, variantIndex: number, quantity: number): LineRecord {
  const variant = product.variants[variantIndex % product.variants.length]!;
  return {
    id: ids.allocate('LineItem'),
    title: product.title,
    variantTitle: variant.title === 'Default Title' ? null : variant.title,
    sku: variant.sku,
    quantity,
    productId: product.id,
    variantId: variant.id,
    unitPriceMinor: variant.priceMinor,
    discountMinor: 0,
  };
}

function randomLine(context: OrderContext): LineRecord {
  const {random, ids, products} = context;
  const quantity = random.chance(0.75) ? 1 : random.int(2, 3);
  const roll = random.next();
  if (roll < 0.01 || products.length === 0) {
    // A custom item: no product at all.
    return {id: ids.allocate('LineItem'), title: 'Custom engraving', variantTitle: null, sku: null, quantity, productId: null, variantId: null, unitPriceMinor: 1500, discountMinor: 0};
  }
  const product = random.pick(products);
  const line = catalogueLine(ids, product, random.int(0, 3), quantity);
  // The product was deleted after the sale: Shopify keeps the line with null product and variant.
  if (roll < 0.04) return {...line, productId: null, variantId: null};
  return line;
}

/** Spreads a code discount over the lines (percentage of each line, or a fixed amount pro rata). */
function applyDiscount(lines: LineRecord[], discount: DiscountRecord): void {
  const gross = lines.map((line) => line.unitPriceMinor * line.quantity);
  const total = gross.reduce((a, b) => a + b, 0);
  if (total === 0) return;
  if (discount.value.type === 'percentage') {
    const share = discount.value.percentage;
    lines.forEach((line, i) => (line.discountMinor = Math.round(gross[i]! * share)));
    return;
  }
  const amount = Math.min(discount.value.amountMinor, total);
  let allocated = 0;
  lines.forEach((line, i) => {
    const part = i === lines.length - 1 ? amount - allocated : Math.floor((amount * gross[i]!) / total);
    line.discountMinor = part;
    allocated += part;
  });
}

function lineNet(line: LineRecord): number {
  return line.unitPriceMinor * line.quantity - line.discountMinor;
}

function fullRefund(ids: IdAllocator, order: OrderRecord, at: number): RefundRecord {
  const items = order.lines.reduce((sum, line) => sum + lineNet(line), 0);
  return {
    id: ids.allocate('Refund'),
    createdAt: at,
    amountMinor: items + order.shippingMinor + order.taxMinor,
    note: null,
    lines: order.lines.map((line) => ({id: ids.allocate('RefundLineItem'), lineItemId: line.id, quantity: line.quantity, subtotalMinor: lineNet(line)})),
  };
}

function partialRefund(ids: IdAllocator, order: OrderRecord, at: number): RefundRecord {
  const line = order.lines[0]!;
  const unitNet = Math.round(lineNet(line) / line.quantity);
  return {id: ids.allocate('Refund'), createdAt: at, amountMinor: unitNet, note: 'Damaged in transit', lines: [{id: ids.allocate('RefundLineItem'), lineItemId: line.id, quantity: 1, subtotalMinor: unitNet}]};
}

const CANCEL_REASONS: CancelReason[] = ['CUSTOMER', 'FRAUD', 'INVENTORY', 'DECLINED', 'OTHER'];

/** Status, cancellation and refunds of a generated order, drawn from shares seen in real shops. */
function settle(context: OrderContext, order: OrderRecord, end: number): void {
  const {random, ids} = context;
  const later = (maxDays: number) => Math.min(end, order.createdAt + random.int(1, maxDays) * DAY - random.int(0, DAY / 2));
  const roll = random.next();
  if (roll < 0.03) {
    const at = later(3);
    order.cancelledAt = at;
    order.cancelReason = random.pick(CANCEL_REASONS);
    if (random.chance(0.5)) {
      order.financialStatus = 'VOIDED';
    } else {
      order.financialStatus = 'REFUNDED';
      order.refunds.push(fullRefund(ids, order, at));
    }
    order.updatedAt = at;
  } else if (roll < 0.06) {
    const at = later(30);
    order.financialStatus = 'REFUNDED';
    order.refunds.push(fullRefund(ids, order, at));
    order.updatedAt = at;
  } else if (roll < 0.11) {
    const at = later(30);
    order.financialStatus = 'PARTIALLY_REFUNDED';
    order.refunds.push(partialRefund(ids, order, at));
    order.updatedAt = at;
  } else if (roll < 0.13) {
    order.financialStatus = 'PENDING';
  } else if (roll < 0.15) {
    order.financialStatus = 'AUTHORIZED';
  }
  const recent = end - order.createdAt < 10 * DAY;
  order.fulfillmentStatus = order.cancelledAt !== null ? 'UNFULFILLED' : recent || random.chance(0.05) ? 'UNFULFILLED' : random.chance(0.03) ? 'PARTIALLY_FULFILLED' : 'FULFILLED';
  if (order.fulfillmentStatus !== 'UNFULFILLED' && order.updatedAt === order.createdAt) order.updatedAt = later(5);
}

function attribution(context: OrderContext): Pick<OrderRecord, 'landingPage' | 'referrerUrl' | 'customAttributes'> {
  const {random, shopDomain} = context;
  const roll = random.next();
  if (roll < 0.05) {
    return {landingPage: `https://${shopDomain}/?mc_cid=${random.hex(10)}&mc_eid=${random.hex(10)}`, referrerUrl: null, customAttributes: []};
  }
  if (roll < 0.07) {
    return {landingPage: `https://${shopDomain}/`, referrerUrl: null, customAttributes: [{key: '_mc_cid', value: random.hex(10)}]};
  }
  if (roll < 0.7) {
    return {landingPage: `https://${shopDomain}/collections/all`, referrerUrl: random.chance(0.4) ? 'https://www.google.com/' : null, customAttributes: []};
  }
  return {landingPage: null, referrerUrl: null, customAttributes: []};
}

export function generateOrders(context: OrderContext, count: number, span: TimeSpan): OrderRecord[] {
  const {random, ids, customers, discounts} = context;
  const orders: OrderRecord[] = [];
  const step = (span.end - span.start) / Math.max(1, count);
  for (let n = 0; n < count; n += 1) {
    // Orders arrive in time order, so ids and creation times rise together, as on Shopify.
    const createdAt = Math.floor(span.start + step * n + random.next() * step);
    const guest = customers.length === 0 || random.chance(0.15);
    const customer = guest ? undefined : random.pick(customers);
    const lines: LineRecord[] = [];
    const lineCount = random.chance(0.6) ? 1 : random.int(2, 4);
    for (let l = 0; l < lineCount; l += 1) lines.push(randomLine(context));
    const discount = discounts.length > 0 && random.chance(0.12) ? random.pick(discounts) : undefined;
    if (discount) applyDiscount(lines, discount);
    const net = lines.reduce((sum, line) => sum + lineNet(line), 0);
    const address = customer?.address ?? (random.chance(0.9) ? randomAddress(random, null, null) : null);
    const order: OrderRecord = {
      id: ids.allocate('Order'),
      number: 1001 + n,
      email: customer ? customer.email : random.chance(0.97) ? `guest${n + 1}@example-mail.net` : null,
      customerId: customer?.id ?? null,
      createdAt,
      updatedAt: createdAt,
      processedAt: createdAt,
      cancelledAt: null,
      cancelReason: null,
      test: random.chance(0.02),
      acceptsMarketing: random.chance(0.3),
      financialStatus: 'PAID' as FinancialStatus,
      fulfillmentStatus: 'UNFULFILLED',
      lines,
      shippingMinor: net >= 5000 ? 0 : random.pick([499, 999]),
      taxMinor: Math.round(net * 0.08),
      discountCodes: discount ? [discount.codes[0]!.code] : [],
      refunds: [],
      ...attribution(context),
      note: null,
      tags: [],
      shippingAddress: address,
      billingAddress: address,
    };
    settle(context, order, span.end);
    orders.push(order);
  }
  return orders;
}

export function generateCheckouts(context: OrderContext, count: number, span: TimeSpan): CheckoutRecord[] {
  const {random, ids, customers, products} = context;
  const checkouts: CheckoutRecord[] = [];
  const start = Math.max(span.start, span.end - 30 * DAY);
  for (let n = 0; n < count && products.length > 0; n += 1) {
    const createdAt = Math.floor(start + ((span.end - start) * (n + random.next())) / count);
    const customer = customers.length > 0 && random.chance(0.7) ? random.pick(customers) : undefined;
    const lines = [];
    for (let l = random.int(1, 3); l > 0; l -= 1) {
      const line = catalogueLine(ids, random.pick(products), random.int(0, 3), random.int(1, 2));
      lines.push({...line, id: ids.allocate('AbandonedCheckoutLineItem')});
    }
    checkouts.push({
      id: ids.allocate('AbandonedCheckout'),
      token: random.hex(32),
      createdAt,
      updatedAt: Math.min(span.end, createdAt + random.int(0, 3_600_000)),
      completedAt: null,
      customerId: customer?.id ?? null,
      email: customer ? customer.email : random.chance(0.9) ? `visitor${n + 1}@example-mail.org` : null,
      lines: lines.map(({discountMinor: _discount, ...line}) => line),
    });
  }
  return checkouts;
}
