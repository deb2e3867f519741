import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {editFixture, readFixture} from '../shopify/fixtures/read-fixture.js';
import type {InboxEvent} from '../store/inbox-repository.js';
import {shopifyInboxMapper} from '../shopify/inbox-mapper.js';
import {ingestInboxMapper} from './generic/inbox-mapper.js';

const shop = {shopDomain: 'example-store.myshopify.com', currency: 'USD'};
const event = (source: InboxEvent['source'], topic: string, payload: string): InboxEvent => ({
  id: 1,
  connection_id: 'c1',
  source,
  topic,
  dedupe_key: 'k',
  received_at: '2026-01-01T00:00:00Z',
  triggered_at: null,
  payload,
  status: 'pending',
  attempts: 0,
  processed_at: null,
  error: null,
});
const ingestFixture = (name: string) => readFileSync(join(__dirname, 'generic', 'fixtures', `${name}.json`), 'utf8');

describe('the shop currency stated by an inbox event', () => {
  it("a Shopify order states it (its `currency` is the shop's)", () => {
    const eur = editFixture('orders-create', (d) => {
      d.currency = 'EUR';
      d.presentment_currency = 'CHF';
    });
    const mapped = shopifyInboxMapper(event('shopify', 'orders/create', eur), shop);
    expect(mapped).toMatchObject({ok: true, shopCurrency: {currency: 'EUR', source: 'order'}});
  });

  it("a Shopify product (no currency in the payload) and a checkout (the buyer's presentment currency) do not", () => {
    const product = shopifyInboxMapper(event('shopify', 'products/create', readFixture('products-create')), shop);
    expect(product.ok && product.shopCurrency).toBeFalsy();
    const checkout = shopifyInboxMapper(
      event(
        'shopify',
        'checkouts/create',
        editFixture('checkouts-create', (d) => (d.presentment_currency = 'CHF')),
      ),
      shop,
    );
    expect(checkout.ok && checkout.shopCurrency).toBeFalsy();
  });

  it('a generic-ingest order or product states it (both carry a required currency); a cart does not', () => {
    expect(ingestInboxMapper(event('ingest', 'order.upsert', ingestFixture('order.upsert')), shop)).toMatchObject({
      ok: true,
      shopCurrency: {currency: 'EUR', source: 'order'},
    });
    expect(ingestInboxMapper(event('ingest', 'product.upsert', ingestFixture('product.upsert')), shop)).toMatchObject({
      ok: true,
      shopCurrency: {currency: 'EUR', source: 'product'},
    });
    const cart = ingestInboxMapper(event('ingest', 'cart.upsert', ingestFixture('cart.upsert')), shop);
    expect(cart.ok && cart.shopCurrency).toBeFalsy();
  });
});
