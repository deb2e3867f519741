import {paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {LineRecord, SandboxState, StoreRecord} from '../../core/state.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {bodyObject, itemPath, missingFields, optInteger, optNumber, optString} from './input.js';
import {collectionLinks, itemLinks, paths, seg, type ApiUrl} from './links.js';
import {requireStore} from './stores.js';

/**
 * Order and cart lines. Every line must name a product and a variant the store knows, or the whole write is refused
 * with Mailchimp's Bad Request texts (§9.9): the product is checked first, then the variant.
 */

export type LineParent = 'order' | 'cart';

type LineInput = Partial<
  Pick<LineRecord, 'id' | 'product_id' | 'product_variant_id' | 'quantity' | 'price' | 'discount'>
>;

const REQUIRED = ['id', 'product_id', 'product_variant_id', 'quantity', 'price'] as const;

function readLine(raw: unknown, path: string, kind: LineParent): LineInput {
  const body = bodyObject(raw, path);
  return {
    id: optString(body, 'id', path),
    product_id: optString(body, 'product_id', path),
    product_variant_id: optString(body, 'product_variant_id', path),
    quantity: optInteger(body, 'quantity', path),
    price: optNumber(body, 'price', path),
    // Cart lines have no discount in the spec.
    discount: kind === 'order' ? optNumber(body, 'discount', path) : undefined,
  };
}

type CatalogFacts = Pick<LineRecord, 'product_title' | 'product_variant_title' | 'image_url'>;

/** Product and variant titles and image as the catalog has them now, or why the line cannot be written. */
function lookUpFacts(
  store: StoreRecord,
  productId: string,
  variantId: string,
): CatalogFacts | 'no-product' | 'no-variant' {
  const product = store.products.get(productId);
  if (!product) return 'no-product';
  const variant = product.variants.get(variantId);
  if (!variant) return 'no-variant';
  return {
    product_title: product.title,
    product_variant_title: variant.title,
    image_url: variant.image_url || product.image_url || '',
  };
}

function catalogFacts(store: StoreRecord, productId: string, variantId: string): CatalogFacts {
  const facts = lookUpFacts(store, productId, variantId);
  if (facts === 'no-product') throw ecommerceProblems.productMissing();
  if (facts === 'no-variant') throw ecommerceProblems.variantMissing();
  return facts;
}

/** A complete line from an input that must carry every required field. */
function buildLine(store: StoreRecord, input: LineInput, path: string): LineRecord {
  const missing = REQUIRED.filter((k) => input[k] === undefined);
  if (missing.length > 0) throw missingFields(missing, path);
  const line = input as Required<Pick<LineInput, (typeof REQUIRED)[number]>> & LineInput;
  return {
    id: line.id,
    product_id: line.product_id,
    product_variant_id: line.product_variant_id,
    quantity: line.quantity,
    price: line.price,
    discount: line.discount ?? 0,
    ...catalogFacts(store, line.product_id, line.product_variant_id),
  };
}

/** The line with the changed fields applied; product and variant are checked again when either changes. */
function changedLine(store: StoreRecord, line: LineRecord, input: LineInput): LineRecord {
  const next: LineRecord = {...line};
  for (const key of ['product_id', 'product_variant_id', 'quantity', 'price', 'discount'] as const) {
    const value = input[key];
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (next.product_id !== line.product_id || next.product_variant_id !== line.product_variant_id) {
    Object.assign(next, catalogFacts(store, next.product_id, next.product_variant_id));
  }
  return next;
}

/** The lines of a new order or cart (`lines` of a POST body); duplicate line ids are refused. */
export function newLines(store: StoreRecord, items: unknown[], kind: LineParent, path = 'lines'): LineRecord[] {
  const lines = items.map((item, i) => buildLine(store, readLine(item, itemPath(path, i), kind), itemPath(path, i)));
  if (new Set(lines.map((l) => l.id)).size !== lines.length) throw ecommerceProblems.duplicateLine(kind);
  return lines;
}

/**
 * PATCH of an order or cart: `lines` items are matched by id — known ones are updated, new ones added, the others
 * stay (the spec says PATCH replaces `promos` and says so for nothing else). Returns the new list without writing.
 */
export function mergedLines(
  store: StoreRecord,
  existing: readonly LineRecord[],
  items: unknown[],
  kind: LineParent,
  path = 'lines',
): LineRecord[] {
  const out = [...existing];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const p = itemPath(path, i);
    const input = readLine(item, p, kind);
    if (input.id === undefined) throw missingFields(['id'], p);
    if (seen.has(input.id)) throw ecommerceProblems.duplicateLine(kind);
    seen.add(input.id);
    const at = out.findIndex((l) => l.id === input.id);
    if (at >= 0) out[at] = changedLine(store, out[at]!, input);
    else out.push(buildLine(store, input, p));
  });
  return out;
}

