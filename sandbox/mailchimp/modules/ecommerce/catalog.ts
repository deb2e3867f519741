import {problems} from '../../core/problem.js';
import type {ProductRecord, StoreRecord, VariantRecord} from '../../core/state.js';
import {
  assignDefined,
  bodyObject,
  itemPath,
  missingFields,
  optInteger,
  optNumber,
  optString,
  optStringArray,
} from './input.js';
import {itemLinks, paths, type ApiUrl} from './links.js';

/** Shared product/variant/image rules: lookups, reading variant and image bodies, upserts and views. */

export type ProductImage = ProductRecord['images'][number];

export function requireProduct(store: StoreRecord, productId: string): ProductRecord {
  const product = store.products.get(productId);
  if (!product) throw problems.notFound();
  return product;
}

export interface VariantInput {
  id?: string;
  title?: string;
  url?: string;
  sku?: string;
  price?: number;
  inventory_quantity?: number;
  image_url?: string;
  backorders?: string;
  visibility?: string;
}

export function readVariant(raw: unknown, path = ''): VariantInput {
  const body = bodyObject(raw, path);
  return {
    id: optString(body, 'id', path),
    title: optString(body, 'title', path),
    url: optString(body, 'url', path),
    sku: optString(body, 'sku', path),
    price: optNumber(body, 'price', path),
    inventory_quantity: optInteger(body, 'inventory_quantity', path),
    image_url: optString(body, 'image_url', path),
    backorders: optString(body, 'backorders', path),
    visibility: optString(body, 'visibility', path),
  };
}

/** Updates the variant with that id, or adds it (a new variant needs a title). */
export function upsertVariant(
  product: ProductRecord,
  id: string,
  input: VariantInput,
  now: string,
  path = '',
): VariantRecord {
  const existing = product.variants.get(id);
  const {id: _ignored, ...fields} = input;
  if (existing) {
    assignDefined(existing, fields);
    existing.updated_at = now;
    return existing;
  }
  if (input.title === undefined) throw missingFields(['title'], path);
  const variant: VariantRecord = {id, title: input.title, created_at: now, updated_at: now};
  assignDefined(variant, fields);
  product.variants.set(id, variant);
  return variant;
}

/** Variants of a product body (`variants` array); every item needs an id, as items are matched by it. */
export function readVariantList(items: unknown[], path = 'variants'): Array<VariantInput & {id: string}> {
  return items.map((item, i) => {
    const p = itemPath(path, i);
    const input = readVariant(item, p);
    if (input.id === undefined) throw missingFields(['id'], p);
    return input as VariantInput & {id: string};
  });
}

export function readImage(raw: unknown, path = ''): Partial<ProductImage> {
  const body = bodyObject(raw, path);
  return {
    id: optString(body, 'id', path),
    url: optString(body, 'url', path),
    variant_ids: optStringArray(body, 'variant_ids', path),
  };
}

export function readImageList(items: unknown[], path = 'images'): Array<Partial<ProductImage> & {id: string}> {
  return items.map((item, i) => {
    const p = itemPath(path, i);
    const input = readImage(item, p);
    if (input.id === undefined) throw missingFields(['id'], p);
    return input as Partial<ProductImage> & {id: string};
  });
}

/** Updates the image with that id, or adds it (a new image needs a url). */
export function upsertImage(
  product: ProductRecord,
  input: Partial<ProductImage> & {id: string},
  path = '',
): ProductImage {
  const existing = product.images.find((img) => img.id === input.id);
  if (existing) {
    assignDefined(existing, {url: input.url, variant_ids: input.variant_ids});
    return existing;
  }
  if (input.url === undefined) throw missingFields(['url'], path);
  const image: ProductImage = {id: input.id, url: input.url, variant_ids: input.variant_ids ?? []};
  product.images.push(image);
  return image;
}

export function variantView(
  store: StoreRecord,
  product: ProductRecord,
  variant: VariantRecord,
  api: ApiUrl,
): Record<string, unknown> {
  return {
    ...variant,
    _links: itemLinks(api, paths.variant(store.id, product.id, variant.id), paths.variants(store.id, product.id), [
      'PUT',
      'PATCH',
      'DELETE',
    ]),
  };
}

export function imageView(
  store: StoreRecord,
  product: ProductRecord,
  image: ProductImage,
  api: ApiUrl,
): Record<string, unknown> {
  return {
    id: image.id,
    url: image.url,
    variant_ids: image.variant_ids,
    _links: itemLinks(api, paths.image(store.id, product.id, image.id), paths.images(store.id, product.id), [
      'PATCH',
      'DELETE',
    ]),
  };
}

/** "Returns up to 50 of the product's variants" (spec); `currency_code` is the store's. */
export function productView(store: StoreRecord, product: ProductRecord, api: ApiUrl): Record<string, unknown> {
  return {
    id: product.id,
    currency_code: store.currency_code,
    title: product.title,
    handle: product.handle,
    url: product.url,
    description: product.description,
    type: product.type,
    vendor: product.vendor,
    image_url: product.image_url,
    variants: [...product.variants.values()].slice(0, 50).map((v) => variantView(store, product, v, api)),
    images: product.images.map((img) => imageView(store, product, img, api)),
    published_at_foreign: product.published_at_foreign,
    _links: itemLinks(api, paths.product(store.id, product.id), paths.products(store.id), ['PATCH', 'DELETE']),
  };
}
