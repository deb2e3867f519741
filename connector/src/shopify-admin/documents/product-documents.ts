import {defineDocument, type Connection, type NodeList, type PageVariables} from './admin-document.js';

const PRODUCT_FIELDS =
  'id legacyResourceId title handle descriptionHtml vendor productType status tags createdAt updatedAt publishedAt onlineStoreUrl featuredImage { url }';
const VARIANT_FIELDS = 'id legacyResourceId title sku price inventoryQuantity position image { url }';

export interface VariantNode {
  id: string;
  legacyResourceId: string;
  title: string;
  sku: string | null;
  /** `Money`: a decimal string in the shop currency. */
  price: string;
  inventoryQuantity: number | null;
  position: number;
  image: {url: string} | null;
}

export interface ProductNode {
  id: string;
  legacyResourceId: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT' | 'UNLISTED';
  tags: string[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  onlineStoreUrl: string | null;
  featuredImage: {url: string} | null;
  variants: NodeList<VariantNode>;
}

/** Variants per product in a products page; products with more get the rest from PRODUCT_VARIANTS_PAGE. */
export const VARIANTS_PER_PRODUCT_PAGE = 20;
/** 2 + 20 × (1 + 1 + 2 + 20 × 2) = 882 points, under Shopify's 1,000 per query. */
export const PRODUCTS_PAGE_SIZE = 20;

export const PRODUCTS_PAGE = defineDocument<{products: Connection<ProductNode>}, PageVariables>(`
  query ProductsPage($first: Int!, $after: String, $query: String) {
    products(first: $first, after: $after, query: $query, sortKey: ID) {
      nodes { ${PRODUCT_FIELDS} variants(first: ${VARIANTS_PER_PRODUCT_PAGE}) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } } }
      pageInfo { hasNextPage endCursor }
    }
  }`);

export const PRODUCT_VARIANTS_PAGE = defineDocument<
  {product: {variants: Connection<VariantNode>} | null},
  {id: string; first: number; after?: string | null}
>(`
  query ProductVariantsPage($id: ID!, $first: Int!, $after: String) {
    product(id: $id) { variants(first: $first, after: $after) { nodes { ${VARIANT_FIELDS} } pageInfo { hasNextPage endCursor } } }
  }`);

/** The same selection for a bulk operation: every product with every variant. */
export const PRODUCTS_BULK_QUERY = `{ products { edges { node { ${PRODUCT_FIELDS} variants { edges { node { ${VARIANT_FIELDS} } } } } } } }`;
export const PRODUCTS_BULK_NESTING = {ProductVariant: 'variants'} as const;
