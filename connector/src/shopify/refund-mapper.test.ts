import {readFixture, editFixture} from './fixtures/read-fixture.js';
import {mapShopifyWebhook} from './webhook-mapper.js';

const meta = {shopDomain: 'example-store.myshopify.com', triggeredAt: '2025-07-10T16:15:47Z'};
const usd = (minor: number) => ({minor, currency: 'USD'});
const sampleLines = [
  {lineId: '487817672276298554', quantity: 1, subtotal: usd(8999)},
  {lineId: '789012345678901234', quantity: 1, subtotal: usd(1999)},
];

describe('refunds/create', () => {
  it('maps the sample: amount is the money the successful refund transactions returned', () => {
    expect(mapShopifyWebhook('refunds/create', readFixture('refunds-create'), meta)).toStrictEqual({
      ok: true,
      events: [
        {
          kind: 'refund.create',
          orderId: '820982911946154508',
          refund: {
            id: '890088186047892319',
            createdAt: '2022-01-01T00:00:00.000Z',
            amount: usd(8500),
            lines: sampleLines,
          },
        },
      ],
    });
  });

  it('without refund transactions, computes lines + tax − adjustments (a shipping refund adds)', () => {
    const raw = editFixture('refunds-create', (payload) => {
      payload.transactions = [];
    });
    const result = mapShopifyWebhook('refunds/create', raw, meta);
    expect(result.ok && result.events[0]).toMatchObject({refund: {amount: usd(8999 + 1999 + 1000)}});
  });

  it('does not use transactions in another (presentment) currency', () => {
    const raw = editFixture('refunds-create', (payload) => {
      payload.transactions = [{kind: 'refund', status: 'success', amount: '70.00', currency: 'CAD'}];
    });
    const result = mapShopifyWebhook('refunds/create', raw, meta);
    expect(result.ok && result.events[0]).toMatchObject({refund: {amount: usd(11998)}});
  });

  it('counts nothing for refund transactions that have not succeeded', () => {
    const raw = editFixture('refunds-create', (payload) => {
      payload.transactions = [{kind: 'refund', status: 'pending', amount: '85.00', currency: 'USD'}];
    });
    const result = mapShopifyWebhook('refunds/create', raw, meta);
    expect(result.ok && result.events[0]).toMatchObject({refund: {amount: usd(0)}});
  });

  it('needs a shop currency: from the money sets, else meta.shopCurrency', () => {
    const bare =
      '{"id": 890088186047892319, "order_id": 820982911946154508, "created_at": "2022-01-01T00:00:00Z", "refund_line_items": [], "transactions": [{"kind": "refund", "status": "success", "amount": "5.00"}]}';
    expect(mapShopifyWebhook('refunds/create', bare, meta)).toEqual({
      ok: false,
      error: {
        field: 'refund_line_items',
        message: 'no shop currency in the refund (no shop_money sets) and no shopCurrency in meta',
      },
    });
    const result = mapShopifyWebhook('refunds/create', bare, {...meta, shopCurrency: 'eur'});
    expect(result.ok && result.events[0]).toMatchObject({
      orderId: '820982911946154508',
      refund: {amount: {minor: 500, currency: 'EUR'}, lines: []},
    });
  });

  it('rejects a refund without order_id', () => {
    const raw = editFixture('refunds-create', (payload) => {
      delete payload.order_id;
    });
    expect(mapShopifyWebhook('refunds/create', raw, meta)).toEqual({
      ok: false,
      error: {field: 'order_id', message: 'required id is missing'},
    });
  });
});
