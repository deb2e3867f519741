import {indexAdd} from '../../ecommerce/ecommerce-index.js';
import type {SandboxState, StoreRecord} from '../../../core/state.js';

/**
 * E-commerce data written straight into the sandbox state, for tests of segment conditions. The e-commerce routes
 * belong to another module; these tests need only the records the conditions read (stores → customers, products,
 * orders), so they do not depend on those routes.
 */

export interface SeedProduct {
  id: string;
  title: string;
  type?: string;
}

export interface SeedOrder {
  id: string;
  email: string;
  total: number;
  financial_status?: string;
  processed_at?: string;
  lines?: Array<{product_id: string; quantity?: number}>;
}

const STAMP = '2024-01-01T00:00:00+00:00';

export function seedStore(state: SandboxState, id: string, listId: string, products: SeedProduct[] = []): StoreRecord {
  const store: StoreRecord = {
    id,
    list_id: listId,
    name: `Store ${id}`,
    platform: 'test',
    domain: `${id}.shop.test`,
    is_syncing: false,
    email_address: `owner@${id}.shop.test`,
    currency_code: 'EUR',
    money_format: '€',
    primary_locale: 'en',
    timezone: 'UTC',
    phone: '',
    address: {},
    created_at: STAMP,
    updated_at: STAMP,
    customers: new Map(),
    products: new Map(),
    orders: new Map(),
    carts: new Map(),
    promoRules: new Map(),
    ordersByCustomer: new Map(),
    customersByEmail: new Map(),
  };
  for (const p of products) {
    store.products.set(p.id, {
      id: p.id,
      currency_code: 'EUR',
      title: p.title,
      type: p.type,
      variants: new Map(),
      images: [],
    });
  }
  state.stores.set(id, store);
  return store;
}

export function seedOrder(store: StoreRecord, order: SeedOrder): void {
  const customerId = `c-${order.email.toLowerCase()}`;
  if (!store.customers.has(customerId)) {
    store.customers.set(customerId, {
      id: customerId,
      email_address: order.email,
      opt_in_status: false,
      orders_count: 0,
      total_spent: 0,
      created_at: STAMP,
      updated_at: STAMP,
    });
    indexAdd(store.customersByEmail, order.email.toLowerCase(), customerId);
  }
  indexAdd(store.ordersByCustomer, customerId, order.id);
  store.orders.set(order.id, {
    id: order.id,
    customer_id: customerId,
    currency_code: 'EUR',
    order_total: order.total,
    financial_status: order.financial_status,
    processed_at_foreign: order.processed_at,
    lines: (order.lines ?? []).map((l, i) => ({
      id: `${order.id}-${i}`,
      product_id: l.product_id,
      product_title: store.products.get(l.product_id)?.title ?? '',
      product_variant_id: l.product_id,
      product_variant_title: '',
      image_url: '',
      quantity: l.quantity ?? 1,
      price: 0,
      discount: 0,
    })),
    extra: {},
  });
}
