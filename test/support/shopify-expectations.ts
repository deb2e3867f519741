import type {ShopifySandbox} from '../../sandbox/shopify/index.js';
import {orderTotals, type OrderRecord} from '../../sandbox/shopify/data/records.js';
import {guestCustomerId} from '../../connector/src/sync/mappers/ecommerce-ids.js';

const CAPTURED = new Set(['PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/** What Mailchimp must hold for a generated shop, from the stand-in's own records (not from the connector's mappers). */
export function expectedFrom(shopify: ShopifySandbox) {
  const state = shopify.state;
  const customers = state.customers.all();
  const emailOf = new Map(customers.map((c) => [c.id, c.email]));
  const orders = new Map<string, {customer: string; total: number}>();
  for (const o of state.orders.all() as readonly OrderRecord[]) {
    if (o.test || !CAPTURED.has(o.financialStatus)) continue;
    const email = (o.customerId !== null ? emailOf.get(o.customerId) : null) ?? o.email;
    if (!email) continue;
    const t = orderTotals(o);
    orders.set(String(o.id), {
      customer: o.customerId !== null ? String(o.customerId) : guestCustomerId(email),
      total: Math.max(0, t.totalMinor - t.refundedMinor) / 100,
    });
  }
  const statusOf = {
    SUBSCRIBED: 'subscribed',
    UNSUBSCRIBED: 'unsubscribed',
    NOT_SUBSCRIBED: 'transactional',
    PENDING: 'pending',
  } as Record<string, string>;
  const members = new Map<string, string>();
  for (const c of customers) {
    const status = c.consent ? statusOf[c.consent.state] : 'transactional';
    if (c.email && status) members.set(c.email.toLowerCase(), status);
  }
  return {
    products: state.products.all().length,
    customersWithEmail: customers.filter((c) => c.email).length,
    orders,
    members,
  };
}