/** A line as Mailchimp shows it; titles and image follow the catalog while the product and variant exist. */
export function lineView(
  store: StoreRecord,
  line: LineRecord,
  kind: LineParent,
  api: ApiUrl,
  parentPath: string,
): Record<string, unknown> {
  const current = lookUpFacts(store, line.product_id, line.product_variant_id);
  // After the product or variant was deleted, the line shows what it had when it was written.
  const facts = typeof current === 'string' ? line : current;
  const view: Record<string, unknown> = {
    id: line.id,
    product_id: line.product_id,
    product_title: facts.product_title,
    product_variant_id: line.product_variant_id,
    product_variant_title: facts.product_variant_title,
  };
  if (kind === 'order') view.image_url = facts.image_url;
  view.quantity = line.quantity;
  view.price = line.price;
  if (kind === 'order') view.discount = line.discount;
  view._links = itemLinks(api, `${parentPath}/lines/${seg(line.id)}`, `${parentPath}/lines`, ['PATCH', 'DELETE']);
  return view;
}

/** How the lines routes find the order or cart that holds the lines. */
export interface LineHolderAccess {
  kind: LineParent;
  /** `orders` or `carts`: the path segment and the template parameter (`order_id` / `cart_id`). */
  segment: 'orders' | 'carts';
  param: 'order_id' | 'cart_id';
  find(store: StoreRecord, id: string): {id: string; lines: LineRecord[]} | undefined;
  /** Called after the lines changed (carts bump `updated_at`). */
  changed(state: SandboxState, store: StoreRecord, holderId: string): void;
}

/** …/{orders|carts}/{id}/lines[/{line_id}]: GET, POST, PATCH, DELETE. */
export function lineRoutes(api: ApiUrl, access: LineHolderAccess): RouteDef[] {
  const base = `/ecommerce/stores/{store_id}/${access.segment}/{${access.param}}/lines`;
  const holderPath = (store: StoreRecord, id: string) =>
    access.kind === 'order' ? paths.order(store.id, id) : paths.cart(store.id, id);
  const load = (state: SandboxState, params: Record<string, string>) => {
    const store = requireStore(state, params.store_id!);
    const holder = access.find(store, params[access.param]!);
    if (!holder) throw problems.notFound();
    return {store, holder};
  };
  const requireLine = (lines: LineRecord[], lineId: string) => {
    const line = lines.find((l) => l.id === lineId);
    if (!line) throw problems.notFound();
    return line;
  };
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const {store, holder} = load(state, req.params);
        const {page, total_items} = paginate(holder.lines, req.query);
        const parent = holderPath(store, holder.id);
        return {
          status: 200,
          body: {
            store_id: store.id,
            [access.param]: holder.id,
            lines: page.map((l) => lineView(store, l, access.kind, api, parent)),
            total_items,
            _links: collectionLinks(api, `${parent}/lines`, parent),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const {store, holder} = load(state, req.params);
        const [line] = newLines(store, [req.body], access.kind, '');
        if (holder.lines.some((l) => l.id === line!.id)) throw ecommerceProblems.duplicateLine(access.kind);
        holder.lines.push(line!);
        access.changed(state, store, holder.id);
        return {status: 200, body: lineView(store, line!, access.kind, api, holderPath(store, holder.id))};
      },
    },
    {
      method: 'GET',
      path: `${base}/{line_id}`,
      handler: (req, state) => {
        const {store, holder} = load(state, req.params);
        return {
          status: 200,
          body: lineView(
            store,
            requireLine(holder.lines, req.params.line_id!),
            access.kind,
            api,
            holderPath(store, holder.id),
          ),
        };
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{line_id}`,
      handler: (req, state) => {
        const {store, holder} = load(state, req.params);
        const line = requireLine(holder.lines, req.params.line_id!);
        const {id: _pathWins, ...input} = readLine(req.body, '', access.kind);
        const next = changedLine(store, line, input);
        holder.lines[holder.lines.indexOf(line)] = next;
        access.changed(state, store, holder.id);
        return {status: 200, body: lineView(store, next, access.kind, api, holderPath(store, holder.id))};
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{line_id}`,
      handler: (req, state) => {
        const {store, holder} = load(state, req.params);
        const line = requireLine(holder.lines, req.params.line_id!);
        holder.lines.splice(holder.lines.indexOf(line), 1);
        access.changed(state, store, holder.id);
        return {status: 204};
      },
    },
  ];
}
