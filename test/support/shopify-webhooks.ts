import {createHmac, randomUUID} from 'node:crypto';
import {LosslessNumber} from 'lossless-json';
import {editFixture, type EditablePayload} from '../../connector/src/shopify/fixtures/read-fixture.js';

/**
 * Shopify REST webhook payloads for end-to-end tests, built from the real-shape fixtures with consistent ids and
 * money, serialised losslessly (ids are JSON numbers, as Shopify sends them), and signed like Shopify signs them.
 */

const num = (value: string | number) => new LosslessNumber(String(value));
const money = (minor: number) => (minor / 100).toFixed(2);

export interface LineSpec {
  id: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  priceMinor: number;
  quantity: number;
}

export function productPayload(p: {
  id: string;
  title: string;
  handle: string;
  variants: Array<{id: string; title: string; priceMinor: number; sku?: string}>;
  updatedAt: string;
}): string {
  return editFixture('products-create', (d) => {
    d.id = num(p.id);
    d.admin_graphql_api_id = `gid://shopify/Product/${p.id}`;
    d.title = p.title;
    d.handle = p.handle;
    d.updated_at = p.updatedAt;
    d.status = 'active';
    d.images = [];
    d.image = null;
    d.media = [];
    d.variants = p.variants.map((v, i) => ({
      id: num(v.id),
      product_id: num(p.id),
      title: v.title,
      price: money(v.priceMinor),
      sku: v.sku ?? `SKU-${v.id}`,
      position: i + 1,
      inventory_quantity: 10,
      image_id: null,
      admin_graphql_api_id: `gid://shopify/ProductVariant/${v.id}`,
      created_at: p.updatedAt,
      updated_at: p.updatedAt,
    }));
  });
}

export function customerPayload(c: {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  updatedAt: string;
  consent?: {state: string; updatedAt: string; optInLevel?: string};
}): string {
  return editFixture('customers-update-2024-10', (d) => {
    d.id = num(c.id);
    d.admin_graphql_api_id = `gid://shopify/Customer/${c.id}`;
    d.email = c.email;
    d.first_name = c.firstName ?? 'Test';
    d.last_name = c.lastName ?? 'Customer';
    d.updated_at = c.updatedAt;
    d.created_at = c.updatedAt;
    delete d.accepts_marketing;
    delete d.accepts_marketing_updated_at;
    if (c.consent) {
      d.email_marketing_consent = {
        state: c.consent.state,
        opt_in_level: c.consent.optInLevel ?? 'single_opt_in',
        consent_updated_at: c.consent.updatedAt,
      };
    } else {
      delete d.email_marketing_consent;
    }
  });
}

export function consentPayload(c: {
  customerId: string;
  email: string;
  state: string;
  updatedAt: string;
  optInLevel?: string;
}): string {
  return editFixture('customers-email-marketing-consent-update', (d) => {
    d.customer_id = num(c.customerId);
    d.email_address = c.email;
    d.email_marketing_consent = {
      state: c.state,
      opt_in_level: c.optInLevel ?? 'single_opt_in',
      consent_updated_at: c.updatedAt,
    };
  });
}

export function orderPayload(o: {
  id: string;
  customer?: {id: string; email: string};
  email?: string;
  lines: LineSpec[];
  financialStatus: string;
  fulfillmentStatus?: string | null;
  cancelledAt?: string | null;
  updatedAt: string;
  landingSite?: string;
  checkoutToken?: string;
  test?: boolean;
  refunds?: EditablePayload[];
  /** The shop's currency (Shopify's `currency`; default USD). */
  currency?: string;
}): string {
  const totalMinor = o.lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0);
  return editFixture('orders-create', (d) => {
    d.id = num(o.id);
    d.admin_graphql_api_id = `gid://shopify/Order/${o.id}`;
    d.name = `#${o.id.slice(-4)}`;
    d.email = o.customer?.email ?? o.email ?? '';
    d.contact_email = d.email;
    d.financial_status = o.financialStatus;
    d.fulfillment_status = o.fulfillmentStatus ?? null;
    d.cancelled_at = o.cancelledAt ?? null;
    d.cancel_reason = o.cancelledAt ? 'customer' : null;
    d.created_at = o.updatedAt;
    d.processed_at = o.updatedAt;
    d.updated_at = o.updatedAt;
    d.test = o.test ?? false;
    d.currency = o.currency ?? 'USD';
    d.presentment_currency = o.currency ?? 'USD';
    d.landing_site = o.landingSite ?? '/';
    d.referring_site = '';
    d.note_attributes = [];
    d.checkout_token = o.checkoutToken ?? null;
    d.cart_token = null;
    d.discount_codes = [];
    d.shipping_lines = [];
    d.tax_lines = [];
    d.refunds = o.refunds ?? [];
    d.fulfillments = [];
    for (const key of Object.keys(d)) if (key.endsWith('_set') || key.startsWith('current_')) delete d[key];
    d.total_price = money(totalMinor);
    d.subtotal_price = money(totalMinor);
    d.total_line_items_price = money(totalMinor);
    d.total_tax = '0.00';
    d.total_discounts = '0.00';
    d.customer = o.customer
      ? {
          id: num(o.customer.id),
          email: o.customer.email,
          first_name: 'Test',
          last_name: 'Customer',
          admin_graphql_api_id: `gid://shopify/Customer/${o.customer.id}`,
          created_at: o.updatedAt,
          updated_at: o.updatedAt,
        }
      : null;
    d.line_items = o.lines.map((l) => ({
      id: num(l.id),
      admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
      product_id: l.productId === null ? null : num(l.productId),
      variant_id: l.variantId === null ? null : num(l.variantId),
      title: l.title,
      variant_title: null,
      name: l.title,
      sku: null,
      quantity: l.quantity,
      price: money(l.priceMinor),
      total_discount: '0.00',
      discount_allocations: [],
      tax_lines: [],
      fulfillable_quantity: l.quantity,
      gift_card: false,
      requires_shipping: true,
      taxable: true,
      vendor: null,
      properties: [],
    }));
  });
}

