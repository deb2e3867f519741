import type {CustomerRecord, OrderRecord, SandboxState, StoreRecord} from '../../core/state.js';

/**
 * Read-only views over the e-commerce data for other modules (segment conditions, campaign reports, member stats).
 * Pure: they only read the state and never change it.
 */

export interface ListOrder {
  store: StoreRecord;
  order: OrderRecord;
  /** Undefined when the customer was deleted after the order was placed. */
  customer: CustomerRecord | undefined;
}

export interface MemberEcommerceTotals {
  /** Sum of `order_total` over the member's orders in every store of the list, rounded to cents. */
  total_revenue: number;
  number_of_orders: number;
  /** The currency of the first store (in creation order) holding one of the member's orders; '' without orders. */
  currency_code: string;
}

/** The stores tied to an audience, in creation order. */
export function storesForList(state: SandboxState, listId: string): StoreRecord[] {
  return [...state.stores.values()].filter((s) => s.list_id === listId);
}

/** Every order in every store tied to the audience, with its store and customer. */
export function ordersForList(state: SandboxState, listId: string): ListOrder[] {
  const out: ListOrder[] = [];
  for (const store of storesForList(state, listId)) {
    for (const order of store.orders.values())
      out.push({store, order, customer: store.customers.get(order.customer_id)});
  }
  return out;
}

/** The customers, across the audience's stores, behind a member address (case-insensitive, as member ids are). */
export function customersForMember(
  state: SandboxState,
  listId: string,
  email: string,
): Array<{store: StoreRecord; customer: CustomerRecord}> {
  const wanted = email.toLowerCase();
  const out: Array<{store: StoreRecord; customer: CustomerRecord}> = [];
  for (const store of storesForList(state, listId)) {
    for (const id of store.customersByEmail.get(wanted) ?? []) {
      const customer = store.customers.get(id);
      if (customer) out.push({store, customer});
    }
  }
  return out;
}

/** The orders placed by a member's customers in the audience's stores. */
export function ordersForMember(state: SandboxState, listId: string, email: string): ListOrder[] {
  const out: ListOrder[] = [];
  for (const {store, customer} of customersForMember(state, listId, email)) {
    for (const id of store.ordersByCustomer.get(customer.id) ?? []) {
      const order = store.orders.get(id);
      if (order) out.push({store, order, customer});
    }
  }
  return out;
}

/** Money sums in integer cents, so that 0.1 + 0.2 stays 0.3. */
export function sumMoney(amounts: Iterable<number>): number {
  let cents = 0;
  for (const amount of amounts) cents += Math.round(amount * 100);
  return cents / 100;
}

/**
 * What the member's `stats.ecommerce_data` shows: every order counts, cancelled ones included, with the total the
 * store sent. Mailchimp does not discount cancelled orders itself — integrations zero the totals of a cancelled order
 * ("Mailchimp API expects the order totals to be 0 when an order is cancelled", mc-magento2 #1272; cancelled orders
 * still in revenue: mc-magento2 #274, #509, mc-woocommerce #288).
 */
export function memberEcommerceTotals(state: SandboxState, listId: string, email: string): MemberEcommerceTotals {
  const orders = ordersForMember(state, listId, email);
  return {
    total_revenue: sumMoney(orders.map((o) => o.order.order_total)),
    number_of_orders: orders.length,
    currency_code: orders[0]?.store.currency_code ?? '',
  };
}
