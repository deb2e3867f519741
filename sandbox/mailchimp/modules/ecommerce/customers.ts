import {indexAdd, indexRemove} from './ecommerce-index.js';
import {paginate} from '../../core/collection.js';
import {assertEcommerceContactAllowed, ensureEcommerceMember} from '../../core/members.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {Address, CustomerRecord, SandboxState, StoreRecord} from '../../core/state.js';
import {ecommerceProblems, MAX_CUSTOMER_ID_LENGTH} from './ecommerce-problems.js';
import {refreshAfterOrders, refreshMemberStats} from './ecommerce-stats.js';
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
import {requireStore} from './stores.js';

export interface CustomerInput {
  id: string;
  email_address?: string;
  opt_in_status?: boolean;
  company?: string;
  first_name?: string;
  last_name?: string;
  address?: Address;
}

/** The customer fields of a body (a customer resource, or the `customer` object of an order or cart). */
export function readCustomerFields(body: Body, path = ''): Omit<CustomerInput, 'id'> {
  return {
    email_address: optString(body, 'email_address', path),
    opt_in_status: optBoolean(body, 'opt_in_status', path),
    company: optString(body, 'company', path),
    first_name: optString(body, 'first_name', path),
    last_name: optString(body, 'last_name', path),
    address: optObject(body, 'address', path) as Address | undefined,
  };
}

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Throws what saving `input` would be refused for, before anything is written (orders check their customer before
 * their lines are stored): an existing customer's address can never change (mc-magento #17); a new customer needs one,
 * and when that address becomes a new contact of the store's audience it must pass the contact checks (valid, not fake).
 */
export function checkCustomer(state: SandboxState, store: StoreRecord, input: CustomerInput): void {
  const existing = store.customers.get(input.id);
  if (existing) {
    if (input.email_address !== undefined && !sameEmail(input.email_address, existing.email_address))
      throw ecommerceProblems.emailImmutable();
  } else if (!input.email_address) {
    throw ecommerceProblems.emailRequired();
  } else {
    const list = state.lists.get(store.list_id);
    if (list) assertEcommerceContactAllowed(list, input.email_address);
  }
}

/**
 * Creates or updates a customer with the fields given and makes sure its audience member exists: a new address
 * becomes `subscribed` with opt_in_status true and `transactional` otherwise; an existing member's status only moves
 * transactional → subscribed on opt-in (ensureEcommerceMember). Totals are recomputed from the store's orders.
 */
export function saveCustomer(state: SandboxState, store: StoreRecord, input: CustomerInput): CustomerRecord {
  checkCustomer(state, store, input);
  const now = state.timestamp();
  let customer = store.customers.get(input.id);
  const isNew = !customer;
  if (customer) {
    assignDefined(customer, {
      opt_in_status: input.opt_in_status,
      company: input.company,
      first_name: input.first_name,
      last_name: input.last_name,
    });
    if (input.address) customer.address = input.address;
    customer.updated_at = now;
  } else {
    customer = {
      id: input.id,
      email_address: input.email_address!, // checkCustomer refused new customers without one
      opt_in_status: input.opt_in_status ?? false,
      orders_count: 0,
      total_spent: 0,
      created_at: now,
      updated_at: now,
    };
    assignDefined(customer, {
      company: input.company,
      first_name: input.first_name,
      last_name: input.last_name,
      address: input.address,
    });
    store.customers.set(customer.id, customer);
    indexAdd(store.customersByEmail, customer.email_address.toLowerCase(), customer.id);
  }
  const list = state.lists.get(store.list_id);
  if (list)
    ensureEcommerceMember(
      state,
      list,
      customer.email_address,
      isNew ? customer.opt_in_status : input.opt_in_status === true,
    );
  // Orders may outlive a deleted customer; a customer created again under the same id gets them back.
  if (isNew) refreshAfterOrders(state, store, [customer.id]);
  return customer;
}

export function requireCustomer(store: StoreRecord, customerId: string): CustomerRecord {
  const customer = store.customers.get(customerId);
  if (!customer) throw problems.notFound();
  return customer;
}

/**
 * Deletes the customer and its carts. Its orders stay (they are the store's history) but no longer count for the
 * member, whose totals are recomputed.
 */
export function deleteCustomer(state: SandboxState, store: StoreRecord, customerId: string): void {
  const customer = requireCustomer(store, customerId);
  store.customers.delete(customer.id);
  indexRemove(store.customersByEmail, customer.email_address.toLowerCase(), customer.id);
  for (const cart of [...store.carts.values()]) if (cart.customer_id === customer.id) store.carts.delete(cart.id);
  refreshMemberStats(state, store.list_id, customer.email_address);
}

/** The customer as Mailchimp shows it; `withLinks` false for the copy embedded in orders and carts. */
export function customerView(
  store: StoreRecord,
  customer: CustomerRecord,
  api: ApiUrl,
  withLinks = true,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: customer.id,
    email_address: customer.email_address,
    opt_in_status: customer.opt_in_status,
    company: customer.company,
    first_name: customer.first_name,
    last_name: customer.last_name,
    orders_count: customer.orders_count,
    total_spent: customer.total_spent,
    address: customer.address,
    created_at: customer.created_at,
    updated_at: customer.updated_at,
  };
  if (withLinks)
    view._links = itemLinks(api, paths.customer(store.id, customer.id), paths.customers(store.id), [
      'PUT',
      'PATCH',
      'DELETE',
    ]);
  return view;
}

/** Customer ids are "Limited to 50 characters" (spec); on the customer endpoints a longer one is a validation error. */
function checkIdLength(id: string): void {
  if (id.length > MAX_CUSTOMER_ID_LENGTH) throw ecommerceProblems.customerIdTooLong(id);
}

export function customerRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/customers';
  return [
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const email = req.query.email_address;
        const all = [...store.customers.values()].filter(
          (c) => email === undefined || sameEmail(c.email_address, email),
        );
        const {page, total_items} = paginate(all, req.query);
        return {
          status: 200,
          body: {
            store_id: store.id,
            customers: page.map((c) => customerView(store, c, api)),
            total_items,
            _links: collectionLinks(api, paths.customers(store.id), paths.store(store.id)),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const body = bodyObject(req.body);
        requireFields(body, ['id', 'email_address', 'opt_in_status']);
        const id = reqString(body, 'id');
        checkIdLength(id);
        if (store.customers.has(id)) throw ecommerceProblems.alreadyExists('customer');
        return {
          status: 200,
          body: customerView(store, saveCustomer(state, store, {id, ...readCustomerFields(body)}), api),
        };
      },
    },
    {
      method: 'GET',
      path: `${base}/{customer_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: customerView(store, requireCustomer(store, req.params.customer_id!), api)};
      },
    },
    {
      // "Add or update customer": the path id wins over the body's.
      method: 'PUT',
      path: `${base}/{customer_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const body = bodyObject(req.body);
        requireFields(body, ['id', 'email_address', 'opt_in_status']);
        const id = req.params.customer_id!;
        checkIdLength(id);
        return {
          status: 200,
          body: customerView(store, saveCustomer(state, store, {id, ...readCustomerFields(body)}), api),
        };
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{customer_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const customer = requireCustomer(store, req.params.customer_id!);
        const body = bodyObject(req.body);
        return {
          status: 200,
          body: customerView(store, saveCustomer(state, store, {id: customer.id, ...readCustomerFields(body)}), api),
        };
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{customer_id}`,
      handler: (req, state) => {
        deleteCustomer(state, requireStore(state, req.params.store_id!), req.params.customer_id!);
        return {status: 204};
      },
    },
  ];
}
