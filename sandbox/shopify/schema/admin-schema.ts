import {buildSchema, isObjectType, type GraphQLSchema} from 'graphql';
import {bulkResolvers} from '../resolvers/bulk-resolvers.js';
import {catalogResolvers} from '../resolvers/catalog-resolvers.js';
import {customerMutations} from '../resolvers/customer-mutations.js';
import {customerResolvers} from '../resolvers/customer-resolvers.js';
import {checkoutResolvers, discountResolvers} from '../resolvers/discount-resolvers.js';
import {discountMutations} from '../resolvers/discount-mutations.js';
import {webhookResolvers} from '../resolvers/webhook-resolvers.js';
import {orderResolvers} from '../resolvers/order-resolvers.js';
import {queryResolvers} from '../resolvers/query-resolvers.js';
import {mergeResolvers, type ResolverMap} from '../resolvers/resolver-map.js';
import {COMMON_SDL} from './sdl-common.js';
import {RESOURCES_SDL} from './sdl-resources.js';
import {ROOT_SDL} from './sdl-root.js';
import {WEBHOOKS_SDL} from './sdl-webhooks.js';

export const ADMIN_SDL = [COMMON_SDL, RESOURCES_SDL, ROOT_SDL, WEBHOOKS_SDL].join('\n');

export const ADMIN_RESOLVERS: ResolverMap = mergeResolvers(
  queryResolvers,
  catalogResolvers,
  customerResolvers,
  orderResolvers,
  discountResolvers,
  checkoutResolvers,
  customerMutations,
  discountMutations,
  bulkResolvers,
  webhookResolvers,
);

/** The executable schema: the SDL subset with the stand-in's resolvers attached (a field without one reads its property). */
export function buildAdminSchema(): GraphQLSchema {
  const schema = buildSchema(ADMIN_SDL);
  for (const [typeName, fields] of Object.entries(ADMIN_RESOLVERS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`resolvers for ${typeName}, which is not an object type of the schema`);
    const defs = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = defs[fieldName];
      if (!field) throw new Error(`resolver for ${typeName}.${fieldName}, which the schema does not have`);
      field.resolve = resolve;
    }
  }
  return schema;
}
