import type {ProductCreateRequest, VariantInput} from '../../mailchimp/types/index.js';
import type {LineItem} from '../../model/entities.js';
import {toDecimal} from '../../model/money.js';
import {compact} from './address-mapping.js';
import {MAX_ECOMMERCE_ID_LENGTH, shortHash} from './ecommerce-ids.js';

/**
 * Order and cart lines must name a product and variant that exist in the Mailchimp store ("A product with the
 * provided ID does not exist…", notes §9.9). Lines without one (custom items, deleted products) get a placeholder
 * product derived from the line alone, so the same line always maps to the same ids (stable across calls,
 * processes and retries) and the order never stalls (incumbents lesson 6).
 *
 * - product id known but the product (or variant) is gone: `deleted_<productId>` with variant
 *   `deleted_<variantId>` (or the product's placeholder id when the variant id is null), the scheme the WooCommerce
 *   integration uses, so one deleted product keeps one Mailchimp product;
 * - no product id (custom item): `placeholder-<sha1(title, sku)>` truncated to 32 hex characters (44 in all).
 * Ids that would exceed 50 characters are hashed. Placeholders are `hidden` so they are not recommended in e-mails.
 */

/** What the sync knows exists in Mailchimp (its per-entity sync state). */
export interface CatalogView {
  hasVariant(productId: string, variantId: string): boolean;
}

export interface LineProductRef {
  productId: string;
  variantId: string;
  /** The product to upsert before the order or cart, when the line needs a placeholder. */
  placeholder?: ProductCreateRequest;
}

function boundedId(prefix: string, id: string): string {
  const direct = prefix + id;
  return direct.length <= MAX_ECOMMERCE_ID_LENGTH ? direct : prefix + shortHash(id);
}

export function deletedProductId(productId: string): string {
  return boundedId('deleted_', productId);
}

export function customItemProductId(line: Pick<LineItem, 'title' | 'sku'>): string {
  // NUL separates the parts so ("ab", "c") and ("a", "bc") differ.
  return `placeholder-${shortHash(`${line.title}\u0000${line.sku ?? ''}`)}`;
}

function placeholderBody(productId: string, variantId: string, line: LineItem): ProductCreateRequest {
  const title = line.title.trim() || 'Unavailable product';
  const variant: VariantInput = compact({
    id: variantId,
    title: line.variantTitle?.trim() || title,
    sku: line.sku?.trim() || undefined,
    price: toDecimal(line.price),
    visibility: 'hidden',
  });
  return {id: productId, title, variants: [variant]};
}

/**
 * The product and variant ids to send for a line. Without a catalog view the line's own ids are trusted; with one,
 * ids the store does not hold get a placeholder too.
 */
export function lineProductRef(line: LineItem, catalog?: CatalogView): LineProductRef {
  const {productId, variantId} = line;
  if (productId !== null && variantId !== null && (catalog === undefined || catalog.hasVariant(productId, variantId))) {
    return {productId, variantId};
  }
  if (productId !== null) {
    const id = deletedProductId(productId);
    const vid = variantId !== null ? boundedId('deleted_', variantId) : id;
    return {productId: id, variantId: vid, placeholder: placeholderBody(id, vid, line)};
  }
  const id = customItemProductId(line);
  return {productId: id, variantId: id, placeholder: placeholderBody(id, id, line)};
}

/** One placeholder body per product id, with every variant the lines need (first line wins for shared ids). */
export function mergePlaceholders(refs: readonly LineProductRef[]): ProductCreateRequest[] {
  const byId = new Map<string, ProductCreateRequest>();
  for (const ref of refs) {
    if (!ref.placeholder) continue;
    const existing = byId.get(ref.placeholder.id);
    if (!existing) {
      byId.set(ref.placeholder.id, {...ref.placeholder, variants: [...ref.placeholder.variants]});
      continue;
    }
    for (const variant of ref.placeholder.variants) {
      if (!existing.variants.some((v) => v.id === variant.id)) existing.variants.push(variant);
    }
  }
  return [...byId.values()];
}
