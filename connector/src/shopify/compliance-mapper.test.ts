import {mapAppUninstalled, mapCustomerRedact, mapShopRedact} from './compliance-mapper.js';
import {editFixture, readFixture} from './fixtures/read-fixture.js';
import {JsonNumber, parseLossless} from './lossless-json.js';
import {Fields} from './payload-fields.js';
import {WebhookShapeError} from './shop-identity.js';
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
    const raw =
      '{"shop_id": 954889, "shop_domain": "example-store.myshopify.com", "customer": {"email": "x@example-mail.com"}, "orders_to_redact": []}';
    expect(mapShopifyWebhook('customers/redact', raw, meta)).toStrictEqual({
      ok: true,
      events: [{kind: 'person.redact', email: 'x@example-mail.com', orderIds: []}],
    });
  });

  it('customers/redact naming nobody is rejected', () => {
    const raw =
      '{"shop_id": 954889, "shop_domain": "example-store.myshopify.com", "customer": {"phone": "555"}, "orders_to_redact": []}';
    expect(mapShopifyWebhook('customers/redact', raw, meta)).toEqual({
      ok: false,
      error: {field: 'customer', message: 'redaction names no customer id and no email'},
    });
  });

  it('shop/redact → shop.redact', () => {
    expect(mapShopifyWebhook('shop/redact', readFixture('shop-redact'), meta)).toStrictEqual({
      ok: true,
      events: [{kind: 'shop.redact'}],
    });
  });

  it('a compliance payload for another shop is rejected, never applied here', () => {
    for (const [topic, name] of [
      ['shop/redact', 'shop-redact'],
      ['customers/redact', 'customers-redact'],
      ['customers/data_request', 'customers-data-request'],
    ] as const) {
      expect(mapShopifyWebhook(topic, readFixture(name), {shopDomain: 'other-shop.myshopify.com'})).toEqual({
        ok: false,
        error: {
          field: 'shop_domain',
          message: 'payload is for example-store.myshopify.com, delivery is from other-shop.myshopify.com',
        },
      });
    }
  });

  it('customers/data_request → ignored with the reason', () => {
    expect(mapShopifyWebhook('customers/data_request', readFixture('customers-data-request'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'ignored',
          reason:
            'customers/data_request 9999 for customer 706405506930370084: nothing to sync; the merchant answers from Shopify and Mailchimp',
        },
      ],
    });
  });

  it('app/uninstalled → app.uninstalled', () => {
    expect(mapShopifyWebhook('app/uninstalled', readFixture('app-uninstalled'), meta)).toStrictEqual({
      ok: true,
      events: [{kind: 'app.uninstalled'}],
    });
  });

  it('a compliance payload that names no shop, or no shop id, is refused rather than applied', () => {
    for (const [topic, name] of [
      ['shop/redact', 'shop-redact'],
      ['customers/redact', 'customers-redact'],
      ['customers/data_request', 'customers-data-request'],
    ] as const) {
      const noDomain = editFixture(name, (payload) => {
        delete payload.shop_domain;
      });
      expect(mapShopifyWebhook(topic, noDomain, meta)).toEqual({
        ok: false,
        error: {field: 'shop_domain', message: 'required string is missing or empty'},
      });
      const blankDomain = editFixture(name, (payload) => {
        payload.shop_domain = ' ';
      });
      expect(mapShopifyWebhook(topic, blankDomain, meta)).toEqual({
        ok: false,
        error: {field: 'shop_domain', message: 'required string is missing or empty'},
      });
      const noShopId = editFixture(name, (payload) => {
        delete payload.shop_id;
      });
      expect(mapShopifyWebhook(topic, noShopId, meta)).toEqual({
        ok: false,
        error: {field: 'shop_id', message: 'required id is missing'},
      });
    }
  });

  it('the shop domain is compared without regard to case or blanks', () => {
    const raw = editFixture('shop-redact', (payload) => {
      payload.shop_domain = ' Example-Store.MyShopify.com ';
    });
    expect(mapShopifyWebhook('shop/redact', raw, meta)).toStrictEqual({ok: true, events: [{kind: 'shop.redact'}]});
  });

  it('app/uninstalled needs the shop id and this shop as its myshopify_domain', () => {
    expect(
      mapShopifyWebhook('app/uninstalled', readFixture('app-uninstalled'), {
        ...meta,
        shopDomain: 'other-shop.myshopify.com',
      }),
    ).toEqual({
      ok: false,
      error: {
        field: 'myshopify_domain',
        message: 'payload is for example-store.myshopify.com, delivery is from other-shop.myshopify.com',
      },
    });
    const noDomain = editFixture('app-uninstalled', (payload) => {
      payload.myshopify_domain = null;
    });
    expect(mapShopifyWebhook('app/uninstalled', noDomain, meta)).toEqual({
      ok: false,
      error: {field: 'myshopify_domain', message: 'required string is missing or empty'},
    });
    const noId = editFixture('app-uninstalled', (payload) => {
      delete payload.id;
    });
    expect(mapShopifyWebhook('app/uninstalled', noId, meta)).toEqual({
      ok: false,
      error: {field: 'id', message: 'required id is missing'},
    });
  });

  it('the destructive mappers check the shop themselves, whoever calls them', () => {
    const other = {shopDomain: 'other-shop.myshopify.com'};
    const fields = (name: string) => {
      const parsed = parseLossless(readFixture(name));
      if (!parsed.ok) throw new Error(parsed.message);
      return Fields.root(parsed.value);
    };
    expect(() => mapShopRedact(fields('shop-redact'), other)).toThrow(WebhookShapeError);
    expect(() => mapCustomerRedact(fields('customers-redact'), other)).toThrow(WebhookShapeError);
    expect(() => mapAppUninstalled(fields('app-uninstalled'), other)).toThrow(WebhookShapeError);
    expect(() => mapShopRedact(Fields.root({shop_id: new JsonNumber('954889')}), meta)).toThrow(
      /required string is missing/,
    );
  });
});
