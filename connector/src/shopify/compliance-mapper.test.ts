import {readFixture} from './fixtures/read-fixture.js';
import {mapShopifyWebhook} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z'};

describe('compliance and app topics', () => {
  it('customers/redact → person.redact with exact 64-bit order ids', () => {
    expect(mapShopifyWebhook('customers/redact', readFixture('customers-redact'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'person.redact',
          customerId: '706405506930370084',
          email: 'bob@biller.com',
          orderIds: ['820982911946154508', '6033991870118912345', '299938'],
        },
      ],
    });
  });

  it('customers/redact by email only', () => {
    const raw = '{"shop_domain": "example-store.myshopify.com", "customer": {"email": "x@example-mail.com"}, "orders_to_redact": []}';
    expect(mapShopifyWebhook('customers/redact', raw, meta)).toStrictEqual({
      ok: true,
      events: [{kind: 'person.redact', email: 'x@example-mail.com', orderIds: []}],
    });
  });

  it('customers/redact naming nobody is rejected', () => {
    const raw = '{"shop_domain": "example-store.myshopify.com", "customer": {"phone": "555"}, "orders_to_redact": []}';
    expect(mapShopifyWebhook('customers/redact', raw, meta)).toEqual({
      ok: false,
      error: {field: 'customer', message: 'redaction names no customer id and no email'},
    });
  });

  it('shop/redact → shop.redact', () => {
    expect(mapShopifyWebhook('shop/redact', readFixture('shop-redact'), meta)).toStrictEqual({ok: true, events: [{kind: 'shop.redact'}]});
  });

  it('a compliance payload for another shop is rejected, never applied here', () => {
    for (const [topic, name] of [
      ['shop/redact', 'shop-redact'],
      ['customers/redact', 'customers-redact'],
      ['customers/data_request', 'customers-data-request'],
    ] as const) {
      expect(mapShopifyWebhook(topic, readFixture(name), {shopDomain: 'other-shop.myshopify.com'})).toEqual({
        ok: false,
        error: {field: 'shop_domain', message: 'payload is for example-store.myshopify.com, delivery is from other-shop.myshopify.com'},
      });
    }
  });

  it('customers/data_request → ignored with the reason', () => {
    expect(mapShopifyWebhook('customers/data_request', readFixture('customers-data-request'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'ignored',
          reason: 'customers/data_request 9999 for customer 706405506930370084: nothing to sync; the merchant answers from Shopify and Mailchimp',
        },
      ],
    });
  });

  it('app/uninstalled → app.uninstalled', () => {
    expect(mapShopifyWebhook('app/uninstalled', readFixture('app-uninstalled'), meta)).toStrictEqual({ok: true, events: [{kind: 'app.uninstalled'}]});
  });
});
