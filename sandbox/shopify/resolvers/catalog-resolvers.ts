import type {ProductRecord, VariantRecord} from '../data/records.js';
import type {PageArgs} from '../query/keyset-page.js';
import {gid, isoOrNull, isoTime, moneyString} from '../schema/scalars.js';
import {listConnection, type ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

export const imageOf = (url: string | null) =>
  url === null ? null : {id: null, url, altText: null, width: 1024, height: 1024};

export function onlineStoreUrl(product: ProductRecord, context: ResolverContext): string | null {
  return product.status === 'ACTIVE' && product.publishedAt !== null
    ? `https://${context.store.shop.myshopifyDomain}/products/${product.handle}`
    : null;
}

export const catalogResolvers: ResolverMap = {
  Product: {
    id: (p: ProductRecord) => gid('Product', p.id),
    legacyResourceId: (p: ProductRecord) => String(p.id),
    description: (p: ProductRecord) => p.descriptionHtml.replace(/<[^>]*>/g, ''),
    createdAt: (p: ProductRecord) => isoTime(p.createdAt),
    updatedAt: (p: ProductRecord) => isoTime(p.updatedAt),
    publishedAt: (p: ProductRecord) => isoOrNull(p.publishedAt),
    onlineStoreUrl: (p: ProductRecord, _args: unknown, context: ResolverContext) => onlineStoreUrl(p, context),
    featuredImage: (p: ProductRecord) => imageOf(p.imageUrl),
    totalInventory: (p: ProductRecord) => p.variants.reduce((sum, v) => sum + Math.max(0, v.inventoryQuantity), 0),
    variantsCount: (p: ProductRecord) => ({count: p.variants.length, precision: 'EXACT'}),
    variants: (p: ProductRecord, args: PageArgs, context: ResolverContext) => listConnection(p.variants, args, context),
  },
  ProductVariant: {
    id: (v: VariantRecord) => gid('ProductVariant', v.id),
    legacyResourceId: (v: VariantRecord) => String(v.id),
    displayName: (v: VariantRecord, _args: unknown, context: ResolverContext) =>
      `${context.store.products.get(v.productId)?.title ?? ''} - ${v.title}`,
    price: (v: VariantRecord, _args: unknown, context: ResolverContext) =>
      moneyString(v.priceMinor, context.store.shop.currencyCode),
    compareAtPrice: () => null,
    availableForSale: (v: VariantRecord) => v.inventoryQuantity > 0,
    image: (v: VariantRecord) => imageOf(v.imageUrl),
    product: (v: VariantRecord, _args: unknown, context: ResolverContext) => context.store.products.get(v.productId),
    createdAt: (v: VariantRecord) => isoTime(v.createdAt),
    updatedAt: (v: VariantRecord) => isoTime(v.updatedAt),
  },
};
