import type {Consent} from './consent.js';
import type {Cart, Customer, Order, Product, PromoRule, Refund} from './entities.js';
import type {CartId, CustomerId, OrderId, ProductId, PromoRuleId} from './ids.js';

/**
 * What happened in a store, in canonical terms. Every ingest path (Shopify webhooks, the generic REST ingest,
 * the storefront widget, Mailchimp webhooks) produces these; the sync engine consumes them.
 */
export type StoreEvent =
  | {kind: 'customer.upsert'; customer: Customer}
  | {kind: 'customer.delete'; customerId: CustomerId}
  | {
      kind: 'consent.update';
      customerId?: CustomerId;
      email: string;
      consent: Consent;
      firstName?: string;
      lastName?: string;
    }
  /**
   * The storefront checkout checkbox was ticked (its evidence row stored with inbox event `inboxEventId`): it becomes a
   * consent only when a signed order or checkout for the same address confirms it (storefront/checkout-consent.ts).
   */
  | {kind: 'consent.checkout_claim'; email: string; inboxEventId: number}
  | {kind: 'product.upsert'; product: Product}
  | {kind: 'product.delete'; productId: ProductId}
  | {kind: 'order.upsert'; order: Order}
  | {kind: 'refund.create'; orderId: OrderId; refund: Refund}
  | {kind: 'cart.upsert'; cart: Cart}
  | {kind: 'cart.delete'; cartId: CartId}
  | {kind: 'promo.upsert'; promo: PromoRule}
  | {kind: 'promo.delete'; promoRuleId: PromoRuleId}
  /** GDPR: forget a person everywhere (Mailchimp permanent delete and local data). */
  | {kind: 'person.redact'; customerId?: CustomerId; email?: string; orderIds: OrderId[]}
  | {kind: 'shop.redact'}
  | {kind: 'app.uninstalled'}
  /**
   * A change Mailchimp reports through its list webhook. Mailchimp already holds it: it is applied locally (and
   * written back to the store) but never sent to Mailchimp again.
   */
  | {
      kind: 'mailchimp.consent';
      email: string;
      consent: Consent;
      reason: 'subscribe' | 'unsubscribe' | 'cleaned';
      firstName?: string;
      lastName?: string;
    }
  | {kind: 'mailchimp.profile'; email: string; firstName?: string; lastName?: string; at: string}
  | {kind: 'mailchimp.email_change'; oldEmail: string; newEmail: string; at: string}
  /** Accepted and recorded, but nothing to sync (unknown topics, data requests). */
  | {kind: 'ignored'; reason: string};

export type StoreEventKind = StoreEvent['kind'];
