import {editFixture, readFixture} from './fixtures/read-fixture.js';
import {mapShopifyWebhook} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z'};
const usd = (minor: number) => ({minor, currency: 'USD'});
const eur = (minor: number) => ({minor, currency: 'EUR'});

describe('checkout topics', () => {
  it('checkouts/create (shopify.dev sample): cart keyed by token, recovery URL, repeated line keys made unique', () => {
    const ipod = {
      productId: '632910392',
      variantId: '808950810',
      title: 'IPod Nano - 8GB',
      variantTitle: 'Pink',
      sku: 'IPOD2008PINK',
      quantity: 1,
      price: usd(19900),
      discount: usd(0),
    };
    expect(mapShopifyWebhook('checkouts/create', readFixture('checkouts-create'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'cart.upsert',
          cart: {
            id: '123123123',
            customer: {
              id: '603851970716743426',
              email: 'example@email.com',
              firstName: 'John',
              lastName: 'Smith',
              acceptsMarketing: false,
            },
            currency: 'USD',
            total: usd(42188),
            taxTotal: usd(2388),
            lines: [
              {id: '139cb5712fb4c8d9957dcfad9a3028da', ...ipod},
              {id: '139cb5712fb4c8d9957dcfad9a3028da:1', ...ipod},
            ],
            checkoutUrl: 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
            attributes: {},
            updatedAt: '2022-01-01T00:00:00.000Z',
          },
        },
      ],
    });
  });

  it('checkouts/update: guest with empty email, presentment currency, completed, null-id line', () => {
    expect(mapShopifyWebhook('checkouts/update', readFixture('checkouts-update-guest'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'cart.upsert',
          cart: {
            // the token, not the numeric id
            id: 'b1946ac92492d2347c6235b4d2611184',
            customer: {acceptsMarketing: true},
            currency: 'EUR',
            total: eur(3738),
            taxTotal: eur(597),
            lines: [
              {
                id: '41864347942986',
                productId: '7870931927114',
                variantId: '41864347942986',
                title: 'Shampoo',
                variantTitle: '350 ml',
                quantity: 2,
                price: eur(1799),
                discount: eur(360),
              },
              {
                id: 'b3b6a9e0f0c1d2e3',
                productId: null,
                variantId: null,
                title: 'Engraving',
                quantity: 1,
                price: eur(500),
                discount: eur(0),
              },
            ],
            checkoutUrl:
              'https://example-store.myshopify.com/61738811466/checkouts/b1946ac92492d2347c6235b4d2611184/recover?key=4f2b',
            completedAt: '2024-05-02T12:05:00.000Z',
            landingSite: '/collections/all?mc_cid=5f1a2b3c4d',
            attributes: {mc_cid: '5f1a2b3c4d'},
            updatedAt: '2024-05-02T12:03:21.000Z',
          },
        },
      ],
    });
  });

  it('rejects a checkout without token', () => {
    const raw = editFixture('checkouts-create', (payload) => {
      delete payload.token;
    });
    expect(mapShopifyWebhook('checkouts/create', raw, meta)).toEqual({
      ok: false,
      error: {field: 'token', message: 'required string is missing or empty'},
    });
  });
});
