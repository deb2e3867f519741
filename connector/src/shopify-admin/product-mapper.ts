import type {Product, Variant} from '../model/entities.js';
import {asId, type ProductId, type VariantId} from '../model/ids.js';
import {dropUndefined} from '../shopify/address-mapper.js';
import {productUrl} from '../shopify/product-mapper.js';
import type {ProductNode} from './documents/product-documents.js';
import {
  amount,
  legacyId,
  mapNode,
  nodesOf,
  NodeMapError,
  requiredTimestamp,
  text,
  timestamp,
  type NodeMapResult,
} from './node-fields.js';

export interface ShopContext {
  /** `<name>.myshopify.com`: product URLs, as the webhook mapper builds them. */
  shopDomain: string;
  /** ISO 4217; variant prices (`Money`) carry no currency of their own. */
  shopCurrency: string;
}

/**
 * A `products` node (with its variants) → canonical Product, equal to what `products/update` maps to for the same
 * product: REST ids from `legacyResourceId`, prices in the shop currency, visibility from status and publication.
 * Images: the featured image only (product media are not queried); collections come from elsewhere.
 */
export function mapProductNode(node: ProductNode, context: ShopContext): NodeMapResult<Product> {
  return mapNode(() => {
    const productId = asId<ProductId>(legacyId(node, 'product'));
    const title = text(node?.title);
    if (title === undefined) throw new NodeMapError('product.title', 'required string is missing or empty');
    const handle = text(node.handle);
    const url = productUrl(context.shopDomain, handle);
    const visible = (node.status ?? 'ACTIVE') === 'ACTIVE' && typeof node.publishedAt === 'string';
    const mainImage = text(node.featuredImage?.url);
    const variants: Variant[] = nodesOf(node.variants).map((variant, index) => {
      const field = `product.variants[${index}]`;
      const id = legacyId(variant, field);
      return dropUndefined<Variant>({
        id: asId<VariantId>(id),
        productId,
        title: text(variant?.title) ?? '',
        sku: text(variant?.sku),
        price: amount(variant?.price, context.shopCurrency, `${field}.price`),
        inventoryQuantity: Number.isInteger(variant?.inventoryQuantity)
          ? (variant.inventoryQuantity as number)
          : undefined,
        imageUrl: text(variant?.image?.url) ?? mainImage,
        url: url !== undefined ? `${url}?variant=${id}` : undefined,
        visible,
      });
    });
    return dropUndefined<Product>({
      id: productId,
      title,
      handle,
      url,
      description: text(node.descriptionHtml),
      type: text(node.productType),
      vendor: text(node.vendor),
      imageUrl: mainImage,
      images: [],
      variants,
      collections: [],
      publishedAt: timestamp(node.publishedAt, 'product.publishedAt'),
      updatedAt: requiredTimestamp(node.updatedAt, 'product.updatedAt'),
    });
  });
}
