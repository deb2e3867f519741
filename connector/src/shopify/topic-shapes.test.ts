import {editFixture, readFixture} from './fixtures/read-fixture.js';
import {refuseWebhookBody, TOPIC_SHAPES} from './topic-shapes.js';
import {SUPPORTED_TOPICS} from './topics.js';
import {mapShopifyWebhook} from './webhook-mapper.js';

const shop = {shopDomain: 'example-store.myshopify.com'};
const meta = {...shop, triggeredAt: '2025-07-10T16:15:47Z', shopCurrency: 'USD'};

/** Every order topic carries the full order. */
const ORDER_TOPICS = ['orders/create', 'orders/updated', 'orders/paid', 'orders/fulfilled', 'orders/cancelled'];

/** Each fixture with the topics whose bodies have its shape. */
const FIXTURE_TOPICS: ReadonlyArray<readonly [fixture: string, topics: readonly string[]]> = [
  ['orders-create', ORDER_TOPICS],
  ['orders-updated', ORDER_TOPICS],
  ['orders-cancelled', ORDER_TOPICS],
  ['orders-paid-guest', ORDER_TOPICS],
  ['orders-fulfilled', ORDER_TOPICS],
  ['refunds-create', ['refunds/create']],
  ['customers-create', ['customers/create', 'customers/update']],
  ['customers-update-2024-10', ['customers/create', 'customers/update']],
  ['customers-update-legacy', ['customers/create', 'customers/update']],
  ['customers-delete', ['customers/delete']],
  ['customers-email-marketing-consent-update', ['customers_email_marketing_consent/update']],
  ['customers-email-marketing-consent-update-sample', ['customers_email_marketing_consent/update']],
  ['products-create', ['products/create', 'products/update']],
  ['products-update-draft', ['products/create', 'products/update']],
  ['products-delete', ['products/delete']],
  ['checkouts-create', ['checkouts/create', 'checkouts/update']],
  ['checkouts-update-guest', ['checkouts/create', 'checkouts/update']],
  ['app-uninstalled', ['app/uninstalled']],
  ['customers-redact', ['customers/redact']],
  ['customers-data-request', ['customers/data_request']],
  ['shop-redact', ['shop/redact']],
];

/**
 * Pairs that cannot be told apart by shape and do nothing harmful: a bare `{id}` (a products/delete body) read as a
 * customer deletion names a customer id that is really a product's, and a deletion sets nothing.
 */
const INDISTINGUISHABLE = new Set(['products-delete → customers/delete']);

describe('topic shapes', () => {
  it('every synced topic has a shape, and no other topic does', () => {
    expect(Object.keys(TOPIC_SHAPES).sort()).toEqual([...SUPPORTED_TOPICS].sort());
    expect(Object.isFrozen(TOPIC_SHAPES)).toBe(true);
    expect(new Set(FIXTURE_TOPICS.flatMap(([, topics]) => topics))).toEqual(new Set(SUPPORTED_TOPICS));
  });

  it.each(FIXTURE_TOPICS)('%s passes under its own topics and maps', (fixture, topics) => {
    for (const topic of topics) {
      expect({topic, refusal: refuseWebhookBody(topic, readFixture(fixture), shop)}).toEqual({
        topic,
        refusal: undefined,
      });
      expect({topic, ok: mapShopifyWebhook(topic, readFixture(fixture), meta).ok}).toEqual({topic, ok: true});
    }
  });

  it.each(FIXTURE_TOPICS)('%s is refused under every other topic, at the edge and by the mapper', (fixture, own) => {
    const others = SUPPORTED_TOPICS.filter(
      (topic) => !own.includes(topic) && !INDISTINGUISHABLE.has(`${fixture} → ${topic}`),
    );
    for (const topic of others) {
      const refusal = refuseWebhookBody(topic, readFixture(fixture), shop);
      expect({topic, reason: refusal?.reason}).toEqual({topic, reason: 'wrong_shape'});
      expect({topic, ok: mapShopifyWebhook(topic, readFixture(fixture), meta).ok}).toEqual({topic, ok: false});
    }
  });

  it('topics the connector does not sync always pass (they are stored and ignored)', () => {
    expect(refuseWebhookBody('inventory_levels/update', 'not even json', shop)).toBeUndefined();
    expect(refuseWebhookBody('constructor', '{}', shop)).toBeUndefined();
  });

  it('refuses a body that is not a JSON object', () => {
    expect(refuseWebhookBody('orders/create', '{"id": 1,', shop)).toMatchObject({
      reason: 'wrong_shape',
      message: expect.stringMatching(/^body is not valid JSON/),
    });
    expect(refuseWebhookBody('shop/redact', '[{"shop_id": 1}]', shop)).toEqual({
      reason: 'wrong_shape',
      message: 'body is not a JSON object',
    });
  });

  it('tells another shop from a missing shop, and names the field', () => {
    const other = editFixture('customers-redact', (payload) => {
      payload.shop_domain = 'other-shop.myshopify.com';
    });
    expect(refuseWebhookBody('customers/redact', other, shop)).toEqual({
      reason: 'foreign_shop',
      field: 'shop_domain',
      message: 'payload is for other-shop.myshopify.com, delivery is from example-store.myshopify.com',
    });
    const none = editFixture('customers-redact', (payload) => {
      delete payload.shop_domain;
    });
    expect(refuseWebhookBody('customers/redact', none, shop)).toEqual({
      reason: 'wrong_shape',
      field: 'shop_domain',
      message: 'required string is missing or empty',
    });
    expect(refuseWebhookBody('shop/redact', readFixture('customers-redact'), shop)).toEqual({
      reason: 'wrong_shape',
      field: 'customer',
      message: "shop/redact bodies never carry customer: this is another topic's body",
    });
  });

  it('refuses a typed id of another resource', () => {
    const product = editFixture('customers-create', (payload) => {
      payload.admin_graphql_api_id = 'gid://shopify/Product/706405506930370084';
    });
    expect(refuseWebhookBody('customers/update', product, shop)).toMatchObject({
      reason: 'wrong_shape',
      field: 'admin_graphql_api_id',
    });
  });

  it('keeps accepting what real payloads leave out: no financial_status (other order fields), null fields, refunds without lines', () => {
    const noStatus = editFixture('orders-create', (payload) => {
      delete payload.financial_status;
    });
    expect(refuseWebhookBody('orders/create', noStatus, shop)).toBeUndefined();
    const nulls = editFixture('customers-create', (payload) => {
      payload.token = null;
      payload.line_items = null;
    });
    expect(refuseWebhookBody('customers/update', nulls, shop)).toBeUndefined();
    const noLines = editFixture('refunds-create', (payload) => {
      payload.refund_line_items = [];
    });
    expect(refuseWebhookBody('refunds/create', noLines, shop)).toBeUndefined();
  });
});
