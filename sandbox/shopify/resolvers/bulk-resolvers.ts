import {parseGid} from '../schema/scalars.js';
import type {ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

export const bulkResolvers: ResolverMap = {
  Mutation: {
    bulkOperationRunQuery: (_root: unknown, args: {query: string; groupObjects: boolean}, context: ResolverContext) =>
      context.bulkOperations.start(args.query, args.groupObjects, context.apiVersion),
    bulkOperationCancel: (_root: unknown, args: {id: string}, context: ResolverContext) => {
      const id = parseGid(args.id, 'BulkOperation');
      return id === undefined
        ? {bulkOperation: null, userErrors: [{field: ['id'], message: 'Bulk operation does not exist'}]}
        : context.bulkOperations.cancel(id);
    },
  },
};
