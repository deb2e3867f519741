import {productBody, startShop, type ShopFixture} from './test-fixtures.js';

describe('e-commerce products, variants and images', () => {
  let shop: ShopFixture;
  beforeEach(async () => {
    shop = await startShop({currency: 'EUR'});
  });
  afterEach(() => shop.close());

  describe('products', () => {
    it("creates a product with variants and images; currency_code is the store's", async () => {
      const res = await shop.store(
        'post',
        '/products',
        productBody('p1', ['v1', 'v2'], {
          handle: 'p-one',
          vendor: 'ACME',
          images: [{id: 'i1', url: 'https://img.test/1.png', variant_ids: ['v1']}],
          currency_code: 'USD',
        }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: 'p1',
        title: 'Product p1',
        handle: 'p-one',
        vendor: 'ACME',
        currency_code: 'EUR',
      });
      expect(res.body.variants.map((v: {id: string}) => v.id)).toEqual(['v1', 'v2']);
      expect(res.body.variants[0]).toMatchObject({
        title: 'Variant v1',
        price: 10,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(res.body.images).toEqual([
        expect.objectContaining({id: 'i1', url: 'https://img.test/1.png', variant_ids: ['v1']}),
      ]);
    });

    it("refuses a second POST of the same product with Mailchimp's text", async () => {
      await shop.store('post', '/products', productBody('p1'));
      const res = await shop.store('post', '/products', productBody('p1'));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        title: 'Bad Request',
        detail: 'We were unable to process the request. A product with the provided ID already exists in the account.',
      });
    });

    it('requires at least one variant', async () => {
      const res = await shop.store('post', '/products', {id: 'p1', title: 'P', variants: []});
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {field: 'variants', message: 'At least one variant is required for each product.'},
      ]);
      expect((await shop.store('get', '/products/p1')).status).toBe(404);
    });

    it('patches fields and upserts variants and images by id', async () => {
      await shop.store(
        'post',
        '/products',
        productBody('p1', ['v1', 'v2'], {images: [{id: 'i1', url: 'https://img.test/1.png'}]}),
      );
      const res = await shop.store('patch', '/products/p1', {
        title: 'Renamed',
        variants: [
          {id: 'v1', price: 12.5},
          {id: 'v3', title: 'Third'},
        ],
        images: [
          {id: 'i1', url: 'https://img.test/1b.png'},
          {id: 'i2', url: 'https://img.test/2.png', variant_ids: ['v3']},
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('Renamed');
      expect(res.body.variants).toEqual([
        expect.objectContaining({id: 'v1', title: 'Variant v1', price: 12.5}),
        expect.objectContaining({id: 'v2', title: 'Variant v2'}),
        expect.objectContaining({id: 'v3', title: 'Third'}),
      ]);
      expect(res.body.images.map((i: {url: string}) => i.url)).toEqual([
        'https://img.test/1b.png',
        'https://img.test/2.png',
      ]);
    });

    it('refuses a PATCH adding a variant without a title, changing nothing', async () => {
      await shop.store('post', '/products', productBody('p1'));
      const res = await shop.store('patch', '/products/p1', {title: 'Renamed', variants: [{id: 'new'}]});
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {field: 'variants.item:0', message: 'Required fields were not provided: title'},
      ]);
      const got = await shop.store('get', '/products/p1');
      expect(got.body.title).toBe('Product p1');
      expect(got.body.variants).toHaveLength(1);
    });

    it('returns at most 50 variants with a product', async () => {
      const ids = Array.from({length: 55}, (_, i) => `v${i}`);
      const res = await shop.store('post', '/products', productBody('p1', ids));
      expect(res.body.variants).toHaveLength(50);
      expect((await shop.store('get', '/products/p1/variants?count=100')).body.total_items).toBe(55);
    });

    it('lists, gets and deletes products', async () => {
      await shop.store('post', '/products', productBody('p1'));
      await shop.store('post', '/products', productBody('p2'));
      const all = await shop.store('get', '/products');
      expect(all.body).toMatchObject({store_id: shop.storeId, total_items: 2});
      expect(all.body.products.map((p: {id: string}) => p.id)).toEqual(['p1', 'p2']);
      expect((await shop.store('delete', '/products/p1')).status).toBe(204);
      expect((await shop.store('get', '/products/p1')).status).toBe(404);
      expect((await shop.store('get', '/products')).body.total_items).toBe(1);
    });
  });

  describe('variants', () => {
    beforeEach(async () => {
      await shop.store('post', '/products', productBody('p1', ['v1']));
    });

    it('adds, gets, lists, patches and deletes variants', async () => {
      const added = await shop.store('post', '/products/p1/variants', {
        id: 'v2',
        title: 'Two',
        sku: 'SKU-2',
        inventory_quantity: 3,
      });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({id: 'v2', title: 'Two', sku: 'SKU-2', inventory_quantity: 3});
      const dup = await shop.store('post', '/products/p1/variants', {id: 'v2', title: 'Two'});
      expect(dup.status).toBe(400);
      expect(dup.body.detail).toBe(
        'We were unable to process the request. A variant with the provided ID already exists in the account.',
      );

      const list = await shop.store('get', '/products/p1/variants');
      expect(list.body).toMatchObject({store_id: shop.storeId, product_id: 'p1', total_items: 2});
      const patched = await shop.store('patch', '/products/p1/variants/v2', {price: 7, id: 'ignored'});
      expect(patched.body).toMatchObject({id: 'v2', price: 7, title: 'Two'});
      expect((await shop.store('get', '/products/p1/variants/v2')).body.price).toBe(7);
      expect((await shop.store('delete', '/products/p1/variants/v2')).status).toBe(204);
      expect((await shop.store('get', '/products/p1/variants/v2')).status).toBe(404);
      expect((await shop.store('patch', '/products/p1/variants/v2', {price: 1})).status).toBe(404);
    });

    it('adds or updates with PUT', async () => {
      const created = await shop.store('put', '/products/p1/variants/v9', {id: 'v9', title: 'Nine', price: 9});
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({id: 'v9', title: 'Nine', price: 9});
      const updated = await shop.store('put', '/products/p1/variants/v9', {id: 'v9', title: 'Nine!', price: 10});
      expect(updated.body).toMatchObject({title: 'Nine!', price: 10, created_at: created.body.created_at});
      expect((await shop.store('get', '/products/p1')).body.variants).toHaveLength(2);
    });

    it('refuses PUT on a variant of a product that does not exist yet', async () => {
      const res = await shop.store('put', '/products/nope/variants/v1', {id: 'v1', title: 'One'});
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe(
        'The parent product must already exists in order to use PUT on the variants endpoint.',
      );
      expect((await shop.store('get', '/products/nope/variants')).status).toBe(404);
      expect((await shop.store('post', '/products/nope/variants', {id: 'v1', title: 'One'})).status).toBe(404);
    });
  });

  describe('images', () => {
    beforeEach(async () => {
      await shop.store('post', '/products', productBody('p1', ['v1', 'v2']));
    });

    it('adds, gets, lists, patches and deletes images', async () => {
      const added = await shop.store('post', '/products/p1/images', {
        id: 'i1',
        url: 'https://img.test/1.png',
        variant_ids: ['v1'],
      });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({id: 'i1', url: 'https://img.test/1.png', variant_ids: ['v1']});
      const dup = await shop.store('post', '/products/p1/images', {id: 'i1', url: 'https://img.test/x.png'});
      expect(dup.status).toBe(400);

      const list = await shop.store('get', '/products/p1/images');
      expect(list.body).toMatchObject({store_id: shop.storeId, product_id: 'p1', total_items: 1});
      const patched = await shop.store('patch', '/products/p1/images/i1', {variant_ids: ['v1', 'v2']});
      expect(patched.body).toMatchObject({id: 'i1', url: 'https://img.test/1.png', variant_ids: ['v1', 'v2']});
      expect((await shop.store('get', '/products/p1')).body.images[0].variant_ids).toEqual(['v1', 'v2']);
      expect((await shop.store('delete', '/products/p1/images/i1')).status).toBe(204);
      expect((await shop.store('get', '/products/p1/images/i1')).status).toBe(404);
      expect((await shop.store('get', '/products/p1/images')).body.total_items).toBe(0);
    });
  });
});
