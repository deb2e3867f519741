import {stableStringify} from '../sync/stable-json.js';

/**
 * The fields a resync compares between what the connector would send and what Mailchimp holds, as one string per
 * entity. Pure, and applied to both sides (our mapped request body, Mailchimp's GET representation), so equal
 * content gives equal fingerprints whatever else either side carries.
 */

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const amount = (value: unknown): number => (typeof value === 'number' ? Math.round(value * 100) : 0);

export function productFingerprint(p: {
  title?: unknown;
  variants?: ReadonlyArray<{id: string; price?: unknown}>;
}): string {
  const variants = [...(p.variants ?? [])]
    .map((v) => [v.id, amount(v.price)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return stableStringify({title: text(p.title), variants});
}

export function customerFingerprint(c: {email_address?: unknown; first_name?: unknown; last_name?: unknown}): string {
  return stableStringify({
    email: text(c.email_address).toLowerCase(),
    first: text(c.first_name),
    last: text(c.last_name),
  });
}

/** Totals, statuses and the lines by id with their quantities (a refunded line leaves, a partial one shrinks). */
export function orderFingerprint(o: {
  order_total?: unknown;
  financial_status?: unknown;
  fulfillment_status?: unknown;
  lines?: ReadonlyArray<{id: string; quantity?: unknown}>;
}): string {
  const lines = [...(o.lines ?? [])]
    .map((l) => [l.id, typeof l.quantity === 'number' ? l.quantity : 0] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return stableStringify({
    total: amount(o.order_total),
    financial: text(o.financial_status),
    fulfillment: text(o.fulfillment_status),
    lines,
  });
}
