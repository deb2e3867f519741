import type {StoreEvent} from '../model/events.js';
import {asId, type CustomerId, type OrderId} from '../model/ids.js';
import type {MapContext} from './map-context.js';
import {PayloadError, type Fields} from './payload-fields.js';
import {requireOwnShop} from './shop-identity.js';

/**
 * Compliance payloads name their shop (`shop_domain`), and must name the one the delivery came from: a payload for
 * another shop, or naming none, must never erase this shop's data (shop-identity.ts). `shop_id` must be there too;
 * why it is not compared with a stored id is explained in topic-shapes.ts.
 */
function assertSameShop(payload: Fields, context: MapContext): void {
  requireOwnShop(payload, 'shop_domain', context);
  payload.id('shop_id');
}

/** `customers/redact` {shop_domain, customer {id, email, phone}, orders_to_redact[]} → person.redact. */
export function mapCustomerRedact(payload: Fields, context: MapContext): StoreEvent[] {
  assertSameShop(payload, context);
  const customer = payload.optObject('customer');
  const customerId = customer?.optId('id');
  const email = customer?.optString('email')?.trim();
  if (customerId === undefined && email === undefined) {
    throw new PayloadError(payload.at('customer'), 'redaction names no customer id and no email');
  }
  return [
    {
      kind: 'person.redact',
      ...(customerId !== undefined ? {customerId: asId<CustomerId>(customerId)} : {}),
      ...(email !== undefined ? {email} : {}),
      orderIds: payload.ids('orders_to_redact').map((id) => asId<OrderId>(id)),
    },
  ];
}

/** `shop/redact` (48 h after uninstall) → shop.redact. */
export function mapShopRedact(payload: Fields, context: MapContext): StoreEvent[] {
  assertSameShop(payload, context);
  return [{kind: 'shop.redact'}];
}

/**
 * `customers/data_request`: the merchant must hand the person their data. The connector holds nothing Shopify and
 * Mailchimp do not already show the merchant, so it records the request and syncs nothing.
 */
export function mapCustomerDataRequest(payload: Fields, context: MapContext): StoreEvent[] {
  assertSameShop(payload, context);
  const customerId = payload.optObject('customer')?.optId('id') ?? 'unknown';
  const requestId = payload.optObject('data_request')?.optId('id') ?? 'unknown';
  return [
    {
      kind: 'ignored',
      reason: `customers/data_request ${requestId} for customer ${customerId}: nothing to sync; the merchant answers from Shopify and Mailchimp`,
    },
  ];
}

/** `app/uninstalled` (the shop object, whose `myshopify_domain` must be this shop's) → app.uninstalled: sync stops. */
export function mapAppUninstalled(payload: Fields, context: MapContext): StoreEvent[] {
  payload.id('id');
  requireOwnShop(payload, 'myshopify_domain', context);
  return [{kind: 'app.uninstalled'}];
}
