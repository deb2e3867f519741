import {GraphQLError} from 'graphql';
import {compileSearch} from '../query/search-filter.js';
import {
  CHECKOUT_SEARCH,
  CUSTOMER_SEARCH,
  discountSearch,
  ORDER_SEARCH,
  PRODUCT_SEARCH,
} from '../query/search-schemas.js';
import {gid, gidType, parseGid} from '../schema/scalars.js';
import {tableConnection, tableCount, type ConnectionArgs, type ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

type CountArgs = {query?: string | null; limit?: number | null};

const tagged = (typename: string, record: object | undefined | null) =>
  record ? {...record, __typename: typename} : null;

/** `node(id:)`: the record behind a gid, tagged with its GraphQL type; null when there is none. */
export function resolveNode(id: string, context: ResolverContext): unknown {
  const type = gidType(id);
  const numeric = parseGid(id);
  if (type === undefined || numeric === undefined)
    throw new GraphQLError(`Invalid global id '${id}'`, {extensions: {code: 'argumentLiteralsIncompatible'}});
  const store = context.store;
  switch (type) {
    case 'Product':
      return tagged('Product', store.products.get(numeric));
    case 'ProductVariant':
      return tagged('ProductVariant', store.variant(numeric));
    case 'Customer':
      return tagged('Customer', store.customers.get(numeric));
    case 'Order':
      return tagged('Order', store.orders.get(numeric));
    case 'DiscountCodeNode':
      return tagged('DiscountCodeNode', store.discounts.get(numeric));
    case 'AbandonedCheckout':
      return tagged('AbandonedCheckout', store.checkouts.get(numeric));
    case 'WebhookSubscription':
      return tagged('WebhookSubscription', context.webhookSubscriptions.get(numeric));
    case 'BulkOperation':
      return tagged('BulkOperation', context.bulkOperations.view(numeric));
    default:
      return null;
  }
}

const byGid =
  <R>(type: string, lookup: (id: number, context: ResolverContext) => R | undefined) =>
  (_root: unknown, args: {id: string}, context: ResolverContext) => {
    const id = parseGid(args.id, type);
    return id === undefined ? null : (lookup(id, context) ?? null);
  };

export const queryResolvers: ResolverMap = {
  QueryRoot: {
    shop: (_root: unknown, _args: unknown, context: ResolverContext) => {
      const shop = context.store.shop;
      return {
        id: gid('Shop', shop.id),
        name: shop.name,
        email: shop.email,
        contactEmail: shop.email,
        myshopifyDomain: shop.myshopifyDomain,
        currencyCode: shop.currencyCode,
        ianaTimezone: shop.ianaTimezone,
        primaryDomain: {
          id: gid('Domain', shop.id),
          host: new URL(shop.primaryDomainUrl).host,
          url: shop.primaryDomainUrl,
          sslEnabled: true,
        },
        billingAddress: {
          id: gid('ShopAddress', shop.id),
          ...shop.billingAddress,
          countryCodeV2: shop.billingAddress.countryCode,
        },
      };
    },
    node: (_root: unknown, args: {id: string}, context: ResolverContext) => resolveNode(args.id, context),
    nodes: (_root: unknown, args: {ids: string[]}, context: ResolverContext) =>
      args.ids.map((id) => resolveNode(id, context)),

    products: (_root: unknown, args: ConnectionArgs, context: ResolverContext) =>
      tableConnection(context.store.products, PRODUCT_SEARCH, args, context, 'products'),
    product: byGid('Product', (id, context) => context.store.products.get(id)),
    productVariant: byGid('ProductVariant', (id, context) => context.store.variant(id)),
    productsCount: (_root: unknown, args: CountArgs, context: ResolverContext) =>
      tableCount(context.store.products, PRODUCT_SEARCH, args, context, 'productsCount'),

    customers: (_root: unknown, args: ConnectionArgs, context: ResolverContext) =>
      tableConnection(context.store.customers, CUSTOMER_SEARCH, args, context, 'customers'),
    customer: byGid('Customer', (id, context) => context.store.customers.get(id)),
    customersCount: (_root: unknown, args: CountArgs, context: ResolverContext) =>
      tableCount(context.store.customers, CUSTOMER_SEARCH, args, context, 'customersCount'),

    orders: (_root: unknown, args: ConnectionArgs, context: ResolverContext) =>
      tableConnection(context.store.orders, ORDER_SEARCH, args, context, 'orders'),
    order: byGid('Order', (id, context) => context.store.orders.get(id)),
    ordersCount: (_root: unknown, args: CountArgs, context: ResolverContext) =>
      tableCount(context.store.orders, ORDER_SEARCH, args, context, 'ordersCount'),

    codeDiscountNodes: (_root: unknown, args: ConnectionArgs, context: ResolverContext) =>
      tableConnection(
        context.store.discounts,
        discountSearch(() => context.store.now()),
        args,
        context,
        'codeDiscountNodes',
      ),
    codeDiscountNode: byGid('DiscountCodeNode', (id, context) => context.store.discounts.get(id)),
    codeDiscountNodeByCode: (_root: unknown, args: {code: string}, context: ResolverContext) =>
      context.store.discountByCode(args.code) ?? null,
    // Counts redeem codes (a discount may have several), not discounts.
    discountCodesCount: (_root: unknown, args: {query?: string | null}, context: ResolverContext) => {
      const search = compileSearch(
        args.query,
        discountSearch(() => context.store.now()),
      );
      let count = 0;
      for (const discount of context.store.discounts.all())
        if (search.matches(discount)) count += discount.codes.length;
      return {count, precision: 'EXACT'};
    },

    abandonedCheckouts: (_root: unknown, args: ConnectionArgs, context: ResolverContext) =>
      tableConnection(context.store.checkouts, CHECKOUT_SEARCH, args, context, 'abandonedCheckouts'),
    abandonedCheckoutsCount: (_root: unknown, args: CountArgs, context: ResolverContext) =>
      tableCount(context.store.checkouts, CHECKOUT_SEARCH, args, context, 'abandonedCheckoutsCount'),

    currentBulkOperation: (_root: unknown, args: {type?: string | null}, context: ResolverContext) =>
      context.bulkOperations.current(args.type ?? 'QUERY'),
  },
};
