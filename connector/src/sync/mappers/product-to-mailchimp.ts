import type {ProductCreateRequest, VariantInput} from '../../mailchimp/types/index.js';
import type {Product, Variant} from '../../model/entities.js';
import {toDecimal} from '../../model/money.js';
import {compact} from './address-mapping.js';

/**
 * A canonical product as the Mailchimp product body (POST …/products, PATCH with the same fields minus `id`).
 * Mailchimp types `visibility` and `backorders` as strings: the connector writes `visible`/`hidden` and
 * `true`/`false`, and leaves them out when the source does not say.
 */

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

export function variantToMailchimp(
  variant: Variant,
  product: Pick<Product, 'url' | 'imageUrl' | 'images'>,
): VariantInput {
  // A variant without its own image takes the first product image tied to it, then the product's main image.
  const linkedImage = product.images.find((image) => image.variantIds.includes(variant.id))?.url;
  return compact({
    id: variant.id,
    title: nonEmpty(variant.title) ?? variant.id,
    url: nonEmpty(variant.url) ?? nonEmpty(product.url),
    sku: nonEmpty(variant.sku),
    price: toDecimal(variant.price),
    inventory_quantity: variant.inventoryQuantity,
    image_url: nonEmpty(variant.imageUrl) ?? linkedImage ?? nonEmpty(product.imageUrl),
    visibility: variant.visible === undefined ? undefined : variant.visible ? 'visible' : 'hidden',
    backorders: variant.backorders === undefined ? undefined : String(variant.backorders),
  });
}

export function productToMailchimp(product: Product): ProductCreateRequest {
  const variants =
    product.variants.length > 0
      ? product.variants.map((v) => variantToMailchimp(v, product))
      : // Mailchimp requires at least one variant; it may reuse the product's id and title (notes §4.3).
        [
          compact({
            id: product.id,
            title: product.title,
            url: nonEmpty(product.url),
            image_url: nonEmpty(product.imageUrl),
          }),
        ];
  return compact({
    id: product.id,
    title: product.title,
    handle: nonEmpty(product.handle),
    url: nonEmpty(product.url),
    description: nonEmpty(product.description),
    type: nonEmpty(product.type),
    vendor: nonEmpty(product.vendor),
    image_url: nonEmpty(product.imageUrl) ?? product.images[0]?.url,
    images:
      product.images.length > 0
        ? product.images.map((image) => ({id: image.id, url: image.url, variant_ids: [...image.variantIds]}))
        : undefined,
    variants,
    published_at_foreign: nonEmpty(product.publishedAt),
  });
}
