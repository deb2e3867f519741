import {giftCard, tee} from './fixtures/catalog.js';
import {productToMailchimp} from './product-to-mailchimp.js';

describe('productToMailchimp', () => {
  it('maps a product with variants and images', () => {
    expect(productToMailchimp(tee)).toEqual({
      id: '7982301478934',
      title: 'Organic Cotton Tee',
      handle: 'organic-cotton-tee',
      url: 'https://shop.example/products/organic-cotton-tee',
      description: '<p>Soft, breathable, <strong>organic</strong>.</p>',
      type: 'Shirts',
      vendor: 'Acme Apparel',
      image_url: 'https://cdn.shop.example/tee-front.jpg',
      images: [
        {id: '39000000000001', url: 'https://cdn.shop.example/tee-front.jpg', variant_ids: ['43000000000001']},
        {id: '39000000000002', url: 'https://cdn.shop.example/tee-back.jpg', variant_ids: []},
      ],
      variants: [
        {
          id: '43000000000001',
          title: 'S / Black',
          url: 'https://shop.example/products/organic-cotton-tee?variant=43000000000001',
          sku: 'TEE-S-BLK',
          price: 25,
          inventory_quantity: 12,
          image_url: 'https://cdn.shop.example/tee-front.jpg',
          visibility: 'visible',
          backorders: 'false',
        },
        {
          id: '43000000000002',
          title: 'M / Black',
          url: 'https://shop.example/products/organic-cotton-tee',
          sku: 'TEE-M-BLK',
          price: 25.5,
          inventory_quantity: 0,
          image_url: 'https://cdn.shop.example/tee-front.jpg',
          visibility: 'hidden',
          backorders: 'true',
        },
      ],
      published_at_foreign: '2024-03-01T09:00:00-05:00',
    });
  });

  it('gives a product without variants one variant with its own id and title', () => {
    expect(productToMailchimp(giftCard)).toEqual({
      id: '7982301478999',
      title: 'Gift Card',
      handle: 'gift-card',
      variants: [{id: '7982301478999', title: 'Gift Card'}],
    });
  });

  it('uses the image tied to a variant and keeps zero-digit currencies whole', () => {
    const yen = productToMailchimp({
      ...tee,
      imageUrl: undefined,
      variants: [
        {...tee.variants[1]!, id: tee.variants[0]!.id, price: {minor: 1200, currency: 'JPY'}, imageUrl: undefined},
      ],
    });
    expect(yen.variants[0]!.price).toBe(1200);
    expect(yen.variants[0]!.image_url).toBe('https://cdn.shop.example/tee-front.jpg');
    expect(yen.image_url).toBe('https://cdn.shop.example/tee-front.jpg');
  });
});
