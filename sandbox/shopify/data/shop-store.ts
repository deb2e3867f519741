import {EntityTable, type SortKeyDef} from './entity-table.js';
import {IdAllocator} from './id-allocator.js';
import {orderTotals, type CheckoutRecord, type CustomerRecord, type DiscountRecord, type OrderRecord, type ProductRecord, type VariantRecord} from './records.js';

export interface ShopInfo {
  id: number;
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  email: string;
  ianaTimezone: string;
  primaryDomainUrl: string;
  /** The shop's address (Shop.billingAddress: the merchant's business address in Shopify's settings). */
  billingAddress: ShopAddressRecord;
}

export interface ShopAddressRecord {
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCode: string | null;
  phone: string | null;
}

const byId = <R extends {id: number}>(): SortKeyDef<R> => ({value: (r) => r.id, type: 'number', searchField: 'id'});
const byTime = <R>(get: (r: R) => number, searchField: string): SortKeyDef<R> => ({value: get, type: 'number', searchField});
const byText = <R>(get: (r: R) => string): SortKeyDef<R> => ({value: (r) => get(r).toLowerCase(), type: 'string'});

/**
 * The state of one shop: every record by kind, with the indexes the connections sort and seek by. All writes go
 * through here so that indexes, derived customer figures and timestamps stay consistent.
 */
export class ShopStore {
  readonly ids = new IdAllocator();
  readonly products = new EntityTable<ProductRecord>({
    ID: byId(),
    CREATED_AT: byTime((p) => p.createdAt, 'created_at'),
    UPDATED_AT: byTime((p) => p.updatedAt, 'updated_at'),
    TITLE: byText((p) => p.title),
    VENDOR: byText((p) => p.vendor),
    PRODUCT_TYPE: byText((p) => p.productType),
  });
  readonly customers = new EntityTable<CustomerRecord>({
    ID: byId(),
    CREATED_AT: byTime((c) => c.createdAt, 'created_at'),
    UPDATED_AT: byTime((c) => c.updatedAt, 'updated_at'),
    NAME: byText((c) => `${c.firstName ?? ''} ${c.lastName ?? ''}`.trim()),
  });
  readonly orders = new EntityTable<OrderRecord>({
    ID: byId(),
    CREATED_AT: byTime((o) => o.createdAt, 'created_at'),
    UPDATED_AT: byTime((o) => o.updatedAt, 'updated_at'),
    PROCESSED_AT: byTime((o) => o.processedAt, 'processed_at'),
    ORDER_NUMBER: {value: (o) => o.number, type: 'number'},
    TOTAL_PRICE: {value: (o) => orderTotals(o).totalMinor, type: 'number'},
  });
  readonly discounts = new EntityTable<DiscountRecord>({
    ID: byId(),
    CREATED_AT: byTime((d) => d.createdAt, 'created_at'),
    UPDATED_AT: byTime((d) => d.updatedAt, 'updated_at'),
    STARTS_AT: byTime((d) => d.startsAt, 'starts_at'),
    TITLE: byText((d) => d.title),
  });
  readonly checkouts = new EntityTable<CheckoutRecord>({
    ID: byId(),
    CHECKOUT_ID: byId(),
    CREATED_AT: byTime((c) => c.createdAt, 'created_at'),
  });

  private readonly variants = new Map<number, VariantRecord>();
  private readonly codes = new Map<string, number>();
  private customerFigures: Map<number, {orders: number; spentMinor: number}> | undefined;

  constructor(
    readonly shop: ShopInfo,
    private readonly clock: () => number = Date.now,
  ) {}

  now(): number {
    return this.clock();
  }

  variant(id: number): VariantRecord | undefined {
    return this.variants.get(id);
  }

  addProduct(product: ProductRecord): void {
    this.products.insert(product);
    for (const variant of product.variants) this.variants.set(variant.id, variant);
  }

  updateProduct(id: number, change: (product: ProductRecord) => void): ProductRecord | undefined {
    const product = this.products.update(id, (p) => {
      change(p);
      p.updatedAt = Math.max(this.now(), p.updatedAt + 1);
    });
    if (product) for (const variant of product.variants) this.variants.set(variant.id, variant);
    return product;
  }

  addCustomer(customer: CustomerRecord): void {
    this.customers.insert(customer);
  }

  /** Applies a change and moves `updatedAt` forward, as every Shopify write does. */
  updateCustomer(id: number, change: (customer: CustomerRecord) => void): CustomerRecord | undefined {
    return this.customers.update(id, (c) => {
      change(c);
      c.updatedAt = Math.max(this.now(), c.updatedAt + 1);
    });
  }

  customerByEmail(email: string): CustomerRecord | undefined {
    const wanted = email.trim().toLowerCase();
    return this.customers.all().find((c) => c.email?.toLowerCase() === wanted);
  }

  addOrder(order: OrderRecord): void {
    this.orders.insert(order);
    this.customerFigures = undefined;
  }

  updateOrder(id: number, change: (order: OrderRecord) => void): OrderRecord | undefined {
    const order = this.orders.update(id, (o) => {
      change(o);
      o.updatedAt = Math.max(this.now(), o.updatedAt + 1);
    });
    this.customerFigures = undefined;
    return order;
  }

  /** `numberOfOrders` and `amountSpent` of a customer: its orders that are not tests, net of refunds. */
  figures(customerId: number): {orders: number; spentMinor: number} {
    if (!this.customerFigures) {
      const figures = new Map<number, {orders: number; spentMinor: number}>();
      for (const order of this.orders.all()) {
        if (order.customerId === null || order.test) continue;
        const entry = figures.get(order.customerId) ?? {orders: 0, spentMinor: 0};
        entry.orders += 1;
        if (order.financialStatus === 'PAID' || order.financialStatus === 'PARTIALLY_REFUNDED' || order.financialStatus === 'PARTIALLY_PAID') {
          const totals = orderTotals(order);
          entry.spentMinor += Math.max(0, totals.totalMinor - totals.refundedMinor);
        }
        figures.set(order.customerId, entry);
      }
      this.customerFigures = figures;
    }
    return this.customerFigures.get(customerId) ?? {orders: 0, spentMinor: 0};
  }

  addDiscount(discount: DiscountRecord): void {
    this.discounts.insert(discount);
    for (const code of discount.codes) this.codes.set(code.code.toUpperCase(), discount.id);
  }

  /** Redeem codes are unique per shop, case-insensitively. */
  discountByCode(code: string): DiscountRecord | undefined {
    const id = this.codes.get(code.trim().toUpperCase());
    return id === undefined ? undefined : this.discounts.get(id);
  }

  addCheckout(checkout: CheckoutRecord): void {
    this.checkouts.insert(checkout);
  }
}
