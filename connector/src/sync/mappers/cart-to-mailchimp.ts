import type {CartCreateRequest, CartLineInput, ProductCreateRequest} from '../../mailchimp/types/index.js';
import type {Cart} from '../../model/entities.js';
import {toDecimal} from '../../model/money.js';
import {compact} from './address-mapping.js';
import {normaliseCampaignId} from './campaign-attribution.js';
import {orderCustomer} from './order-to-mailchimp.js';
import {type CatalogView, lineProductRef, mergePlaceholders} from './placeholder-product.js';

/**
 * A canonical cart (a Shopify checkout, keyed by its token) as the Mailchimp cart body for abandoned-cart
 * automations. The customer is never opted in here. The engine sends carts only after the initial sync and deletes
 * the cart when its order arrives (DESIGN.md); a completed cart is therefore a skip, not a body.
 */

export interface CartMappingOptions {
  /** A campaign id the engine validated. */
  campaignId?: string;
  catalog?: CatalogView;
}

export type CartSkipReason =
  /** Mailchimp cannot create a customer without an e-mail, and an abandoned-cart e-mail has nowhere to go. */
  | 'no-email'
  /** The checkout became an order: delete the cart instead. */
  | 'completed'
  /** Mailchimp requires at least one line, and an empty cart is nothing to recover. */
  | 'no-lines'
  | 'currency-mismatch';

export type CartMapping =
  | {ok: true; body: CartCreateRequest; /** Upsert these first. */ placeholders: ProductCreateRequest[]}
  | {ok: false; reason: CartSkipReason};

export function cartToMailchimp(cart: Cart, options: CartMappingOptions = {}): CartMapping {
  if (cart.completedAt !== undefined) return {ok: false, reason: 'completed'};
  const email = cart.customer.email?.trim();
  if (!email) return {ok: false, reason: 'no-email'};
  if (cart.lines.length === 0) return {ok: false, reason: 'no-lines'};
  const amounts = [cart.total, ...(cart.taxTotal ? [cart.taxTotal] : []), ...cart.lines.map((l) => l.price)];
  if (amounts.some((m) => m.currency !== cart.currency)) return {ok: false, reason: 'currency-mismatch'};

  // With an e-mail present a customer id always exists (the platform id, else the guest id).
  const customer = orderCustomer({...cart.customer, email});
  if (!customer) return {ok: false, reason: 'no-email'};

  const refs = cart.lines.map((line) => lineProductRef(line, options.catalog));
  const lines: CartLineInput[] = cart.lines.map((line, i) => ({
    id: line.id,
    product_id: refs[i]!.productId,
    product_variant_id: refs[i]!.variantId,
    quantity: line.quantity,
    price: toDecimal(line.price),
  }));

  const body: CartCreateRequest = compact({
    id: cart.id,
    customer,
    campaign_id: normaliseCampaignId(options.campaignId),
    checkout_url: cart.checkoutUrl?.trim() || undefined,
    currency_code: cart.currency,
    order_total: toDecimal(cart.total),
    tax_total: cart.taxTotal ? toDecimal(cart.taxTotal) : undefined,
    lines,
  });
  return {ok: true, body, placeholders: mergePlaceholders(refs)};
}
