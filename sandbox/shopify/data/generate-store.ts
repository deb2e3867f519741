import {generateDiscounts, generateProducts, type TimeSpan} from './generate-catalog.js';
import {generateCustomers} from './generate-customers.js';
import {generateCheckouts, generateOrders} from './generate-orders.js';
import {SeededRandom} from './random.js';
import {ShopStore, type ShopInfo} from './shop-store.js';

export interface StoreSize {
  products: number;
  customers: number;
  orders: number;
  /** Abandoned checkouts (the last 30 days). */
  carts?: number;
  discountCodes?: number;
}

export interface GenerateOptions extends StoreSize {
  seed: number;
  shopDomain?: string;
  shopName?: string;
  currencyCode?: string;
  /** The generated history ends here (default 2026-10-01T00:00:00Z, fixed so that a seed always gives the same store). */
  historyEnd?: number;
  /** Years of order history (default 3). */
  years?: number;
  /** The clock of later writes (default Date.now). */
  now?: () => number;
}

export const DEFAULT_HISTORY_END = Date.parse('2026-10-01T00:00:00Z');

export function shopInfo(options: Pick<GenerateOptions, 'shopDomain' | 'shopName' | 'currencyCode'>): ShopInfo {
  const domain = options.shopDomain ?? 'sandbox-shop.myshopify.com';
  return {
    id: 60_000_000_001,
    name: options.shopName ?? 'Sandbox Shop',
    myshopifyDomain: domain,
    currencyCode: options.currencyCode ?? 'USD',
    email: `owner@${domain.replace(/\.myshopify\.com$/, '')}.example`,
    ianaTimezone: 'America/New_York',
    primaryDomainUrl: `https://${domain}`,
    billingAddress: {
      company: options.shopName ?? 'Sandbox Shop',
      address1: '12 Harbour Street',
      address2: null,
      city: 'Portland',
      province: 'Maine',
      provinceCode: 'ME',
      zip: '04101',
      country: 'United States',
      countryCode: 'US',
      phone: null,
    },
  };
}

/**
 * A whole shop from a seed: the same options always give the same records (ids, names, totals, statuses), so tests
 * and benchmarks can rely on them. Catalogue first, then customers, then orders that reference both, then discounts
 * (generated before orders, which redeem some of them) and abandoned checkouts.
 */
export function generateStore(options: GenerateOptions): ShopStore {
  const random = new SeededRandom(options.seed);
  const info = shopInfo(options);
  const store = new ShopStore(info, options.now);
  const end = options.historyEnd ?? DEFAULT_HISTORY_END;
  const span: TimeSpan = {start: end - Math.round((options.years ?? 3) * 365 * 86_400_000), end};

  const products = generateProducts(random, store.ids, options.products, span, info.myshopifyDomain);
  const customers = generateCustomers(random, store.ids, options.customers, span);
  const discounts = generateDiscounts(random, store.ids, options.discountCodes ?? 0, span);
  const context = {random, ids: store.ids, products, customers, discounts, shopDomain: info.myshopifyDomain};
  const orders = generateOrders(context, options.orders, span);
  const checkouts = generateCheckouts(context, options.carts ?? 0, span);

  for (const product of products) store.addProduct(product);
  for (const customer of customers) store.addCustomer(customer);
  for (const discount of discounts) store.addDiscount(discount);
  for (const order of orders) store.addOrder(order);
  for (const checkout of checkouts) store.addCheckout(checkout);
  return store;
}
