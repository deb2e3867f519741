import {paginate} from '../../core/collection.js';
import type {RouteDef} from '../../core/routes.js';
import type {ProductRecord, SandboxState, StoreRecord} from '../../core/state.js';
import {
  productView,
  readImageList,
  readVariantList,
  requireProduct,
  upsertImage,
  upsertVariant,
  type ProductImage,
  type VariantInput,
} from './catalog.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {
  assignDefined,
  bodyObject,
  itemPath,
  missingFields,
  optArray,
  optString,
  reqString,
  requireFields,
  type Body,
} from './input.js';
import {collectionLinks, paths, type ApiUrl} from './links.js';
import {requireStore} from './stores.js';

function readProductFields(body: Body) {
  return {
    title: optString(body, 'title'),
    handle: optString(body, 'handle'),
    url: optString(body, 'url'),
    description: optString(body, 'description'),
    type: optString(body, 'type'),
    vendor: optString(body, 'vendor'),
    image_url: optString(body, 'image_url'),
    published_at_foreign: optString(body, 'published_at_foreign'),
  };
}

/** Refuses, before anything is written, variants that would be new and lack the title every variant needs. */
function checkNewVariants(product: ProductRecord | undefined, variants: Array<VariantInput & {id: string}>): void {
  variants.forEach((v, i) => {
    if (v.title === undefined && !product?.variants.has(v.id)) throw missingFields(['title'], itemPath('variants', i));
  });
}

function checkNewImages(product: ProductRecord | undefined, images: Array<Partial<ProductImage> & {id: string}>): void {
  images.forEach((img, i) => {
    if (img.url === undefined && !product?.images.some((known) => known.id === img.id))
      throw missingFields(['url'], itemPath('images', i));
  });
}

/** POST: "At least one variant is required for each product" (spec); a second POST of an id is refused (§9.10). */
export function createProduct(state: SandboxState, store: StoreRecord, raw: unknown): ProductRecord {
  const body = bodyObject(raw);
  requireFields(body, ['id', 'title', 'variants']);
  const id = reqString(body, 'id');
  const fields = readProductFields(body);
  const variants = readVariantList(optArray(body, 'variants') ?? []);
  const images = readImageList(optArray(body, 'images') ?? []);
  if (store.products.has(id)) throw ecommerceProblems.alreadyExists('product');
  if (variants.length === 0) throw ecommerceProblems.variantRequired();
  checkNewVariants(undefined, variants);
  checkNewImages(undefined, images);
  const product: ProductRecord = {
    id,
    currency_code: store.currency_code,
    title: fields.title ?? '',
    variants: new Map(),
    images: [],
  };
  assignDefined(product, fields);
  const now = state.timestamp();
  variants.forEach((v, i) => upsertVariant(product, v.id, v, now, itemPath('variants', i)));
  images.forEach((img, i) => upsertImage(product, img, itemPath('images', i)));
  store.products.set(id, product);
  return product;
}

/** PATCH: plain fields are replaced; `variants` and `images` items are upserted by id (the others stay). */
export function updateProduct(state: SandboxState, store: StoreRecord, productId: string, raw: unknown): ProductRecord {
  const product = requireProduct(store, productId);
  const body = bodyObject(raw);
  const fields = readProductFields(body);
  const variants = readVariantList(optArray(body, 'variants') ?? []);
  const images = readImageList(optArray(body, 'images') ?? []);
  checkNewVariants(product, variants);
  checkNewImages(product, images);
  assignDefined(product, fields);
  const now = state.timestamp();
  variants.forEach((v, i) => upsertVariant(product, v.id, v, now, itemPath('variants', i)));
  images.forEach((img, i) => upsertImage(product, img, itemPath('images', i)));
  return product;
}

export function productRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/products';
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const {page, total_items} = paginate([...store.products.values()], req.query);
        return {
          status: 200,
          body: {
            store_id: store.id,
            products: page.map((p) => productView(store, p, api)),
            total_items,
            _links: collectionLinks(api, paths.products(store.id), paths.store(store.id)),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: productView(store, createProduct(state, store, req.body), api)};
      },
    },
    {
      method: 'GET',
      path: `${base}/{product_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: productView(store, requireProduct(store, req.params.product_id!), api)};
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{product_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {
          status: 200,
          body: productView(store, updateProduct(state, store, req.params.product_id!, req.body), api),
        };
      },
    },
    {
      // Orders and carts keep their lines (with the titles they had) when a product goes.
      method: 'DELETE',
      path: `${base}/{product_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        store.products.delete(requireProduct(store, req.params.product_id!).id);
        return {status: 204};
      },
    },
  ];
}
