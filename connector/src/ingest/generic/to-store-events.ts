import type {StoreEvent} from '../../model/events.js';
import {asId, type CustomerId} from '../../model/ids.js';
import {toCart} from './cart-mapper.js';
import {toConsent, toCustomer} from './customer-mapper.js';
import {toOrder, toRefund} from './order-mapper.js';
import {toProduct} from './product-mapper.js';
import {toPromo} from './promo-mapper.js';
import type {IngestEventType, ParsedIngestEvent, ParsedIngestEventOf} from './schemas.js';
import {compact, text} from './wire-values.js';

export {normaliseTimestamp, percentToFraction} from './wire-values.js';

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
