import type {ConnectionSpec} from './bulk-query-shape.js';

/**
 * Shopify's bulk JSONL layout: one JSON object per line for every node of every connection; a nested connection is
 * removed from its parent's object and each of its nodes follows on its own line with `__parentId` set to the
 * parent's id. Grouped output (the 2025-10 default, `groupObjects: true`) puts every parent's descendants right
 * after it; ungrouped output gives no such guarantee, which the stand-in shows by writing a page's children after
 * all of the page's parents.
 */

type Json = Record<string, unknown>;

function valueAt(object: Json, path: string[]): unknown {
  let value: unknown = object;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Json)[key];
  }
  return value;
}

/** The nodes of a connection value, whether the query asked for `edges { node }` or `nodes`. */
export function connectionNodes(value: unknown): Json[] {
  if (value === null || typeof value !== 'object') return [];
  const connection = value as {edges?: Array<{node?: Json}>; nodes?: Json[]};
  if (Array.isArray(connection.nodes)) return connection.nodes;
  if (Array.isArray(connection.edges)) return connection.edges.map((edge) => edge.node).filter((node): node is Json => node !== undefined);
  return [];
}

/** A copy of `object` without the fields at `paths` (each path a list of response keys). */
function without(object: Json, paths: string[][]): Json {
  const copy: Json = {};
  for (const [key, value] of Object.entries(object)) {
    const matching = paths.filter((path) => path[0] === key);
    if (matching.some((path) => path.length === 1)) continue;
    if (matching.length > 0 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      copy[key] = without(value as Json, matching.map((path) => path.slice(1)));
    } else {
      copy[key] = value;
    }
  }
  return copy;
}

export interface JsonlPage {
  lines: string[];
  roots: number;
}

/** The JSONL lines of one page of root nodes. */
export function jsonlLines(rootNodes: Json[], root: ConnectionSpec, groupObjects: boolean): JsonlPage {
  const lines: string[] = [];
  const deferred: string[] = [];
  const emit = (node: Json, spec: ConnectionSpec, parentId: unknown, depth: number) => {
    const line = without(node, spec.children.map((child) => child.path));
    if (parentId !== undefined) line.__parentId = parentId;
    (groupObjects || depth === 0 ? lines : deferred).push(JSON.stringify(line));
    for (const child of spec.children) {
      for (const childNode of connectionNodes(valueAt(node, child.path))) emit(childNode, child, node.id, depth + 1);
    }
  };
  for (const node of rootNodes) emit(node, root, undefined, 0);
  return {lines: lines.concat(deferred), roots: rootNodes.length};
}

export function rootNodesOf(data: Json | null | undefined, root: ConnectionSpec): Json[] {
  return data ? connectionNodes(valueAt(data, root.path)) : [];
}
