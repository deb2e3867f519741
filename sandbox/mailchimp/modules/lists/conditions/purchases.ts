import type {ListRecord, OrderRecord, SandboxState} from '../../../core/state.js';

/** One order as the e-commerce segment conditions see it. */
export interface Purchase {
  storeId: string;
  total: number;
  /** When it was placed (ms since epoch); undefined when the order carries no date. */
  at?: number;
  items: Array<{title: string; category: string; quantity: number}>;
}

/**
 * The purchases of every customer of every store tied to the list, keyed by lower-cased address (customers are
 * linked to list members by email). Order amounts are `order_total` ("the sum of all order totals with no
 * deductions" is what Mailchimp's reports call total spent).
 *
 * Cancelled and refunded orders are left out: Mailchimp removes them from purchase data (an order sent with
 * `cancelled_at_foreign` "will cancel the order being created"; refund and cancellation notifications take the order
 * out of revenue), so a customer whose only order was refunded has not "purchased".
 */
export function purchasesByEmail(state: SandboxState, list: ListRecord): Map<string, Purchase[]> {
  const out = new Map<string, Purchase[]>();
  for (const store of state.stores.values()) {
    if (store.list_id !== list.id) continue;
    for (const order of store.orders.values()) {
      if (!counts(order)) continue;
      const customer = store.customers.get(order.customer_id);
      if (!customer) continue;
      const key = customer.email_address.toLowerCase();
      const purchase: Purchase = {
        storeId: store.id,
        total: order.order_total,
        at: orderTime(order),
        items: order.lines.map((line) => {
          const product = store.products.get(line.product_id);
          return {
            title: line.product_title || product?.title || '',
            category: product?.type ?? '',
            quantity: line.quantity,
          };
        }),
      };
      const bucket = out.get(key);
      if (bucket) bucket.push(purchase);
      else out.set(key, [purchase]);
    }
  }
  return out;
}

function counts(order: OrderRecord): boolean {
  const status = order.financial_status?.toLowerCase();
  return status !== 'cancelled' && status !== 'refunded' && !order.cancelled_at_foreign;
}

function orderTime(order: OrderRecord): number | undefined {
  const raw = order.processed_at_foreign ?? order.updated_at_foreign;
  if (!raw) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}
