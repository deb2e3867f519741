import {paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {CartRecord, SandboxState, StoreRecord} from '../../core/state.js';
import {checkCustomer, customerView, readCustomerFields, saveCustomer, type CustomerInput} from './customers.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {
  assignDefined,
  bodyObject,
  optArray,
  optNumber,
  optObject,
  optString,
  reqString,
  requireFields,
  type Body,
} from './input.js';
import {lineRoutes, lineView, mergedLines, newLines} from './lines.js';
import {collectionLinks, itemLinks, paths, type ApiUrl} from './links.js';
import {checkCampaign, readEmbeddedCustomer} from './order-links.js';
import {requireStore} from './stores.js';

/**
 * Carts (abandoned-cart data): same customer, campaign and line rules as orders, but no effect on totals.
 * A cart for an unknown customer id creates the customer, whose member is `transactional` unless opt_in_status is true.
 */

function readCartFields(body: Body) {
  return {
    campaign_id: optString(body, 'campaign_id'),
    checkout_url: optString(body, 'checkout_url'),
    currency_code: optString(body, 'currency_code'),
    order_total: optNumber(body, 'order_total'),
    tax_total: optNumber(body, 'tax_total'),
  } satisfies Partial<CartRecord>;
}

export function requireCart(store: StoreRecord, cartId: string): CartRecord {
  const cart = store.carts.get(cartId);
  if (!cart) throw problems.notFound();
  return cart;
}

export function createCart(state: SandboxState, store: StoreRecord, raw: unknown): CartRecord {
  const body = bodyObject(raw);
  requireFields(body, ['id', 'customer', 'currency_code', 'order_total', 'lines']);
  const id = reqString(body, 'id');
  const customer = readEmbeddedCustomer(body);
  const fields = readCartFields(body);
  if (store.carts.has(id)) throw ecommerceProblems.alreadyExists('cart');
  const lines = newLines(store, optArray(body, 'lines') ?? [], 'cart');
  checkCampaign(state, store, fields.campaign_id);
  checkCustomer(state, store, customer);

  saveCustomer(state, store, customer);
  const now = state.timestamp();
  const cart: CartRecord = {
    id,
    customer_id: customer.id,
    currency_code: fields.currency_code ?? store.currency_code,
    order_total: fields.order_total ?? 0,
    lines,
    created_at: now,
    updated_at: now,
  };
  assignDefined(cart, fields);
  store.carts.set(id, cart);
  return cart;
}

/** PATCH: fields replace, `lines` merge by id, `customer` updates the cart's customer. */
export function updateCart(state: SandboxState, store: StoreRecord, cartId: string, raw: unknown): CartRecord {
  const cart = requireCart(store, cartId);
  const body = bodyObject(raw);
  const customerBody = optObject(body, 'customer');
  const customer: CustomerInput | undefined = customerBody && {
    id: cart.customer_id,
    ...readCustomerFields(customerBody, 'customer'),
  };
  const fields = readCartFields(body);
  const lineItems = optArray(body, 'lines');
  const lines = lineItems && mergedLines(store, cart.lines, lineItems, 'cart');
  checkCampaign(state, store, fields.campaign_id);
  if (customer) checkCustomer(state, store, customer);

  if (customer) saveCustomer(state, store, customer);
  assignDefined(cart, fields);
  if (lines) cart.lines = lines;
  cart.updated_at = state.timestamp();
  return cart;
}

export function cartView(store: StoreRecord, cart: CartRecord, api: ApiUrl): Record<string, unknown> {
  const customer = store.customers.get(cart.customer_id);
  const self = paths.cart(store.id, cart.id);
  return {
    id: cart.id,
    customer: customer ? customerView(store, customer, api, false) : {id: cart.customer_id},
    campaign_id: cart.campaign_id,
    checkout_url: cart.checkout_url,
    currency_code: cart.currency_code,
    order_total: cart.order_total,
    tax_total: cart.tax_total,
    lines: cart.lines.map((l) => lineView(store, l, 'cart', api, self)),
    created_at: cart.created_at,
    updated_at: cart.updated_at,
    _links: itemLinks(api, self, paths.carts(store.id), ['PATCH', 'DELETE']),
  };
}

export function cartRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/carts';
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const {page, total_items} = paginate([...store.carts.values()], req.query);
        return {
          status: 200,
          body: {
            store_id: store.id,
            carts: page.map((c) => cartView(store, c, api)),
            total_items,
            _links: collectionLinks(api, paths.carts(store.id), paths.store(store.id)),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: cartView(store, createCart(state, store, req.body), api)};
      },
    },
    {
      method: 'GET',
      path: `${base}/{cart_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: cartView(store, requireCart(store, req.params.cart_id!), api)};
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{cart_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: cartView(store, updateCart(state, store, req.params.cart_id!, req.body), api)};
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{cart_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        store.carts.delete(requireCart(store, req.params.cart_id!).id);
        return {status: 204};
      },
    },
    ...lineRoutes(api, {
      kind: 'cart',
      segment: 'carts',
      param: 'cart_id',
      find: (store, id) => store.carts.get(id),
      changed: (state, store, id) => {
        const cart = store.carts.get(id);
        if (cart) cart.updated_at = state.timestamp();
      },
    }),
  ];
}
