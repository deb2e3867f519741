import {paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {ProductRecord} from '../../core/state.js';
import {imageView, readImage, requireProduct, upsertImage, type ProductImage} from './catalog.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {bodyObject, reqString, requireFields} from './input.js';
import {collectionLinks, paths, type ApiUrl} from './links.js';
import {requireStore} from './stores.js';

function requireImage(product: ProductRecord, imageId: string): ProductImage {
  const image = product.images.find((img) => img.id === imageId);
  if (!image) throw problems.notFound();
  return image;
}

/** …/products/{product_id}/images[/{image_id}]: GET, POST, PATCH, DELETE. */
export function imageRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/products/{product_id}/images';
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        const {page, total_items} = paginate(product.images, req.query);
        return {
          status: 200,
          body: {
            store_id: store.id,
            product_id: product.id,
            images: page.map((img) => imageView(store, product, img, api)),
            total_items,
            _links: collectionLinks(api, paths.images(store.id, product.id), paths.product(store.id, product.id)),
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
        requireFields(body, ['id', 'url']);
        const id = reqString(body, 'id');
        const input = readImage(body);
        if (product.images.some((img) => img.id === id)) throw ecommerceProblems.alreadyExists('image');
        return {status: 200, body: imageView(store, product, upsertImage(product, {...input, id}), api)};
      },
    },
    {
      method: 'GET',
      path: `${base}/{image_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        return {status: 200, body: imageView(store, product, requireImage(product, req.params.image_id!), api)};
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{image_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        const image = requireImage(product, req.params.image_id!);
        const {id: _pathWins, ...input} = readImage(bodyObject(req.body));
        return {status: 200, body: imageView(store, product, upsertImage(product, {...input, id: image.id}), api)};
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{image_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const product = requireProduct(store, req.params.product_id!);
        const image = requireImage(product, req.params.image_id!);
        product.images = product.images.filter((img) => img !== image);
        return {status: 204};
      },
    },
  ];
}
