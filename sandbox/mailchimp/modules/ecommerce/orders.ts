import {indexAdd, indexRemove} from './ecommerce-index.js';
import {problems} from '../../core/problem.js';
import type {Address, OrderRecord, SandboxState, StoreRecord} from '../../core/state.js';
import {checkCustomer, customerView, readCustomerFields, saveCustomer, type CustomerInput} from './customers.js';
import {ecommerceProblems} from './ecommerce-problems.js';
import {refreshAfterOrders} from './ecommerce-stats.js';
import {
  assignDefined,
  bodyObject,
  itemPath,
  optArray,
  optNumber,
  optObject,
  optString,
  reqNumber,
  reqString,
  requireFields,
  type Body,
} from './input.js';
import {lineView, mergedLines, newLines} from './lines.js';
import {itemLinks, paths, type ApiUrl} from './links.js';
import {checkCampaign, readEmbeddedCustomer} from './order-links.js';

/**
 * Orders: POST and PATCH only (there is no PUT: an upsert is PATCH, then POST on 404). Every write recomputes the
 * customer's `orders_count`/`total_spent` and the member's `stats.ecommerce_data` from all of the customer's orders.
 */

const PROMO_TYPES = ['fixed', 'percentage'] as const;
const TRACKING_CODES = ['prec'] as const;

type Promo = NonNullable<OrderRecord['promos']>[number];

function readPromos(items: unknown[]): Promo[] {
  return items.map((item, i) => {
    const path = itemPath('promos', i);
    const body = bodyObject(item, path);
    requireFields(body, ['code', 'amount_discounted', 'type'], path);
    const type = reqString(body, 'type', path);
    if (!(PROMO_TYPES as readonly string[]).includes(type))
      throw ecommerceProblems.notInEnum(`${path}.type`, PROMO_TYPES);
    return {code: reqString(body, 'code', path), amount_discounted: reqNumber(body, 'amount_discounted', path), type};
  });
}

/** The order fields of a POST or PATCH body other than id, customer and lines. */
function readOrderFields(body: Body) {
  const trackingCode = optString(body, 'tracking_code');
  if (trackingCode !== undefined && !(TRACKING_CODES as readonly string[]).includes(trackingCode))
    throw ecommerceProblems.notInEnum('tracking_code', TRACKING_CODES);
  const promos = optArray(body, 'promos');
  const outreach = optObject(body, 'outreach');
  return {
    fields: {
      campaign_id: optString(body, 'campaign_id'),
      landing_site: optString(body, 'landing_site'),
      financial_status: optString(body, 'financial_status'),
      fulfillment_status: optString(body, 'fulfillment_status'),
      currency_code: optString(body, 'currency_code'),
      order_total: optNumber(body, 'order_total'),
      order_url: optString(body, 'order_url'),
      discount_total: optNumber(body, 'discount_total'),
      tax_total: optNumber(body, 'tax_total'),
      shipping_total: optNumber(body, 'shipping_total'),
      tracking_code: trackingCode,
      processed_at_foreign: optString(body, 'processed_at_foreign'),
      cancelled_at_foreign: optString(body, 'cancelled_at_foreign'),
      updated_at_foreign: optString(body, 'updated_at_foreign'),
      shipping_address: optObject(body, 'shipping_address') as Address | undefined,
      billing_address: optObject(body, 'billing_address') as Address | undefined,
      tracking_number: optString(body, 'tracking_number'),
      tracking_carrier: optString(body, 'tracking_carrier'),
      tracking_url: optString(body, 'tracking_url'),
      promos: promos && readPromos(promos),
    } satisfies Partial<OrderRecord>,
    outreachId: outreach && optString(outreach, 'id', 'outreach'),
  };
}

export function requireOrder(store: StoreRecord, orderId: string): OrderRecord {
  const order = store.orders.get(orderId);
  if (!order) throw problems.notFound();
  return order;
}

/**
 * POST: everything is checked before anything is written — a refused order leaves no customer or member behind.
 * The customer is linked by id; an unknown id creates the customer from the embedded fields.
 */
export function createOrder(state: SandboxState, store: StoreRecord, raw: unknown): OrderRecord {
  const body = bodyObject(raw);
  requireFields(body, ['id', 'customer', 'currency_code', 'order_total', 'lines']);
  const id = reqString(body, 'id');
  const customer = readEmbeddedCustomer(body);
  const {fields, outreachId} = readOrderFields(body);
  if (store.orders.has(id)) throw ecommerceProblems.alreadyExists('order');
  const lines = newLines(store, optArray(body, 'lines') ?? [], 'order');
  checkCampaign(state, store, fields.campaign_id);
  checkCustomer(state, store, customer);

  saveCustomer(state, store, customer);
  const order: OrderRecord = {
    id,
    customer_id: customer.id,
    currency_code: fields.currency_code ?? store.currency_code,
    order_total: fields.order_total ?? 0,
    lines,
    extra: outreachId === undefined ? {} : {outreach: {id: outreachId}},
  };
  assignDefined(order, fields);
  store.orders.set(id, order);
  indexAdd(store.ordersByCustomer, order.customer_id, id);
  refreshAfterOrders(state, store, [customer.id]);
  return order;
}

