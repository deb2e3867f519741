/**
 * Reassembles Shopify's bulk JSONL into the nested shape a paginated query returns. Each line is one node; a line
 * with `__parentId` is a node of a nested connection and belongs under the line whose `id` it names. Which field of
 * the parent it belongs to is not in the line: Shopify says to tell by the child's type, so `nesting` maps the gid
 * type of a child (`ProductVariant`) to the field path on its parent (`variants`, `codeDiscount.codes`), where the
 * child is appended to `<field>.nodes`.
 *
 * Grouped output (`groupObjects: true`) puts every descendant right after its root, so only the current root and
 * its descendants are held: a root is yielded as soon as the next root (or the end) arrives. A child whose parent
 * is not in the current root means the file is not grouped, and is an error rather than silently lost data.
 */

export type BulkNesting = Readonly<Record<string, string>>;
export type BulkObject = Record<string, unknown>;

export class BulkJsonlError extends Error {
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`bulk result line ${lineNumber}: ${message}`);
    this.name = 'BulkJsonlError';
  }
}

const GID_TYPE = /^gid:\/\/shopify\/([A-Za-z]+)\//;

function listAt(parent: BulkObject, path: string, lineNumber: number): unknown[] {
  let target: BulkObject = parent;
  const keys = path.split('.');
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next))
      throw new BulkJsonlError(lineNumber, `parent has no object at ${key} to hold ${path}`);
    target = next as BulkObject;
  }
  const last = keys[keys.length - 1]!;
  const holder = (target[last] ??= {nodes: []}) as {nodes?: unknown[]};
  holder.nodes ??= [];
  return holder.nodes;
}

export async function* assembleBulkObjects(
  lines: AsyncIterable<string>,
  nesting: BulkNesting,
): AsyncGenerator<BulkObject, void, undefined> {
  let root: BulkObject | undefined;
  let index = new Map<string, BulkObject>();
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber += 1;
    if (raw.trim() === '') continue;
    let object: BulkObject;
    try {
      object = JSON.parse(raw) as BulkObject;
    } catch {
      throw new BulkJsonlError(lineNumber, 'not valid JSON');
    }
    const parentId = object.__parentId;
    if (parentId === undefined) {
      if (root) yield root;
      root = object;
      index = new Map();
      if (typeof object.id === 'string') index.set(object.id, object);
      continue;
    }
    delete object.__parentId;
    const parent = typeof parentId === 'string' ? index.get(parentId) : undefined;
    if (!parent)
      throw new BulkJsonlError(
        lineNumber,
        `parent ${String(parentId)} is not the current root or one of its descendants (was the operation run with groupObjects: true?)`,
      );
    const type = typeof object.id === 'string' ? GID_TYPE.exec(object.id)?.[1] : undefined;
    const field = type !== undefined && Object.prototype.hasOwnProperty.call(nesting, type) ? nesting[type] : undefined;
    if (field === undefined)
      throw new BulkJsonlError(lineNumber, `no field for child objects of type ${type ?? '(no id)'}`);
    listAt(parent, field, lineNumber).push(object);
    if (typeof object.id === 'string') index.set(object.id, object);
  }
  if (root) yield root;
}
