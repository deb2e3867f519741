import type {Product, ProductImage, Variant} from '../model/entities.js';
import type {StoreEvent} from '../model/events.js';
import {asId, type ProductId, type VariantId} from '../model/ids.js';
import {dropUndefined} from './address-mapper.js';
import {versionTime, type MapContext} from './map-context.js';
import {PayloadError, type Fields} from './payload-fields.js';

/**
 * Storefront URL of a product. Only the shop's myshopify domain is known here; Shopify redirects it to the primary
 * domain, so the link works for buyers. No handle or no domain → no URL (never a guessed one).
 */
export function productUrl(shopDomain: string, handle: string | undefined): string | undefined {
  const domain = shopDomain.trim().toLowerCase();
  if (handle === undefined || domain === '' || !/^[a-z0-9.-]+$/.test(domain)) return undefined;
  return `https://${domain}/products/${encodeURIComponent(handle)}`;
}

/**
 * Whether buyers can see the product. Decision: `status` draft/archived (or anything but active) and an active
 * product that is not published (`published_at: null`) are not visible; the product is still upserted with every
 * variant `visible: false`, because past orders reference it and it must not vanish from Mailchimp.
 */
function isVisible(payload: Fields): boolean {
  const status = payload.optString('status')?.toLowerCase() ?? 'active';
  if (status !== 'active') return false;
  return payload.raw('published_at') !== null;
}

/** `products/create|update` → product.upsert. Prices need the shop currency (meta.shopCurrency): payloads have none. */
export function mapProductUpsert(payload: Fields, context: MapContext): StoreEvent[] {
  const productId = asId<ProductId>(payload.entityId());
  const updatedAt = versionTime(payload, context);
  const currency = context.shopCurrency;
  if (currency === undefined)
    throw new PayloadError('meta.shopCurrency', 'product payloads carry no currency: pass meta.shopCurrency');
  const handle = payload.optString('handle');
  const url = productUrl(context.shopDomain, handle);
  const visible = isVisible(payload);

  const images: ProductImage[] = payload
    .list('images')
    .filter((image) => image.optString('src') !== undefined)
    .map((image) => ({
      id: image.entityId(),
      url: image.string('src'),
      variantIds: image.ids('variant_ids').map((id) => asId<VariantId>(id)),
    }));
  const imageById = new Map(images.map((image) => [image.id, image.url]));
  const mainImage = payload.optObject('image')?.optString('src') ?? images[0]?.url;

  const variants: Variant[] = payload.list('variants').map((variant) => {
    const id = variant.entityId();
    const imageId = variant.optId('image_id');
    const policy = variant.optString('inventory_policy')?.toLowerCase();
    return dropUndefined<Variant>({
      id: asId<VariantId>(id),
      productId,
      title: variant.optString('title') ?? '',
      sku: variant.optString('sku'),
      price: variant.money('price', currency),
      inventoryQuantity: variant.optInt('inventory_quantity'),
      imageUrl: (imageId !== undefined ? imageById.get(imageId) : undefined) ?? mainImage,
      url: url !== undefined ? `${url}?variant=${id}` : undefined,
      visible,
      backorders: policy === undefined ? undefined : policy === 'continue',
    });
  });

  const product: Product = {
    id: productId,
    title: payload.string('title'),
    handle,
    url,
    description: payload.optString('body_html'),
    type: payload.optString('product_type'),
    vendor: payload.optString('vendor'),
    imageUrl: mainImage,
    images,
    variants,
    // Product webhooks do not list collections; they come from the Admin API backfill.
    collections: [],
    publishedAt: payload.optTimestamp('published_at'),
    updatedAt,
  };
  return [{kind: 'product.upsert', product: dropUndefined(product)}];
}

/** `products/delete` carries only the id. */
export function mapProductDelete(payload: Fields): StoreEvent[] {
  return [{kind: 'product.delete', productId: asId<ProductId>(payload.entityId())}];
}