/**
 * PATCH: fields given replace the stored ones, `promos` is replaced whole ("Patch will completely replace the value of
 * promos"), `lines` are merged by id, and `customer` updates the order's customer (its address may not change).
 */
export function updateOrder(state: SandboxState, store: StoreRecord, orderId: string, raw: unknown): OrderRecord {
  const order = requireOrder(store, orderId);
  const body = bodyObject(raw);
  const customerBody = optObject(body, 'customer');
  const customer: CustomerInput | undefined = customerBody && {
    id: order.customer_id,
    ...readCustomerFields(customerBody, 'customer'),
  };
  const {fields, outreachId} = readOrderFields(body);
  const lineItems = optArray(body, 'lines');
  const lines = lineItems && mergedLines(store, order.lines, lineItems, 'order');
  checkCampaign(state, store, fields.campaign_id);
  if (customer) checkCustomer(state, store, customer);

  if (customer) saveCustomer(state, store, customer);
  assignDefined(order, fields);
  if (lines) order.lines = lines;
  if (outreachId !== undefined) order.extra = {...order.extra, outreach: {id: outreachId}};
  refreshAfterOrders(state, store, [order.customer_id]);
  return order;
}

export function deleteOrder(state: SandboxState, store: StoreRecord, orderId: string): void {
  const order = requireOrder(store, orderId);
  store.orders.delete(order.id);
  indexRemove(store.ordersByCustomer, order.customer_id, order.id);
  refreshAfterOrders(state, store, [order.customer_id]);
}

/** The outreach (campaign) behind an order: `outreach.id` when sent, else its campaign. */
export function outreachIdOf(order: OrderRecord): string | undefined {
  const outreach = order.extra.outreach as {id?: string} | undefined;
  return outreach?.id || order.campaign_id || undefined;
}

export function orderView(
  state: SandboxState,
  store: StoreRecord,
  order: OrderRecord,
  api: ApiUrl,
): Record<string, unknown> {
  const customer = store.customers.get(order.customer_id);
  const self = paths.order(store.id, order.id);
  const outreachId = outreachIdOf(order);
  const campaign = outreachId === undefined ? undefined : state.campaigns.get(outreachId);
  return {
    id: order.id,
    // A deleted customer's orders stay; they show the customer id only.
    customer: customer ? customerView(store, customer, api, false) : {id: order.customer_id},
    store_id: store.id,
    campaign_id: order.campaign_id,
    landing_site: order.landing_site,
    financial_status: order.financial_status,
    fulfillment_status: order.fulfillment_status,
    currency_code: order.currency_code,
    order_total: order.order_total,
    order_url: order.order_url,
    discount_total: order.discount_total,
    tax_total: order.tax_total,
    shipping_total: order.shipping_total,
    tracking_code: order.tracking_code,
    processed_at_foreign: order.processed_at_foreign,
    cancelled_at_foreign: order.cancelled_at_foreign,
    updated_at_foreign: order.updated_at_foreign,
    shipping_address: order.shipping_address,
    billing_address: order.billing_address,
    promos: order.promos,
    lines: order.lines.map((l) => lineView(store, l, 'order', api, self)),
    outreach:
      outreachId === undefined
        ? undefined
        : {
            id: outreachId,
            name: String(campaign?.settings.title ?? ''),
            type: campaign?.type ?? '',
            published_time: campaign?.send_time ?? '',
          },
    tracking_number: order.tracking_number,
    tracking_carrier: order.tracking_carrier,
    tracking_url: order.tracking_url,
    _links: itemLinks(api, self, paths.orders(store.id), ['PATCH', 'DELETE']),
  };
}

/** The collection filters of GET …/orders and GET /ecommerce/orders. */
export function orderMatches(order: OrderRecord, query: Record<string, string>): boolean {
  if (query.customer_id !== undefined && order.customer_id !== query.customer_id) return false;
  if (query.campaign_id !== undefined && order.campaign_id !== query.campaign_id) return false;
  if (query.outreach_id !== undefined && outreachIdOf(order) !== query.outreach_id) return false;
  if (query.has_outreach !== undefined && (outreachIdOf(order) !== undefined) !== (query.has_outreach === 'true'))
    return false;
  return true;
}
