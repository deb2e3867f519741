import {executeSync, parse, validate} from 'graphql';
import {ABANDONED_CHECKOUTS_BULK_QUERY} from '../../../connector/src/shopify-admin/documents/checkout-documents.js';
import {CUSTOMERS_BULK_QUERY} from '../../../connector/src/shopify-admin/documents/customer-documents.js';
import {CODE_DISCOUNTS_BULK_QUERY} from '../../../connector/src/shopify-admin/documents/discount-documents.js';
import {ordersBulkQuery} from '../../../connector/src/shopify-admin/documents/order-documents.js';
import {PRODUCTS_BULK_QUERY} from '../../../connector/src/shopify-admin/documents/product-documents.js';
import {generateStore} from '../data/generate-store.js';
import type {ResolverContext} from '../resolvers/resolver-context.js';
import {buildAdminSchema} from '../schema/admin-schema.js';
import {WebhookSubscriptions} from '../webhooks/webhook-subscriptions.js';
import type {BulkOperations} from './bulk-operations.js';
import {compileBulkQuery} from './bulk-executor.js';

const schema = buildAdminSchema();
const store = generateStore({seed: 12, products: 40, customers: 60, orders: 120, carts: 10, discountCodes: 6});

const context = (): ResolverContext => ({
  store,
  apiVersion: '2025-10',
  bulkOperations: undefined as unknown as BulkOperations,
  webhookSubscriptions: new WebhookSubscriptions(),
  search: [],
  bulk: {first: 1000, after: null},
});

describe('bulk executor', () => {
  it.each([
    ['products', PRODUCTS_BULK_QUERY],
    ['customers', CUSTOMERS_BULK_QUERY],
    ['orders', ordersBulkQuery('financial_status:paid OR financial_status:refunded')],
    ['code discounts (a union)', CODE_DISCOUNTS_BULK_QUERY],
    ['abandoned checkouts', ABANDONED_CHECKOUTS_BULK_QUERY],
    [
      'aliases, fragments, __typename, @include/@skip and repeated fields',
      `query { list: orders(sortKey: CREATED_AT, reverse: true) { edges { node { ...O kind: __typename id
         lineItems { nodes { id price: originalUnitPriceSet { shopMoney { amount } } } } } } } }
       fragment O on Order { id name customer { id email @include(if: true) phone @skip(if: true) } totalPriceSet { shopMoney { amount } } }`,
    ],
  ])('gives exactly what graphql-js gives: %s', (_name, query) => {
    const document = parse(query);
    expect(validate(schema, document)).toStrictEqual([]);
    const reference = executeSync({schema, document, contextValue: context()});
    expect(reference.errors).toBeUndefined();
    const fast = compileBulkQuery(schema, document).execute(context());
    expect(JSON.parse(JSON.stringify(fast.data))).toStrictEqual(JSON.parse(JSON.stringify(reference.data)));
  });

  it('throws on a null in a non-null field instead of writing a wrong line', () => {
    const broken = generateStore({seed: 1, products: 1, customers: 0, orders: 0});
    broken.updateProduct(broken.products.all()[0]!.id, (product) => {
      (product as {title: unknown}).title = null;
    });
    const compiled = compileBulkQuery(schema, parse('{ products { edges { node { id title } } } }'));
    expect(() => compiled.execute({...context(), store: broken})).toThrow('null for non-null Product.title');
  });
});
