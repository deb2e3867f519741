import {withShopCurrency} from '../ingest/stated-shop-currency.js';
import type {InboxMapper} from '../sync/inbox-processor.js';
import {mapShopifyWebhook} from './index.js';

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
