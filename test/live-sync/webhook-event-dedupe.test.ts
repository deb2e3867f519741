import {startTestConnector, type TestConnector} from '../support/connector.js';
import {productPayload} from '../support/shopify-webhooks.js';

// An installed shop may hold the app-wide subscriptions of shopify.app.toml and the per-shop ones the connector
// registers; Shopify then delivers each event once per subscription, with one X-Shopify-Event-Id and two webhook ids.
describe('Shopify deliveries of one event through two subscriptions', () => {
  let t: TestConnector;
  beforeAll(async () => {
    t = await startTestConnector();
  });
  afterAll(() => t.close());

  const body = productPayload({
    id: '501',
    title: 'Mug',
    handle: 'mug',
    variants: [{id: '5011', title: 'Default', priceMinor: 900}],
    updatedAt: '2026-11-01T00:00:00Z',
  });

  it('stores the event once: the second subscription delivery is a duplicate', async () => {
    const first = await t.webhook('products/create', body, {webhookId: 'w-toml', eventId: 'ev-1'});
    const second = await t.webhook('products/create', body, {webhookId: 'w-shop', eventId: 'ev-1'});
    expect(first.body.duplicate).toBe(false);
    expect(second.body).toMatchObject({accepted: true, duplicate: true, id: first.body.id});
  });

  it('keeps another topic of the same event, and deliveries without an event id by their webhook id', async () => {
    const other = await t.webhook('products/update', body, {webhookId: 'w-upd', eventId: 'ev-1'});
    expect(other.body.duplicate).toBe(false);
    const a = await t.webhook('products/update', body, {webhookId: 'w-a'});
    const b = await t.webhook('products/update', body, {webhookId: 'w-b'});
    const aRetry = await t.webhook('products/update', body, {webhookId: 'w-a'});
    expect([a.body.duplicate, b.body.duplicate, aRetry.body.duplicate]).toEqual([false, false, true]);
  });
});
