import type {Consent} from '../model/consent.js';
import type {StoreEvent} from '../model/events.js';

/**
 * How far ahead of the connector's receive time an externally supplied time may be: senders' clocks drift a little
 * (and Mailchimp's `fired_at` has whole seconds), but a time beyond this is not believed.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface ClampedTime {
  /** Where in the event, e.g. `consent.updatedAt`, `order.refunds[0].createdAt`. */
  field: string;
  given: string;
  clampedTo: string;
}

export interface ClampResult {
  events: StoreEvent[];
  clamped: ClampedTime[];
}

/**
 * Clamps every externally supplied time the newer-wins rules compare (pure): consent times, the `updatedAt` of
 * customers, orders, products, carts and promo rules (their desired-state versions), refund times, and the times of
 * Mailchimp list-webhook events, to at most `receivedAt + maxSkewMs`. A time in the far future (a `fired_at` or a
 * `consent_updated_at` in 2099) would otherwise outrank every later genuine change of the same record. Times at or
 * before the limit, unparsable times and every other field are returned as they were (the same strings); a clamped
 * time becomes the limit itself, in ISO 8601. An unparsable `receivedAt` clamps nothing.
 */
export function clampEventTimes(
  events: readonly StoreEvent[],
  receivedAt: string,
  maxSkewMs: number = MAX_CLOCK_SKEW_MS,
): ClampResult {
  const received = Date.parse(receivedAt);
  if (Number.isNaN(received)) return {events: [...events], clamped: []};
  const limitMs = received + maxSkewMs;
  const limit = new Date(limitMs).toISOString();
  const clamped: ClampedTime[] = [];
  const time = (value: string, field: string): string => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms) || ms <= limitMs) return value;
    clamped.push({field, given: value, clampedTo: limit});
    return limit;
  };
  const consent = (c: Consent, field: string): Consent => {
    const updatedAt = time(c.updatedAt, field);
    return updatedAt === c.updatedAt ? c : {...c, updatedAt};
  };
  const out = events.map((event, i): StoreEvent => {
    const at = (field: string) => (events.length > 1 ? `[${i}].${field}` : field);
    switch (event.kind) {
      case 'customer.upsert': {
        const c = event.customer;
        return {
          ...event,
          customer: {
            ...c,
            updatedAt: time(c.updatedAt, at('customer.updatedAt')),
            ...(c.consent ? {consent: consent(c.consent, at('customer.consent.updatedAt'))} : {}),
          },
        };
      }
      case 'consent.update':
      case 'mailchimp.consent':
        return {...event, consent: consent(event.consent, at('consent.updatedAt'))};
      case 'product.upsert':
        return {
          ...event,
          product: {...event.product, updatedAt: time(event.product.updatedAt, at('product.updatedAt'))},
        };
      case 'order.upsert': {
        const o = event.order;
        return {
          ...event,
          order: {
            ...o,
            updatedAt: time(o.updatedAt, at('order.updatedAt')),
            refunds: o.refunds.map((r, j) => ({
              ...r,
              createdAt: time(r.createdAt, at(`order.refunds[${j}].createdAt`)),
            })),
          },
        };
      }
      case 'refund.create':
        return {...event, refund: {...event.refund, createdAt: time(event.refund.createdAt, at('refund.createdAt'))}};
      case 'cart.upsert':
        return {...event, cart: {...event.cart, updatedAt: time(event.cart.updatedAt, at('cart.updatedAt'))}};
      case 'promo.upsert':
        return {...event, promo: {...event.promo, updatedAt: time(event.promo.updatedAt, at('promo.updatedAt'))}};
      case 'mailchimp.profile':
      case 'mailchimp.email_change':
        return {...event, at: time(event.at, at('at'))};
      default:
        return event;
    }
  });
  return {events: out, clamped};
}
