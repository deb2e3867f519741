import {mapCheckoutUpsert} from './checkout-mapper.js';
import {mapAppUninstalled, mapCustomerDataRequest, mapCustomerRedact, mapShopRedact} from './compliance-mapper.js';
import {mapConsentUpdate} from './consent-mapper.js';
import {mapCustomerDelete, mapCustomerUpsert} from './customer-mapper.js';
import type {TopicMapper} from './map-context.js';
import {mapOrderUpsert} from './order-mapper.js';
import {mapProductDelete, mapProductUpsert} from './product-mapper.js';
import {mapRefundCreate} from './refund-mapper.js';

/**
 * Topic → mapper. Adding a topic is one line here and one mapper; topics not listed are acknowledged and ignored.
 * Every order topic carries the full order, so they share one mapper (the payload, not the topic, says what changed).
 */
export const TOPIC_MAPPERS: Readonly<Record<string, TopicMapper>> = Object.freeze({
  'orders/create': mapOrderUpsert,
  'orders/updated': mapOrderUpsert,
  'orders/paid': mapOrderUpsert,
  'orders/fulfilled': mapOrderUpsert,
  'orders/cancelled': mapOrderUpsert,
  'refunds/create': mapRefundCreate,
  'customers/create': mapCustomerUpsert,
  'customers/update': mapCustomerUpsert,
  'customers/delete': mapCustomerDelete,
  'customers_email_marketing_consent/update': mapConsentUpdate,
  'products/create': mapProductUpsert,
  'products/update': mapProductUpsert,
  'products/delete': mapProductDelete,
  'checkouts/create': mapCheckoutUpsert,
  'checkouts/update': mapCheckoutUpsert,
  'app/uninstalled': mapAppUninstalled,
  'customers/data_request': mapCustomerDataRequest,
  'customers/redact': mapCustomerRedact,
  'shop/redact': mapShopRedact,
});

/** `X-Shopify-Topic` as sent (`orders/create`), trimmed and lower-cased. */
export function normaliseTopic(topic: string): string {
  return topic.trim().toLowerCase();
}

export function mapperFor(topic: string): TopicMapper | undefined {
  const key = normaliseTopic(topic);
  return Object.hasOwn(TOPIC_MAPPERS, key) ? TOPIC_MAPPERS[key] : undefined;
}

export const SUPPORTED_TOPICS: readonly string[] = Object.freeze(Object.keys(TOPIC_MAPPERS));
