import {findMember} from '../../core/members.js';
import type {SandboxState, StoreRecord} from '../../core/state.js';
import {memberEcommerceTotals, sumMoney} from './ecommerce-queries.js';

/**
 * Keeps the read-only totals in step with the orders: customer `orders_count`/`total_spent` and the member's
 * `stats.ecommerce_data`. Always recomputed from all of the customer's orders (never incremented), so PATCHes that
 * change `order_total` and deletions are reflected exactly. The store's indexes find a customer's orders directly.
 */

/** Recomputes one customer's totals from the store's orders; no-op if the customer no longer exists. */
export function refreshCustomerStats(store: StoreRecord, customerId: string): void {
  const customer = store.customers.get(customerId);
  if (!customer) return;
  const totals: number[] = [];
  for (const id of store.ordersByCustomer.get(customerId) ?? []) {
    const order = store.orders.get(id);
    if (order) totals.push(order.order_total);
  }
  customer.orders_count = totals.length;
  customer.total_spent = sumMoney(totals);
}

/** Recomputes the member's e-commerce totals over every store of its audience; no-op without list or member. */
export function refreshMemberStats(state: SandboxState, listId: string, email: string): void {
  const list = state.lists.get(listId);
  const member = list && findMember(list, email);
  if (!member) return;
  member.ecommerce = memberEcommerceTotals(state, listId, email);
}

/** After orders of these customers changed in `store`: refresh the customers, then their members. */
export function refreshAfterOrders(state: SandboxState, store: StoreRecord, customerIds: Iterable<string>): void {
  const emails = new Set<string>();
  for (const id of new Set(customerIds)) {
    refreshCustomerStats(store, id);
    const customer = store.customers.get(id);
    if (customer) emails.add(customer.email_address.toLowerCase());
  }
  for (const email of emails) refreshMemberStats(state, store.list_id, email);
}
