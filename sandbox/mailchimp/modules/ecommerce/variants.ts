import {paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {ProductRecord, VariantRecord} from '../../core/state.js';
import {readVariant, requireProduct, upsertVariant, variantView} from './catalog.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {bodyObject, reqString, requireFields} from './input.js';
import {collectionLinks, paths, type ApiUrl} from './links.js';
import {requireStore} from './stores.js';

function requireVariant(product: ProductRecord, variantId: string): VariantRecord {
  const variant = product.variants.get(variantId);
  if (!variant) throw problems.notFound();
  return variant;
}

/** …/products/{product_id}/variants[/{variant_id}]: GET, POST, PUT (add or update), PATCH, DELETE. */
export function variantRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/products/{product_id}/variants';
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        const {page, total_items} = paginate([...product.variants.values()], req.query);
        return {
          status: 200,
          body: {
            store_id: store.id,
            product_id: product.id,
            variants: page.map((v) => variantView(store, product, v, api)),
            total_items,
            _links: collectionLinks(api, paths.variants(store.id, product.id), paths.product(store.id, product.id)),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        const body = bodyObject(req.body);
        requireFields(body, ['id', 'title']);
        const id = reqString(body, 'id');
        const input = readVariant(body);
        if (product.variants.has(id)) throw ecommerceProblems.alreadyExists('variant');
        return {
          status: 200,
          body: variantView(store, product, upsertVariant(product, id, input, state.timestamp()), api),
        };
      },
    },
    {
      method: 'GET',
      path: `${base}/{variant_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        return {status: 200, body: variantView(store, product, requireVariant(product, req.params.variant_id!), api)};
      },
    },
    {
      // "The parent product must already exists in order to use PUT on the variants endpoint" (mc-magento #254).
      method: 'PUT',
      path: `${base}/{variant_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = store.products.get(req.params.product_id!);
        if (!product) throw ecommerceProblems.parentProductMissing();
        const body = bodyObject(req.body);
        requireFields(body, ['id', 'title']);
        const variant = upsertVariant(product, req.params.variant_id!, readVariant(body), state.timestamp());
        return {status: 200, body: variantView(store, product, variant, api)};
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{variant_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        const variant = requireVariant(product, req.params.variant_id!);
        const {id: _pathWins, ...input} = readVariant(bodyObject(req.body));
        return {
          status: 200,
          body: variantView(store, product, upsertVariant(product, variant.id, input, state.timestamp()), api),
        };
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{variant_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        product.variants.delete(requireVariant(product, req.params.variant_id!).id);
        return {status: 204};
      },
    },
  ];
}
