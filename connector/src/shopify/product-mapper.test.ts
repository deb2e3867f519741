import {editFixture, readFixture} from './fixtures/read-fixture.js';
import {productUrl} from './product-mapper.js';
import {mapShopifyWebhook} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z', shopCurrency: 'USD'};
const usd = (minor: number) => ({minor, currency: 'USD'});
const front = 'https://cdn.shopify.com/s/files/1/0005/4838/0009/products/t-shirt-front.jpg?v=1640995200';
const small = 'https://cdn.shopify.com/s/files/1/0005/4838/0009/products/t-shirt-small.jpg?v=1640995200';
const url = 'https://example-store.myshopify.com/products/example-t-shirt';

describe('product topics', () => {
  it('products/create: variants with prices, stock, images by image_id, urls from the shop domain', () => {
    expect(mapShopifyWebhook('products/create', readFixture('products-create'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'product.upsert',
          product: {
            id: '788032119674292922',
            title: 'Example T-Shirt',
            handle: 'example-t-shirt',
            url,
            description: 'An example T-Shirt',
            type: 'Shirts',
            vendor: 'Acme',
            imageUrl: front,
            images: [
              {id: '562641783428194771', url: front, variantIds: []},
              {id: '850703190891205635', url: small, variantIds: ['642667041472713922']},
            ],
            variants: [
              {
                id: '642667041472713922',
                productId: '788032119674292922',
                title: 'Small',
                price: usd(1999),
                inventoryQuantity: 75,
                imageUrl: small,
                url: `${url}?variant=642667041472713922`,
                visible: true,
                backorders: false,
              },
              {
                id: '757650484644203962',
                productId: '788032119674292922',
                title: 'Medium',
                sku: 'TSHIRT-M',
                price: usd(2150),
                inventoryQuantity: -3,
                imageUrl: front,
                url: `${url}?variant=757650484644203962`,
                visible: true,
                backorders: true,
              },
            ],
            collections: [],
            publishedAt: '2022-01-01T00:00:00.000Z',
            updatedAt: '2022-01-01T00:00:00.000Z',
          },
        },
      ],
    });
  });

  it('products/update with status draft: still upserted, every variant invisible', () => {
    expect(mapShopifyWebhook('products/update', readFixture('products-update-draft'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'product.upsert',
          product: {
            id: '788032119674292922',
            title: 'Example T-Shirt',
            handle: 'example-t-shirt',
            url,
            vendor: 'Acme',
            images: [],
            variants: [
              {
                id: '642667041472713922',
                productId: '788032119674292922',
                title: 'Small',
                price: usd(1999),
                inventoryQuantity: 0,
                url: `${url}?variant=642667041472713922`,
                visible: false,
                backorders: false,
              },
            ],
            collections: [],
            updatedAt: '2022-01-05T13:00:00.000Z',
          },
        },
      ],
    });
  });

  it.each([
    ['archived', '2021-12-31T19:00:00-05:00', false],
    ['active', null, false],
    ['active', '2021-12-31T19:00:00-05:00', true],
  ])('status %s, published_at %s → visible %s', (status, publishedAt, visible) => {
    const raw = editFixture('products-create', (payload) => {
      payload.status = status;
      payload.published_at = publishedAt;
    });
    const result = mapShopifyWebhook('products/update', raw, meta);
    if (!result.ok || result.events[0]?.kind !== 'product.upsert') throw new Error('not mapped');
    expect(result.events[0].product.variants.map((v) => v.visible)).toEqual([visible, visible]);
  });

  it('products/delete: the id only', () => {
    expect(mapShopifyWebhook('products/delete', readFixture('products-delete'), meta)).toStrictEqual({
      ok: true,
      events: [{kind: 'product.delete', productId: '788032119674292922'}],
    });
  });

  it('needs the shop currency: product payloads have none', () => {
    expect(mapShopifyWebhook('products/create', readFixture('products-create'), {shopDomain: meta.shopDomain})).toEqual(
      {
        ok: false,
        error: {field: 'meta.shopCurrency', message: 'product payloads carry no currency: pass meta.shopCurrency'},
      },
    );
  });

  it('builds a URL only from a handle and a plausible shop domain', () => {
    expect(productUrl('Example-Store.myshopify.com', 'tee')).toBe('https://example-store.myshopify.com/products/tee');
    expect(productUrl('example-store.myshopify.com', 't shirt/ü')).toBe(
      'https://example-store.myshopify.com/products/t%20shirt%2F%C3%BC',
    );
    expect(productUrl('example-store.myshopify.com', undefined)).toBeUndefined();
    expect(productUrl('', 'tee')).toBeUndefined();
    expect(productUrl('evil.com/x?', 'tee')).toBeUndefined();
  });
});
