import {startShopifySandbox, type ShopifySandbox} from '../../../sandbox/shopify/index.js';
import {
  ABANDONED_CHECKOUTS_PAGE,
  CODE_DISCOUNTS_PAGE,
  CUSTOMERS_PAGE,
  ORDERS_PAGE,
  PRODUCTS_PAGE,
  ShopifyAdminClient,
} from '../shopify-admin/index.js';
import type {SourcePhase} from './backfill-source.js';
import {PAGE_QUERY_COSTS} from './shopify-backfill-source.js';

/**
 * The page costs the read-mode estimate weighs are what the Admin API requests for the backfill's page queries
 * (the stand-in computes Shopify's documented cost rules): a document changed without its cost fails here.
 */
describe('page query costs of the backfill', () => {
  let sandbox: ShopifySandbox;
  let client: ShopifyAdminClient;

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 5,
      products: 3,
      customers: 3,
      orders: 3,
      carts: 2,
      discountCodes: 2,
      throttle: false,
    });
    client = new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
    });
  });
  afterAll(() => sandbox.close());

  const requested = async (phase: SourcePhase): Promise<number | undefined> => {
    const variables = {first: PAGE_QUERY_COSTS[phase].pageSize, query: null};
    const result = await (() => {
      switch (phase) {
        case 'products':
          return client.request(PRODUCTS_PAGE, variables);
        case 'customers':
          return client.request(CUSTOMERS_PAGE, variables);
        case 'promos':
          return client.request(CODE_DISCOUNTS_PAGE, variables);
        case 'orders':
          return client.request(ORDERS_PAGE, variables);
        case 'carts':
          return client.request(ABANDONED_CHECKOUTS_PAGE, variables);
      }
    })();
    return result.cost?.requestedQueryCost;
  };

  it.each(Object.keys(PAGE_QUERY_COSTS) as SourcePhase[])('%s', async (phase) => {
    expect(await requested(phase)).toBe(PAGE_QUERY_COSTS[phase].requestedCost);
  });

  it('the client reports the bucket the shop last answered with', async () => {
    const fresh = new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
    });
    expect(fresh.throttleStatus()).toBeUndefined();
    await fresh.request(CUSTOMERS_PAGE, {first: 1, query: null});
    expect(fresh.throttleStatus()).toMatchObject({maximumAvailable: 2000, restoreRate: 100});
  });
});
