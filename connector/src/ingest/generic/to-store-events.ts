import type {Consent} from '../../model/consent.js';
import type {
  Cart,
  Customer,
  LineItem,
  Order,
  OrderCustomerRef,
  PostalAddress,
  Product,
  PromoRule,
  Refund,
} from '../../model/entities.js';
import type {StoreEvent} from '../../model/events.js';
import {asId, type CartId, type CustomerId, type ProductId, type VariantId} from '../../model/ids.js';
import {parseMoney, zero, type Money} from '../../model/money.js';
import type {IngestData, IngestEventType, ParsedIngestEvent, ParsedIngestEventOf} from './schemas.js';

/**
 * Maps a validated ingest event (from `parseEventsBody`) to the canonical event the sync engine consumes.
 * Pure. Timestamps are normalised to UTC with millisecond precision ("2025-03-01T11:00:00.000Z") so that newer-wins
 * comparisons work on the strings; an entity without an `updated_at` of its own is dated by the event's `occurred_at`.
 * Empty optional strings mean "not known" and are left out; absent optional fields are left out, never `undefined`.
 */
export function toStoreEvent(event: ParsedIngestEvent): StoreEvent {
  // The cast pairs each event with its own mapper: TypeScript cannot correlate the union through the table.
  const map = MAPPERS[event.type] as (event: ParsedIngestEvent) => StoreEvent;
  return map(event);
}

/** The canonical form of an ISO 8601 timestamp with offset: UTC, milliseconds, `Z`. */
export function normaliseTimestamp(value: string): string {
  return new Date(value).toISOString();
}

type Mappers = {[T in IngestEventType]: (event: ParsedIngestEventOf<T>) => StoreEvent};

const MAPPERS: Mappers = {
  'customer.upsert': ({data, occurred_at}) => ({kind: 'customer.upsert', customer: toCustomer(data, occurred_at)}),
  'customer.delete': ({data}) => ({kind: 'customer.delete', customerId: asId(data.id)}),
  'consent.update': ({data}) =>
    compact<Extract<StoreEvent, {kind: 'consent.update'}>>({
      kind: 'consent.update',
      customerId: data.customer_id === undefined ? undefined : asId<CustomerId>(data.customer_id),
      email: data.email,
      consent: toConsent(data.consent),
      firstName: text(data.first_name),
      lastName: text(data.last_name),
    }),
  'product.upsert': ({data, occurred_at}) => ({kind: 'product.upsert', product: toProduct(data, occurred_at)}),
  'product.delete': ({data}) => ({kind: 'product.delete', productId: asId(data.id)}),
  'order.upsert': ({data, occurred_at}) => ({kind: 'order.upsert', order: toOrder(data, occurred_at)}),
  'refund.create': ({data, occurred_at}) => ({
    kind: 'refund.create',
    orderId: asId(data.order_id),
    refund: toRefund({...data, created_at: data.created_at ?? occurred_at}, data.currency),
  }),
  'cart.upsert': ({data, occurred_at}) => ({kind: 'cart.upsert', cart: toCart(data, occurred_at)}),
  'cart.delete': ({data}) => ({kind: 'cart.delete', cartId: asId(data.id)}),
  'promo.upsert': ({data, occurred_at}) => ({kind: 'promo.upsert', promo: toPromo(data, occurred_at)}),
  'promo.delete': ({data}) => ({kind: 'promo.delete', promoRuleId: asId(data.id)}),
  'person.redact': ({data}) =>
    compact<Extract<StoreEvent, {kind: 'person.redact'}>>({
      kind: 'person.redact',
      customerId: data.customer_id === undefined ? undefined : asId<CustomerId>(data.customer_id),
      email: data.email,
      orderIds: (data.order_ids ?? []).map((id) => asId(id)),
    }),
};

