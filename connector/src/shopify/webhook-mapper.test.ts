import fc from 'fast-check';
import {SUPPORTED_TOPICS, TOPIC_MAPPERS} from './topics.js';
import {mapShopifyWebhook} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z', shopCurrency: 'USD'};

describe('mapShopifyWebhook', () => {
  it('has a mapper for every topic the connector subscribes to', () => {
    expect([...SUPPORTED_TOPICS].sort()).toEqual(
      [
        'app/uninstalled',
        'checkouts/create',
        'checkouts/update',
        'customers/create',
        'customers/data_request',
        'customers/delete',
        'customers/redact',
        'customers/update',
        'customers_email_marketing_consent/update',
        'orders/cancelled',
        'orders/create',
        'orders/fulfilled',
        'orders/paid',
        'orders/updated',
        'products/create',
        'products/delete',
        'products/update',
        'refunds/create',
        'shop/redact',
      ].sort(),
    );
    expect(Object.isFrozen(TOPIC_MAPPERS)).toBe(true);
  });

  it('ignores unknown topics without reading the body', () => {
    expect(mapShopifyWebhook('inventory_levels/update', 'not even json', meta)).toEqual({
      ok: true,
      events: [{kind: 'ignored', reason: 'topic "inventory_levels/update" is not synced'}],
    });
    // Inherited object keys are not topics.
    expect(mapShopifyWebhook('constructor', '{}', meta)).toMatchObject({ok: true, events: [{kind: 'ignored'}]});
  });

  it('accepts the topic header in any case and with surrounding blanks', () => {
    expect(mapShopifyWebhook(' Products/Delete ', '{"id": 788032119674292922}', meta)).toEqual({
      ok: true,
      events: [{kind: 'product.delete', productId: '788032119674292922'}],
    });
  });

  it('reports a body that is not JSON', () => {
    const result = mapShopifyWebhook('orders/create', '{"id": 820982911946154508,', meta);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.field).toBeUndefined();
      expect(result.error.message).toMatch(/^body is not valid JSON: /);
    }
  });

  it('reports a JSON array or scalar body', () => {
    expect(mapShopifyWebhook('orders/create', '[{"id": 1}]', meta)).toEqual({
      ok: false,
      error: {message: 'body must be a JSON object, got an array'},
    });
    expect(mapShopifyWebhook('customers/delete', '42', meta)).toEqual({
      ok: false,
      error: {message: 'body must be a JSON object, got the number 42'},
    });
    expect(mapShopifyWebhook('customers/delete', '', meta)).toMatchObject({ok: false});
  });

  it('reports a missing id with its field', () => {
    for (const topic of ['orders/create', 'customers/delete', 'products/delete']) {
      expect(
        mapShopifyWebhook(
          topic,
          '{"updated_at": "2024-01-01T00:00:00Z", "currency": "USD", "total_price": "1.00"}',
          meta,
        ),
      ).toEqual({
        ok: false,
        error: {field: 'id', message: 'required id is missing'},
      });
    }
    expect(mapShopifyWebhook('customers/delete', '{"id": "abc"}', meta)).toEqual({
      ok: false,
      error: {field: 'id', message: 'expected an integer id, got the string "abc"'},
    });
  });

  it('rejects a malformed triggeredAt', () => {
    expect(
      mapShopifyWebhook('customers/delete', '{"id": 1}', {shopDomain: 'x.myshopify.com', triggeredAt: 'soon'}),
    ).toEqual({
      ok: false,
      error: {field: 'meta.triggeredAt', message: 'expected an ISO 8601 timestamp, got "soon"'},
    });
  });

  it('never throws and never fails inside a mapper, whatever the topic and body (property)', () => {
    const topic = fc.oneof(fc.constantFrom(...SUPPORTED_TOPICS), fc.string());
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
      fc
        .dictionary(
          fc.constantFrom(
            'id',
            'customer_id',
            'order_id',
            'token',
            'currency',
            'total_price',
            'updated_at',
            'line_items',
            'customer',
            'email',
            'title',
            'variants',
          ),
          fc.jsonValue({maxDepth: 2}),
        )
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(topic, body, (t, raw) => {
        const result = mapShopifyWebhook(t, raw, meta);
        return result.ok ? Array.isArray(result.events) : !result.error.message.startsWith('mapper failed');
      }),
      {numRuns: 1000},
    );
  });
});
