import type {StoreEvent} from '../model/events.js';
import type {InboxMapResult} from '../sync/inbox-processor.js';

/** The shop's currency stated by these events: the first order's, or (when products state one) the first product's. */
export function withShopCurrency(
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
