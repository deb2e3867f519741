import {startShopifySandbox, type ShopifySandbox} from '../../sandbox/shopify/index.js';
import type {BackfillRun} from '../../connector/src/backfill/backfill-service.js';
import {startTestConnector, TEST_SHOP, type TestConnector, type TestConnectorOptions} from './connector.js';

export interface GeneratedShopSize {
  products: number;
  customers: number;
  orders: number;
  carts: number;
  discountCodes: number;
}

export interface BackfillShop {
  shopify: ShopifySandbox;
  t: TestConnector;
  /** Starts a backfill through the operator API, waits for it and for the sync to settle. */
  backfill(): Promise<BackfillRun>;
  close(): Promise<void>;
}

/**
 * A generated Shopify shop (the Admin API stand-in, Shopify Plus restore rate: throttling has its own tests) connected
 * to a running connector that reads it by pages (`bulkThreshold` decides when bulk operations are used).
 */
export async function startBackfillShop(
  size: GeneratedShopSize,
  options: {seed: number; bulkThreshold?: number; connector?: Pick<TestConnectorOptions, 'sandbox'>},
): Promise<BackfillShop> {
  const shopify = await startShopifySandbox({
    ...size,
    seed: options.seed,
    shopDomain: TEST_SHOP,
    currencyCode: 'USD',
    throttle: {maximumAvailable: 20_000, restoreRate: 1_000},
  });
  const t = await startTestConnector({
    ...options.connector,
    env: {
      SHOPIFY_ACCESS_TOKEN: shopify.accessToken,
      SHOPIFY_ADMIN_URL: shopify.adminUrl,
      BACKFILL_BULK_THRESHOLD: String(options.bulkThreshold ?? 1_000_000),
      LAPSED_AFTER_DAYS: '36500',
    },
    backfill: {runner: {pollInitialMs: 5, pollMaxMs: 20}, idleMs: 10, shopifyPollMs: 10},
  });
  t.connector.start();
  return {
    shopify,
    t,
    async backfill() {
      const started = await t.http().post('/v1/backfill').set('Authorization', `Bearer ${t.adminToken}`).send({});
      if (started.status !== 202)
        throw new Error(`backfill not started: ${started.status} ${JSON.stringify(started.body)}`);
      const run = await t.connector.backfill.wait(started.body.id);
      await t.settle();
      return run;
    },
    async close() {
      await t.close();
      await shopify.close();
    },
  };
}
