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
  if (Array.isArray(connection.edges))
    return connection.edges.map((edge) => edge.node).filter((node): node is Json => node !== undefined);
  return [];
}

/**
 * Takes the connection at `path` out of `object` (which the executor built for this run only) and returns it.
 * The field is set to undefined rather than deleted: JSON.stringify leaves it out, and the object keeps its shape.
 */
function detach(object: Json, path: string[]): unknown {
  let holder: unknown = object;
  for (const key of path.slice(0, -1)) {
    if (holder === null || typeof holder !== 'object') return undefined;
    holder = (holder as Json)[key];
  }
  if (holder === null || typeof holder !== 'object') return undefined;
  const last = path[path.length - 1]!;
  const value = (holder as Json)[last];
  (holder as Json)[last] = undefined;
  return value;
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
    const children = spec.children.map((child) => connectionNodes(detach(node, child.path)));
    if (parentId !== undefined) node.__parentId = parentId;
    (groupObjects || depth === 0 ? lines : deferred).push(JSON.stringify(node));
    spec.children.forEach((child, i) => {
      for (const childNode of children[i]!) emit(childNode, child, node.id, depth + 1);
    });
  };
  for (const node of rootNodes) emit(node, root, undefined, 0);
  return {lines: lines.concat(deferred), roots: rootNodes.length};
}

export function rootNodesOf(data: Json | null | undefined, root: ConnectionSpec): Json[] {
  return data ? connectionNodes(valueAt(data, root.path)) : [];
}
