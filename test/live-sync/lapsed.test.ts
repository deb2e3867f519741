import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {orderPayload} from '../support/shopify-webhooks.js';

const DAY = 86_400_000;

describe('lapsed buyers (time-driven tags)', () => {
  let t: TestConnector;
  let clock = Date.parse('2026-11-23T12:00:00Z');
  beforeEach(async () => {
    clock = Date.parse('2026-11-23T12:00:00Z');
    t = await startTestConnector({now: () => new Date(clock), env: {LAPSED_AFTER_DAYS: '30'}});
  });
  afterEach(() => t.close());

  it('tags a buyer lapsed once N days pass without a purchase, once', async () => {
    const email = 'quiet@shop.test';
    const bought = new Date(clock - 10 * DAY).toISOString();
    await t.webhook(
      'orders/create',
      orderPayload({
        id: '501',
        customer: {id: '9', email},
        financialStatus: 'paid',
        updatedAt: bought,
        lines: [{id: '1', productId: null, variantId: null, title: 'Tea', priceMinor: 900, quantity: 1}],
      }),
    );
    await t.settle();
    const tags = () =>
      t.list.members
        .get(subscriberHash(email))
        ?.tags.map((tag) => tag.name)
        .sort();
    expect(tags()).toEqual(['customer', 'first-time-buyer']);
    expect(await t.connector.refreshLapsed()).toBe(0); // 10 of 30 days: not yet

    clock += 21 * DAY;
    expect(await t.connector.refreshLapsed()).toBe(1);
    await t.settle();
    expect(tags()).toEqual(['customer', 'first-time-buyer', 'lapsed']);
    expect(await t.connector.refreshLapsed()).toBe(0); // idempotent
  });
});
