import type {Cart, LineItem} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type CartId, type ProductId, type VariantId} from '../model/ids.js';
import {sum, zero} from '../model/money.js';
import {dropUndefined} from './address-mapper.js';
import {mapCustomerRef} from './customer-mapper.js';
import {versionTime, type MapContext} from './map-context.js';
import {mapAttributes} from './order-mapper.js';
import {PayloadError, type Fields} from './payload-fields.js';

/**
 * Checkout lines have no id of their own; `key` identifies the line in the cart. Keys are made unique by position
 * when a payload repeats one (Shopify's own sample does), so that Mailchimp cart line ids never collide.
 */
function mapCheckoutLines(payload: Fields, currency: string): LineItem[] {
  const seen = new Set<string>();
  return payload.list('line_items').map((line, index) => {
    let id = line.optString('key') ?? line.optString('id') ?? line.optId('variant_id') ?? String(index);
    if (seen.has(id)) id = `${id}:${index}`;
    seen.add(id);
    const productId = line.optId('product_id');
    const variantId = line.optId('variant_id');
    const price = line.optMoney('price', currency) ?? line.optMoney('variant_price', currency);
    if (price === undefined) throw new PayloadError(line.at('price'), 'required amount is missing');
    return dropUndefined<LineItem>({
      id,
      productId: productId !== undefined ? asId<ProductId>(productId) : null,
      variantId: variantId !== undefined ? asId<VariantId>(variantId) : null,
      title: line.optString('title') ?? line.optString('presentment_title') ?? '',
      variantTitle: line.optString('variant_title'),
      sku: line.optString('sku'),
      quantity: line.int('quantity'),
      price,
      discount: sum(
        line.list('discount_allocations').map((a) => a.money('amount', currency)),
        currency,
      ),
    });
  });
}

/**
 * `checkouts/create|update` → cart.upsert, keyed by `token` (newer payloads have no numeric id at all).
 * Amounts of a checkout are in the presentment currency (Shopify: "total_price … in presentment currency"), so the
 * cart's currency is `presentment_currency`, falling back to `currency`. `email` may be empty until the buyer types
 * it: the cart is still mapped (the engine decides whether a cart without email can be sent).
 * A completed checkout keeps `completedAt`: the engine removes the cart when the order arrives.
 */
export function mapCheckoutUpsert(payload: Fields, context: MapContext): StoreEvent[] {
  const id = asId<CartId>(payload.string('token'));
  const updatedAt = versionTime(payload, context);
  const currency = (payload.optString('presentment_currency') ?? payload.string('currency')).toUpperCase();
  const total = payload.optMoney('total_price', currency);
  if (total === undefined) throw new PayloadError(payload.at('total_price'), 'required amount is missing');
  const cart: Cart = {
    id,
    customer: mapCustomerRef(payload),
    currency,
    total,
    taxTotal: payload.optMoney('total_tax', currency) ?? zero(currency),
    lines: mapCheckoutLines(payload, currency),
    checkoutUrl: payload.optString('abandoned_checkout_url'),
    completedAt: payload.optTimestamp('completed_at'),
    landingSite: payload.optString('landing_site'),
    attributes: mapAttributes(payload),
    updatedAt,
  };
  return [{kind: 'cart.upsert', cart: dropUndefined(cart)}];
}
