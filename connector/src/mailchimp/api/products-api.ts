import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {
  Product,
  ProductCreateRequest,
  ProductUpdateRequest,
  Variant,
  VariantInput,
  ProductsCollection,
} from '../types/products.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';
import {patchThenCreate, type UpsertOptions} from './upsert.js';

const PRODUCTS = '/ecommerce/stores/{store_id}/products';
const PRODUCT = '/ecommerce/stores/{store_id}/products/{product_id}';
const VARIANT = '/ecommerce/stores/{store_id}/products/{product_id}/variants/{variant_id}';

export class ProductsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(storeId: string, body: ProductCreateRequest): Promise<Product> {
    return this.transport.request<Product, typeof PRODUCTS>({
      method: 'POST',
      route: PRODUCTS,
      params: {store_id: storeId},
      body,
    });
  }

  update(storeId: string, productId: string, body: ProductUpdateRequest): Promise<Product> {
    return this.transport.request<Product, typeof PRODUCT>({
      method: 'PATCH',
      route: PRODUCT,
      params: {store_id: storeId, product_id: productId},
      body,
    });
  }

  /**
   * API 3.0.76 has no PUT for products. PATCH, then POST on 404 (see upsert.ts for why PATCH first): product
   * updates (inventory, prices) are far more frequent than new products in live sync. `createFirst` when the
   * caller knows the product is new (POST, PATCH only if it already exists).
   */
  upsert(storeId: string, body: ProductCreateRequest, options?: UpsertOptions): Promise<Product> {
    const {id, ...changes} = body;
    return patchThenCreate(
      () => this.update(storeId, id, changes),
      () => this.create(storeId, body),
      options,
    );
  }

  get(storeId: string, productId: string, select?: FieldSelection): Promise<Product | null> {
    return nullIfNotFound(
      this.transport.request<Product, typeof PRODUCT>({
        method: 'GET',
        route: PRODUCT,
        params: {store_id: storeId, product_id: productId},
        select,
      }),
    );
  }

  delete(storeId: string, productId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: PRODUCT, params: {store_id: storeId, product_id: productId}}),
    );
  }

  /** PUT "Add or update product variant"; the product must exist already. */
  upsertVariant(storeId: string, productId: string, body: VariantInput): Promise<Variant> {
    return this.transport.request<Variant, typeof VARIANT>({
      method: 'PUT',
      route: VARIANT,
      params: {store_id: storeId, product_id: productId, variant_id: body.id},
      body,
    });
  }

  deleteVariant(storeId: string, productId: string, variantId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({
        method: 'DELETE',
        route: VARIANT,
        params: {store_id: storeId, product_id: productId, variant_id: variantId},
      }),
    );
  }

  /** Every product of the store, a page at a time (the resync compares them with local state). */
  list(
    storeId: string,
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<Product, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<ProductsCollection, typeof PRODUCTS>({
          method: 'GET',
          route: PRODUCTS,
          params: {store_id: storeId},
          query: page,
          select: options.select,
        }),
      (page) => page.products,
      options,
    );
  }
}
