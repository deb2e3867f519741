import type {StoreEvent} from '../model/events.js';
import type {InboxMapper, InboxMapResult} from '../sync/inbox-processor.js';
import {mapShopifyWebhook} from '../shopify/index.js';
import {parseEventsBody} from './generic/parse-events-body.js';
import {toStoreEvent} from './generic/to-store-events.js';

/** Shopify webhooks: the raw body as received, mapped by topic. */
export const shopifyInboxMapper: InboxMapper = (event, shop) => {
  const result = mapShopifyWebhook(event.topic, event.payload, {
    shopDomain: shop.shopDomain,
    shopCurrency: shop.currency,
    triggeredAt: event.triggered_at ?? undefined,
  });
  if (!result.ok)
    return {
      ok: false,
      error: result.error.field ? `${result.error.field}: ${result.error.message}` : result.error.message,
    };
  // Only an order states the shop's currency: its `currency` is the shop's (checkouts carry the buyer's presentment
  // currency, refunds may fall back to the one passed in, and product prices come without one).
  return withShopCurrency({ok: true, events: result.events}, result.events, {products: false});
};

/** Generic ingest: one validated event per inbox row, validated again so that a replay cannot bypass the schema. */
export const ingestInboxMapper: InboxMapper = (event) => {
  const parsed = parseEventsBody({events: [JSON.parse(event.payload) as unknown]});
  if (!parsed.ok) return {ok: false, error: parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')};
  const events = parsed.events.map(toStoreEvent);
  // A generic-ingest product states the currency of its prices (required), so it tells the shop's currency too.
  return withShopCurrency({ok: true, events}, events, {products: true});
};

/** The shop's currency stated by these events: the first order's, or (when products state one) the first product's. */
function withShopCurrency(
  result: Extract<InboxMapResult, {ok: true}>,
  events: StoreEvent[],
  options: {products: boolean},
): InboxMapResult {
  for (const event of events) {
    const stated =
      event.kind === 'order.upsert'
        ? {currency: event.order.currency, source: 'order' as const}
        : event.kind === 'product.upsert' && options.products && event.product.variants[0]
          ? {currency: event.product.variants[0].price.currency, source: 'product' as const}
          : undefined;
    const currency = stated?.currency.trim().toUpperCase();
    if (stated && currency && /^[A-Z]{3}$/.test(currency))
      return {...result, shopCurrency: {currency, source: stated.source}};
  }
  return result;
}
