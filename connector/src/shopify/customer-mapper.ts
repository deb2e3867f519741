import type {Customer, OrderCustomerRef} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CustomerId} from '../model/ids.js';
import {dropUndefined, mapAddress} from './address-mapper.js';
import {mapCustomerConsent} from './consent-mapper.js';
import {versionTime, type MapContext} from './map-context.js';
import type {Fields} from './payload-fields.js';

/** Shopify sends customer tags as one comma-separated string (removed from payloads in API 2025-01). */
export function splitTags(tags: string | undefined): string[] {
  if (tags === undefined) return [];
  return tags
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/**
 * `customers/create` and `customers/update` → customer.upsert. Consent comes from `email_marketing_consent` on API
 * versions before 2025-01 (or the legacy `accepts_marketing`); newer payloads carry none and the consent stays
 * undefined: the `customers_email_marketing_consent/update` topic delivers it.
 */
export function mapCustomerUpsert(payload: Fields, context: MapContext): StoreEvent[] {
  const id = asId<CustomerId>(payload.entityId());
  const updatedAt = versionTime(payload, context);
  const defaultAddress = payload.optObject('default_address');
  const customer: Customer = {
    id,
    email: payload.optString('email')?.trim(),
    firstName: payload.optString('first_name'),
    lastName: payload.optString('last_name'),
    phone: payload.optString('phone'),
    company: defaultAddress?.optString('company'),
    address: mapAddress(defaultAddress),
    consent: mapCustomerConsent(payload, updatedAt),
    tags: splitTags(payload.optString('tags')),
    createdAt: payload.optTimestamp('created_at'),
    updatedAt,
  };
  return [{kind: 'customer.upsert', customer: dropUndefined(customer)}];
}

/** `customers/delete` carries the id and no email: the engine maps the id to the email it knows. */
export function mapCustomerDelete(payload: Fields): StoreEvent[] {
  return [{kind: 'customer.delete', customerId: asId<CustomerId>(payload.entityId())}];
}

/**
 * The buyer of an order or checkout. `customer` is null for guests; the order's own email is then the only contact.
 * The order email wins over the nested customer's (it is what the buyer typed at this checkout).
 * `buyer_accepts_marketing` is kept as a fact about the checkbox, never turned into consent here: Shopify records
 * the opt-in on the customer and sends it on the consent topic.
 */
export function mapCustomerRef(payload: Fields): OrderCustomerRef {
  const customer = payload.optObject('customer');
  const billing = payload.optObject('billing_address');
  const email =
    payload.optString('email')?.trim() ??
    payload.optString('contact_email')?.trim() ??
    customer?.optString('email')?.trim();
  const customerId = customer ? (customer.optId('id') ?? customer.optId('admin_graphql_api_id')) : undefined;
  const ref: OrderCustomerRef = {
    id: customerId !== undefined ? asId<CustomerId>(customerId) : undefined,
    email,
    firstName: customer?.optString('first_name') ?? billing?.optString('first_name'),
    lastName: customer?.optString('last_name') ?? billing?.optString('last_name'),
    acceptsMarketing: payload.optBool('buyer_accepts_marketing'),
  };
  return dropUndefined(ref);
}
