import {catalogueLine} from './generate-orders.js';
import type {CustomerRecord, FinancialStatus, LineRecord, OrderRecord, ProductRecord} from './records.js';
import type {ShopStore} from './shop-store.js';

/**
 * Records created through the operator controls (a test adding an order in the middle of a backfill, a customer
 * changed behind the connector's back). They get ids from the same sequences as generated records.
 */

export interface NewCustomer {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  tags?: string[];
  consentState?: NonNullable<CustomerRecord['consent']>['state'];
}

export function createCustomer(store: ShopStore, spec: NewCustomer): CustomerRecord {
  const now = store.now();
  const email = spec.email ?? null;
  const customer: CustomerRecord = {
    id: store.ids.allocate('Customer'),
    email,
    firstName: spec.firstName ?? null,
    lastName: spec.lastName ?? null,
    phone: spec.phone ?? null,
    note: null,
    tags: spec.tags ?? [],
    createdAt: now,
    updatedAt: now,
    consent: email === null ? null : {state: spec.consentState ?? 'NOT_SUBSCRIBED', optInLevel: 'SINGLE_OPT_IN', updatedAt: spec.consentState && spec.consentState !== 'NOT_SUBSCRIBED' ? now : null},
    address: null,
  };
  store.addCustomer(customer);
  return customer;
}

export interface NewProduct {
  title: string;
  status?: ProductRecord['status'];
  variants: Array<{title?: string; priceMinor: number; sku?: string | null}>;
}

export function createProduct(store: ShopStore, spec: NewProduct): ProductRecord {
  const now = store.now();
  const id = store.ids.allocate('Product');
  const product: ProductRecord = {
    id,
    title: spec.title,
    handle: `${spec.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id}`,
    descriptionHtml: '',
    vendor: 'Sandbox',
    productType: '',
    status: spec.status ?? 'ACTIVE',
    tags: [],
    createdAt: now,
    updatedAt: now,
    publishedAt: (spec.status ?? 'ACTIVE') === 'ACTIVE' ? now : null,
    imageUrl: null,
    variants: spec.variants.map((variant, index) => ({
      id: store.ids.allocate('ProductVariant'),
      productId: id,
      title: variant.title ?? (spec.variants.length === 1 ? 'Default Title' : `Option ${index + 1}`),
      sku: variant.sku ?? null,
      priceMinor: variant.priceMinor,
      inventoryQuantity: 10,
      imageUrl: null,
      position: index + 1,
      createdAt: now,
      updatedAt: now,
    })),
  };
  store.addProduct(product);
  return product;
}

export interface NewOrder {
  customerId?: number | null;
  email?: string | null;
  lines: Array<{variantId: number; quantity: number}>;
  financialStatus?: FinancialStatus;
  test?: boolean;
  /** Epoch ms; defaults to the store clock. */
  createdAt?: number;
  landingPage?: string | null;
}

export class UnknownReferenceError extends Error {}

export function createOrder(store: ShopStore, spec: NewOrder): OrderRecord {
  const customer = spec.customerId != null ? store.customers.get(spec.customerId) : undefined;
  if (spec.customerId != null && !customer) throw new UnknownReferenceError(`no customer ${spec.customerId}`);
  const lines: LineRecord[] = spec.lines.map((line) => {
    const variant = store.variant(line.variantId);
    const product = variant ? store.products.get(variant.productId) : undefined;
    if (!variant || !product) throw new UnknownReferenceError(`no variant ${line.variantId}`);
    return catalogueLine(store.ids, product, product.variants.indexOf(variant), line.quantity);
  });
  const createdAt = spec.createdAt ?? store.now();
  const last = store.orders.all()[store.orders.size - 1];
  const order: OrderRecord = {
    id: store.ids.allocate('Order'),
    number: (last?.number ?? 1000) + 1,
    email: spec.email ?? customer?.email ?? null,
    customerId: customer?.id ?? null,
    createdAt,
    updatedAt: createdAt,
    processedAt: createdAt,
    cancelledAt: null,
    cancelReason: null,
    test: spec.test ?? false,
    acceptsMarketing: false,
    financialStatus: spec.financialStatus ?? 'PAID',
    fulfillmentStatus: 'UNFULFILLED',
    lines,
    shippingMinor: 0,
    taxMinor: 0,
    discountCodes: [],
    refunds: [],
    landingPage: spec.landingPage ?? null,
    referrerUrl: null,
    customAttributes: [],
    note: null,
    tags: [],
    shippingAddress: customer?.address ?? null,
    billingAddress: customer?.address ?? null,
  };
  store.addOrder(order);
  return order;
}
