import type {CollectionMeta, Link} from './common.js';

/** A product variant (PUT …/variants/{variant_id} is "Add or update"; the product must exist). */
export interface VariantInput {
  id: string;
  title: string;
  url?: string;
  sku?: string;
  price?: number;
  inventory_quantity?: number;
  image_url?: string;
  backorders?: string;
  visibility?: string;
}

export interface Variant extends VariantInput {
  created_at?: string;
  updated_at?: string;
  _links?: Link[];
}

export interface ProductImage {
  id: string;
  url: string;
  variant_ids?: string[];
}

/** POST …/products (required: id, title, variants — at least one; a variant may reuse the product's id and title). */
export interface ProductCreateRequest {
  id: string;
  title: string;
  variants: VariantInput[];
  handle?: string;
  url?: string;
  description?: string;
  type?: string;
  vendor?: string;
  image_url?: string;
  images?: ProductImage[];
  published_at_foreign?: string;
}

/** PATCH …/products/{product_id}: no required fields. */
export type ProductUpdateRequest = Partial<Omit<ProductCreateRequest, 'id'>>;

export interface Product extends Omit<ProductCreateRequest, 'variants'> {
  currency_code?: string;
  /** Up to 50 variants. */
  variants: Variant[];
  _links?: Link[];
}

export interface ProductsCollection extends CollectionMeta {
  products: Product[];
  store_id: string;
}

export interface VariantsCollection extends CollectionMeta {
  variants: Variant[];
  store_id: string;
  product_id: string;
}