function toCustomer(data: IngestData['customer.upsert'], occurredAt: string): Customer {
  return compact({
    id: asId(data.id),
    email: data.email,
    firstName: text(data.first_name),
    lastName: text(data.last_name),
    phone: text(data.phone),
    company: text(data.company),
    address: data.address && toAddress(data.address),
    consent: data.consent && toConsent(data.consent),
    tags: data.tags ?? [],
    createdAt: timestamp(data.created_at),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}

type WireConsent = IngestData['consent.update']['consent'];

function toConsent(consent: WireConsent): Consent {
  const evidence = consent.evidence;
  return compact({
    state: consent.state,
    source: 'ingest_api' as const,
    updatedAt: normaliseTimestamp(consent.updated_at),
    evidence:
      evidence &&
      compact({
        text: evidence.text,
        textVersion: text(evidence.text_version),
        ip: evidence.ip,
        userAgent: text(evidence.user_agent),
        page: evidence.page,
      }),
  });
}

type WireAddress = NonNullable<IngestData['customer.upsert']['address']>;

function toAddress(address: WireAddress): PostalAddress {
  return compact({
    name: text(address.name),
    company: text(address.company),
    address1: text(address.address1),
    address2: text(address.address2),
    city: text(address.city),
    province: text(address.province),
    provinceCode: text(address.province_code),
    postalCode: text(address.postal_code),
    country: text(address.country),
    countryCode: address.country_code,
    phone: text(address.phone),
  });
}

function toProduct(data: IngestData['product.upsert'], occurredAt: string): Product {
  const productId = asId<ProductId>(data.id);
  return compact({
    id: productId,
    title: data.title,
    handle: text(data.handle),
    url: data.url,
    description: text(data.description),
    type: text(data.type),
    vendor: text(data.vendor),
    imageUrl: data.image_url,
    images: (data.images ?? []).map((image) => ({
      id: image.id,
      url: image.url,
      variantIds: (image.variant_ids ?? []).map((id) => asId(id)),
    })),
    variants: data.variants.map((variant) =>
      compact({
        id: asId(variant.id),
        productId,
        title: variant.title,
        sku: text(variant.sku),
        price: money(variant.price, data.currency),
        inventoryQuantity: variant.inventory_quantity,
        imageUrl: variant.image_url,
        url: variant.url,
        visible: variant.visible,
        backorders: variant.backorders,
      }),
    ),
    collections: data.collections ?? [],
    publishedAt: timestamp(data.published_at),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}

type WireLine = IngestData['order.upsert']['lines'][number];

function toLine(line: WireLine, currency: string): LineItem {
  return compact<LineItem>({
    id: line.id,
    productId: line.product_id === null ? null : asId<ProductId>(line.product_id),
    variantId: line.variant_id === null ? null : asId<VariantId>(line.variant_id),
    title: line.title,
    variantTitle: text(line.variant_title),
    sku: text(line.sku),
    quantity: line.quantity,
    price: money(line.price, currency),
    discount: line.discount === undefined ? zero(currency) : money(line.discount, currency),
  });
}

type WireRefund = NonNullable<IngestData['order.upsert']['refunds']>[number];

function toRefund(refund: WireRefund, currency: string): Refund {
  return {
    id: refund.id,
    createdAt: normaliseTimestamp(refund.created_at),
    amount: money(refund.amount, currency),
    lines: (refund.lines ?? []).map((line) => ({
      lineId: line.line_id,
      quantity: line.quantity,
      subtotal: money(line.subtotal, currency),
    })),
  };
}

type WireCustomerRef = IngestData['order.upsert']['customer'];

function toCustomerRef(customer: WireCustomerRef): OrderCustomerRef {
  return compact<OrderCustomerRef>({
    id: customer.id === undefined ? undefined : asId<CustomerId>(customer.id),
    email: customer.email,
    firstName: text(customer.first_name),
    lastName: text(customer.last_name),
    acceptsMarketing: customer.accepts_marketing,
  });
}

function toOrder(data: IngestData['order.upsert'], occurredAt: string): Order {
  const {currency} = data;
  const optionalMoney = (value: string | undefined): Money =>
    value === undefined ? zero(currency) : money(value, currency);
  return compact({
    id: asId(data.id),
    name: text(data.name),
    customer: toCustomerRef(data.customer),
    currency,
    total: money(data.total, currency),
    discountTotal: optionalMoney(data.discount_total),
    taxTotal: optionalMoney(data.tax_total),
    shippingTotal: optionalMoney(data.shipping_total),
    lines: data.lines.map((line) => toLine(line, currency)),
    refunds: (data.refunds ?? []).map((refund) => toRefund(refund, currency)),
    discountCodes: (data.discount_codes ?? []).map((code) => ({
      code: code.code,
      amount: money(code.amount, currency),
      type: code.type,
    })),
    financialStatus: data.financial_status,
    fulfillmentStatus: data.fulfillment_status,
    cancelledAt: timestamp(data.cancelled_at),
    processedAt: normaliseTimestamp(data.processed_at),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
    isTest: data.is_test ?? false,
    landingSite: text(data.landing_site),
    referringSite: text(data.referring_site),
    attributes: {...data.attributes},
    cartId: data.cart_id === undefined ? undefined : asId<CartId>(data.cart_id),
    orderUrl: data.order_url,
    shippingAddress: data.shipping_address && toAddress(data.shipping_address),
    billingAddress: data.billing_address && toAddress(data.billing_address),
    tracking:
      data.tracking &&
      compact({number: text(data.tracking.number), carrier: text(data.tracking.carrier), url: data.tracking.url}),
  });
}

function toCart(data: IngestData['cart.upsert'], occurredAt: string): Cart {
  const {currency} = data;
  return compact({
    id: asId(data.id),
    customer: toCustomerRef(data.customer),
    currency,
    total: money(data.total, currency),
    taxTotal: data.tax_total === undefined ? undefined : money(data.tax_total, currency),
    lines: data.lines.map((line) => toLine(line, currency)),
    checkoutUrl: data.checkout_url,
    completedAt: timestamp(data.completed_at),
    landingSite: text(data.landing_site),
    attributes: {...data.attributes},
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}

function toPromo(data: IngestData['promo.upsert'], occurredAt: string): PromoRule {
  return compact({
    id: asId(data.id),
    title: text(data.title),
    description: data.description,
    amount: toPromoAmount(data.amount, data.currency),
    target: data.target,
    startsAt: timestamp(data.starts_at),
    endsAt: timestamp(data.ends_at),
    enabled: data.enabled,
    codes: (data.codes ?? []).map((code) =>
      compact({
        id: asId(code.id),
        code: code.code,
        redemptionUrl: code.redemption_url,
        usageCount: code.usage_count,
        enabled: code.enabled,
      }),
    ),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}

function toPromoAmount(
  amount: IngestData['promo.upsert']['amount'],
  currency: string | undefined,
): PromoRule['amount'] {
  if (amount.type === 'percentage') return {type: 'percentage', fraction: percentToFraction(amount.percent)};
  // parseEventsBody requires a currency with a fixed amount; only a hand-made event can get here without one.
  if (currency === undefined) throw new TypeError('promo.upsert with a fixed amount needs a currency');
  return {type: 'fixed', money: money(amount.value, currency)};
}

/**
 * "12.5" (percent) → 0.125, computed as one division of two integers so that the result is the double nearest to
 * the exact decimal fraction (no accumulated float error).
 */
export function percentToFraction(percent: string): number {
  const [whole = '0', fraction = ''] = percent.split('.');
  const decimals = fraction.length;
  return Number(whole + fraction) / 10 ** (decimals + 2);
}

function money(amount: string, currency: string): Money {
  return parseMoney(amount, currency);
}

function text(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function timestamp(value: string | undefined): string | undefined {
  return value === undefined ? undefined : normaliseTimestamp(value);
}

/** Drops keys whose value is `undefined`, so that canonical objects (and their hashes) carry absent fields as absent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
