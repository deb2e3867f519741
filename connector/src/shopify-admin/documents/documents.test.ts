import {startShopifySandbox, type ShopifySandbox} from '../../../../sandbox/shopify/index.js';
import {ShopifyAdminClient} from '../admin-client.js';
import {startBulkQuery, waitForBulkOperation} from '../bulk-query.js';
import {ABANDONED_CHECKOUTS_BULK_QUERY, ABANDONED_CHECKOUTS_PAGE, CHECKOUTS_PAGE_SIZE} from './checkout-documents.js';
import {CUSTOMERS_BULK_QUERY, CUSTOMERS_PAGE, CUSTOMERS_PAGE_SIZE} from './customer-documents.js';
import {CODE_DISCOUNTS_BULK_QUERY, CODE_DISCOUNTS_PAGE, CODE_DISCOUNTS_PAGE_SIZE} from './discount-documents.js';
import {CUSTOMER_CONSENT_UPDATE, CUSTOMER_UPDATE} from './mutation-documents.js';
import {ORDER_LINE_ITEMS_PAGE, ordersBulkQuery, ORDERS_PAGE, ORDERS_PAGE_SIZE} from './order-documents.js';
import {PRODUCT_VARIANTS_PAGE, PRODUCTS_BULK_QUERY, PRODUCTS_PAGE, PRODUCTS_PAGE_SIZE} from './product-documents.js';
import {SHOP_AND_COUNTS, SHOP_CURRENCY} from './shop-documents.js';
import {WEBHOOK_SUBSCRIPTIONS_PAGE, WEBHOOK_SUBSCRIPTIONS_PAGE_SIZE} from './webhook-documents.js';

/**
 * The documents are checked against the stand-in's copy of Shopify's schema: each validates, costs at most the
 * 1,000 points Shopify allows per query at the page size it is used with, and each bulk query passes Shopify's
 * bulk restrictions.
 */
describe('Admin API documents', () => {
  let sandbox: ShopifySandbox;
  let client: ShopifyAdminClient;

  beforeAll(async () => {
    sandbox = await startShopifySandbox({
      seed: 8,
      products: 10,
      customers: 10,
      orders: 10,
      carts: 3,
      discountCodes: 3,
      throttle: false,
      bulk: {pageSize: 5},
    });
    client = new ShopifyAdminClient({
      shopDomain: sandbox.shopDomain,
      accessToken: sandbox.accessToken,
      adminUrl: sandbox.adminUrl,
    });
  });
  afterAll(() => sandbox.close());

  const order = () => `gid://shopify/Order/${sandbox.state.orders.all()[0]!.id}`;
  const product = () => `gid://shopify/Product/${sandbox.state.products.all()[0]!.id}`;

  it.each([
    ['PRODUCTS_PAGE', () => client.request(PRODUCTS_PAGE, {first: PRODUCTS_PAGE_SIZE})],
    ['PRODUCT_VARIANTS_PAGE', () => client.request(PRODUCT_VARIANTS_PAGE, {id: product(), first: 100})],
    ['CUSTOMERS_PAGE', () => client.request(CUSTOMERS_PAGE, {first: CUSTOMERS_PAGE_SIZE})],
    ['ORDERS_PAGE', () => client.request(ORDERS_PAGE, {first: ORDERS_PAGE_SIZE, query: 'test:false'})],
    ['ORDER_LINE_ITEMS_PAGE', () => client.request(ORDER_LINE_ITEMS_PAGE, {id: order(), first: 100})],
    ['CODE_DISCOUNTS_PAGE', () => client.request(CODE_DISCOUNTS_PAGE, {first: CODE_DISCOUNTS_PAGE_SIZE})],
    ['ABANDONED_CHECKOUTS_PAGE', () => client.request(ABANDONED_CHECKOUTS_PAGE, {first: CHECKOUTS_PAGE_SIZE})],
    ['SHOP_AND_COUNTS', () => client.request(SHOP_AND_COUNTS, {ordersQuery: null})],
    ['SHOP_CURRENCY', () => client.request(SHOP_CURRENCY, {})],
    [
      'WEBHOOK_SUBSCRIPTIONS_PAGE',
      () => client.request(WEBHOOK_SUBSCRIPTIONS_PAGE, {first: WEBHOOK_SUBSCRIPTIONS_PAGE_SIZE}),
    ],
  ])('%s validates and stays within 1,000 points', async (_name, run) => {
    const result = await run();
    expect(result.cost?.requestedQueryCost).toBeGreaterThan(0);
    expect(result.cost?.requestedQueryCost).toBeLessThanOrEqual(1000);
  });

  it.each([
    ['PRODUCTS_BULK_QUERY', PRODUCTS_BULK_QUERY],
    ['CUSTOMERS_BULK_QUERY', CUSTOMERS_BULK_QUERY],
    ['ordersBulkQuery()', ordersBulkQuery('created_at:>=2024-01-01')],
    ['CODE_DISCOUNTS_BULK_QUERY', CODE_DISCOUNTS_BULK_QUERY],
    ['ABANDONED_CHECKOUTS_BULK_QUERY', ABANDONED_CHECKOUTS_BULK_QUERY],
  ])('%s is accepted as a bulk query and completes', async (_name, query) => {
    const started = await startBulkQuery(client, query);
    const finished = await waitForBulkOperation(client, started.id, {pollIntervalMs: 5, maxPollIntervalMs: 20});
    expect(finished.status).toBe('COMPLETED');
  });

  it('the mutations validate (a refusal is a userError, not a GraphQL error)', async () => {
    const customer = sandbox.state.customers.all().find((c) => c.email !== null)!;
    const consent = await client.query(CUSTOMER_CONSENT_UPDATE, {
      input: {
        customerId: `gid://shopify/Customer/${customer.id}`,
        emailMarketingConsent: {marketingState: 'UNSUBSCRIBED'},
      },
    });
    expect(consent.customerEmailMarketingConsentUpdate?.customer?.emailMarketingConsent?.marketingState).toBe(
      'UNSUBSCRIBED',
    );
    const update = await client.query(CUSTOMER_UPDATE, {input: {id: 'gid://shopify/Customer/1', firstName: 'Nobody'}});
    expect(update.customerUpdate?.userErrors).toStrictEqual([{field: ['id'], message: 'Customer does not exist'}]);
  });
});
