import type {InboxMapper} from '../sync/inbox-processor.js';
import {mapShopifyWebhook} from '../shopify/index.js';
import {parseEventsBody} from './generic/parse-events-body.js';
import {toStoreEvent} from './generic/to-store-events.js';

/** Shopify webhooks: the raw body as received, mapped by topic. */
export const shopifyInboxMapper: InboxMapper = (event, shop) => {
  const result = mapShopifyWebhook(event.topic, event.payload, {shopDomain: shop.shopDomain, shopCurrency: shop.currency, triggeredAt: event.triggered_at ?? undefined});
  return result.ok ? result : {ok: false, error: result.error.field ? `${result.error.field}: ${result.error.message}` : result.error.message};
};

/** Generic ingest: one validated event per inbox row, validated again so that a replay cannot bypass the schema. */
export const ingestInboxMapper: InboxMapper = (event) => {
  const parsed = parseEventsBody({events: [JSON.parse(event.payload) as unknown]});
  if (!parsed.ok) return {ok: false, error: parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')};
  return {ok: true, events: parsed.events.map(toStoreEvent)};
};
