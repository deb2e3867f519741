import {createHash} from 'node:crypto';
import {link, paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {Address, SandboxState, StoreRecord} from '../../core/state.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {refreshMemberStats} from './ecommerce-stats.js';
import {
  assignDefined,
  bodyObject,
  optBoolean,
  optObject,
  optString,
  reqString,
  requireFields,
  type Body,
} from './input.js';
import {collectionLinks, itemLinks, paths, type ApiUrl} from './links.js';

/** The store or 404; every e-commerce path below a store starts here. */
export function requireStore(state: SandboxState, storeId: string): StoreRecord {
  const store = state.stores.get(storeId);
  if (!store) throw problems.notFound();
  return store;
}

/** Domains are compared ignoring case, the scheme and trailing slashes (`https://Shop.example/` = `shop.example`). */
function normalizeDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/+$/, '');
}

/** "The store domain must be unique within a user account" (spec); 400 with Mailchimp's text (mc-magento #794). */
function assertDomainFree(state: SandboxState, domain: string | undefined, selfId?: string): void {
  if (!domain) return;
  const wanted = normalizeDomain(domain);
  for (const other of state.stores.values()) {
    if (other.id !== selfId && other.domain && normalizeDomain(other.domain) === wanted)
      throw ecommerceProblems.domainTaken(domain);
  }
}

function readStoreFields(body: Body) {
  return {
    name: optString(body, 'name'),
    platform: optString(body, 'platform'),
    domain: optString(body, 'domain'),
    is_syncing: optBoolean(body, 'is_syncing'),
    email_address: optString(body, 'email_address'),
    currency_code: optString(body, 'currency_code'),
    money_format: optString(body, 'money_format'),
    primary_locale: optString(body, 'primary_locale'),
    timezone: optString(body, 'timezone'),
    phone: optString(body, 'phone'),
    address: optObject(body, 'address') as Address | undefined,
  };
}

export function createStore(state: SandboxState, raw: unknown): StoreRecord {
  const body = bodyObject(raw);
  requireFields(body, ['id', 'list_id', 'name', 'currency_code']);
  const id = reqString(body, 'id');
  const listId = reqString(body, 'list_id');
  const fields = readStoreFields(body);
  if (state.stores.has(id)) throw ecommerceProblems.alreadyExists('store');
  if (!state.lists.has(listId)) throw ecommerceProblems.listMissing();
  assertDomainFree(state, fields.domain);
  const now = state.timestamp();
  const store: StoreRecord = {
    id,
    list_id: listId,
    name: fields.name ?? '',
    platform: fields.platform ?? '',
    domain: fields.domain ?? '',
    is_syncing: fields.is_syncing ?? false,
    email_address: fields.email_address ?? '',
    currency_code: fields.currency_code ?? '',
    money_format: fields.money_format ?? '',
    primary_locale: fields.primary_locale ?? '',
    timezone: fields.timezone ?? '',
    phone: fields.phone ?? '',
    address: fields.address ?? {},
    created_at: now,
    updated_at: now,
    customers: new Map(),
    products: new Map(),
    orders: new Map(),
    carts: new Map(),
    promoRules: new Map(),
    ordersByCustomer: new Map(),
    customersByEmail: new Map(),
  };
  state.stores.set(id, store);
  return store;
}

/**
 * PATCH: every field but `list_id` may change. `currency_code` too, with or without orders: the spec's PATCH body
 * (Ecommerce Store_2) carries it and neither the spec nor ../shared/notes/mailchimp-api.md §4.1 documents a refusal
 * (UNVERIFIED against the live API). Nothing is converted: orders keep the currency_code they were sent with,
 * products show the store's.
 */
export function updateStore(state: SandboxState, storeId: string, raw: unknown): StoreRecord {
  const store = requireStore(state, storeId);
  const body = bodyObject(raw);
  const listId = optString(body, 'list_id');
  if (listId !== undefined && listId !== store.list_id) throw ecommerceProblems.listImmutable();
  const {address, ...fields} = readStoreFields(body);
  assertDomainFree(state, fields.domain, store.id);
  assignDefined(store, fields);
  if (address) store.address = {...store.address, ...address};
  store.updated_at = state.timestamp();
  return store;
}

/** Deletes the store with its customers, products, orders, carts and promo rules; members' totals drop its orders. */
export function deleteStore(state: SandboxState, storeId: string): void {
  const store = requireStore(state, storeId);
  const buyers = new Set<string>();
  for (const order of store.orders.values()) {
    const customer = store.customers.get(order.customer_id);
    if (customer) buyers.add(customer.email_address);
  }
  state.stores.delete(store.id);
  for (const email of buyers) refreshMemberStats(state, store.list_id, email);
}

export function storeView(state: SandboxState, store: StoreRecord, api: ApiUrl): Record<string, unknown> {
  const self = paths.store(store.id);
  const scriptUrl = `https://chimpstatic.com/mcjs-connected/js/users/sandbox0account/${createHash('md5').update(store.id).digest('hex')}.js`;
  return {
    id: store.id,
    list_id: store.list_id,
    name: store.name,
    platform: store.platform,
    domain: store.domain,
    is_syncing: store.is_syncing,
    email_address: store.email_address,
    currency_code: store.currency_code,
    money_format: store.money_format,
    primary_locale: store.primary_locale,
    timezone: store.timezone,
    phone: store.phone,
    address: store.address,
    connected_site: {
      site_foreign_id: store.id,
      site_script: {
        url: scriptUrl,
        fragment: `<script id="mcjs">!function(c,h,i,m,p){m=c.createElement(h),p=c.getElementsByTagName(h)[0],m.async=1,m.src=i,p.parentNode.insertBefore(m,p)}(document,"script","${scriptUrl}");</script>`,
      },
    },
    automations: {
      abandoned_cart: {is_supported: true, id: '', status: 'save'},
      abandoned_browse: {is_supported: true, id: '', status: 'save'},
    },
    list_is_active: state.lists.has(store.list_id),
    created_at: store.created_at,
    updated_at: store.updated_at,
    _links: [
      ...itemLinks(api, self, paths.stores(), ['PATCH', 'DELETE']),
      link('customers', api(paths.customers(store.id))),
      link('products', api(paths.products(store.id))),
      link('orders', api(paths.orders(store.id))),
      link('carts', api(paths.carts(store.id))),
      link('promo-rules', api(paths.promoRules(store.id))),
    ],
  };
}

export function storeRoutes(api: ApiUrl): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/ecommerce/stores',
      handler: (req, state) => {
        const {page, total_items} = paginate([...state.stores.values()], req.query);
        return {
          status: 200,
          body: {
            stores: page.map((s) => storeView(state, s, api)),
            total_items,
            _links: collectionLinks(api, paths.stores(), '/'),
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/ecommerce/stores',
      handler: (req, state) => ({status: 200, body: storeView(state, createStore(state, req.body), api)}),
    },
    {
      method: 'GET',
      path: '/ecommerce/stores/{store_id}',
      handler: (req, state) => ({status: 200, body: storeView(state, requireStore(state, req.params.store_id!), api)}),
    },
    {
      method: 'PATCH',
      path: '/ecommerce/stores/{store_id}',
      handler: (req, state) => ({
        status: 200,
        body: storeView(state, updateStore(state, req.params.store_id!, req.body), api),
      }),
    },
    {
      method: 'DELETE',
      path: '/ecommerce/stores/{store_id}',
      handler: (req, state) => {
        deleteStore(state, req.params.store_id!);
        return {status: 204};
      },
    },
  ];
}
