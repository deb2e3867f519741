import type {ResolverContext} from './resolver-context.js';

/** Field resolvers by type and field name; fields without one read the property of the same name. */
// Sources and arguments differ per field; each resolver narrows them itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldResolver = (source: any, args: any, context: ResolverContext) => unknown;

export type ResolverMap = Record<string, Record<string, FieldResolver>>;

export function mergeResolvers(...maps: ResolverMap[]): ResolverMap {
  const merged: ResolverMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) merged[type] = {...merged[type], ...fields};
  }
  return merged;
}
