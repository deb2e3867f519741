import type {Product} from '../../model/entities.js';
import {asId, type ProductId} from '../../model/ids.js';
import type {IngestData} from './schemas.js';
import {compact, money, normaliseTimestamp, text, timestamp} from './wire-values.js';

export function toProduct(data: IngestData['product.upsert'], occurredAt: string): Product {
  const productId = asId<ProductId>(data.id);
  return compact({
    id: productId,
    title: data.title,
    handle: text(data.handle),
    url: data.url,
    description: text(data.description),
    type: text(data.type),
    vendor: text(data.vendor),
    imageUrl: data.image_url,
    images: (data.images ?? []).map((image) => ({
      id: image.id,
      url: image.url,
      variantIds: (image.variant_ids ?? []).map((id) => asId(id)),
    })),
    variants: data.variants.map((variant) =>
      compact({
        id: asId(variant.id),
        productId,
        title: variant.title,
        sku: text(variant.sku),
        price: money(variant.price, data.currency),
        inventoryQuantity: variant.inventory_quantity,
        imageUrl: variant.image_url,
        url: variant.url,
        visible: variant.visible,
        backorders: variant.backorders,
      }),
    ),
    collections: data.collections ?? [],
    publishedAt: timestamp(data.published_at),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}