export function refundPayload(r: {
  id: string;
  orderId: string;
  createdAt: string;
  lineItemId: string;
  quantity: number;
  subtotalMinor: number;
}): string {
  return editFixture('refunds-create', (d) => {
    d.id = num(r.id);
    d.order_id = num(r.orderId);
    d.admin_graphql_api_id = `gid://shopify/Refund/${r.id}`;
    d.created_at = r.createdAt;
    d.processed_at = r.createdAt;
    d.order_adjustments = [];
    d.refund_shipping_lines = [];
    d.duties = [];
    d.refund_line_items = [
      {
        id: num(`9${r.id}`),
        line_item_id: num(r.lineItemId),
        quantity: r.quantity,
        subtotal: money(r.subtotalMinor),
        total_tax: '0.00',
        restock_type: 'no_restock',
      },
    ];
    d.transactions = [
      {
        id: num(`8${r.id}`),
        order_id: num(r.orderId),
        kind: 'refund',
        status: 'success',
        amount: money(r.subtotalMinor),
        currency: 'USD',
        created_at: r.createdAt,
      },
    ];
    for (const key of Object.keys(d)) if (key.endsWith('_set')) delete d[key];
  });
}

export function checkoutPayload(c: {
  token: string;
  email: string;
  lines: LineSpec[];
  updatedAt: string;
  completedAt?: string | null;
}): string {
  const totalMinor = c.lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0);
  return editFixture('checkouts-create', (d) => {
    d.token = c.token;
    d.cart_token = c.token;
    d.email = c.email;
    d.updated_at = c.updatedAt;
    d.created_at = c.updatedAt;
    d.completed_at = c.completedAt ?? null;
    d.currency = 'USD';
    d.presentment_currency = 'USD';
    d.abandoned_checkout_url = `https://demo-shop.myshopify.com/checkouts/${c.token}/recover`;
    d.customer = null;
    d.total_price = money(totalMinor);
    d.subtotal_price = money(totalMinor);
    d.total_line_items_price = money(totalMinor);
    d.total_tax = '0.00';
    d.total_discounts = '0.00';
    d.discount_codes = [];
    d.shipping_lines = [];
    d.tax_lines = [];
    d.line_items = c.lines.map((l) => ({
      key: l.id,
      product_id: l.productId === null ? null : num(l.productId),
      variant_id: l.variantId === null ? null : num(l.variantId),
      title: l.title,
      variant_title: null,
      sku: null,
      quantity: l.quantity,
      price: money(l.priceMinor),
      line_price: money(l.priceMinor * l.quantity),
      discount_allocations: [],
      tax_lines: [],
      vendor: null,
      properties: null,
      requires_shipping: true,
      taxable: true,
      gift_card: false,
    }));
  });
}

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

/** Headers and body of a Shopify webhook delivery, HMAC-signed with `secret` over the exact bytes. */
export function signWebhook(
  secret: string,
  shop: string,
  topic: string,
  body: string,
  opts: {webhookId?: string; triggeredAt?: string; eventId?: string} = {},
): SignedWebhook {
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': topic,
      'X-Shopify-Shop-Domain': shop,
      'X-Shopify-API-Version': '2026-01',
      'X-Shopify-Webhook-Id': opts.webhookId ?? randomUUID(),
      'X-Shopify-Triggered-At': opts.triggeredAt ?? new Date().toISOString(),
      'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
      ...(opts.eventId ? {'X-Shopify-Event-Id': opts.eventId} : {}),
    },
  };
}
