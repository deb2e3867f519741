import {defineDocument} from './admin-document.js';

export interface CountNode {
  count: number;
  precision: 'EXACT' | 'AT_LEAST';
}

export interface ShopNode {
  name: string;
  currencyCode: string;
  myshopifyDomain: string;
  email: string;
  ianaTimezone: string;
  primaryDomain: {url: string};
}

/** What a backfill needs to know first: the shop (currency, domain) and how much there is. `limit: null` counts past 10,000. */
export const SHOP_AND_COUNTS = defineDocument<
  {
    shop: ShopNode;
    productsCount: CountNode | null;
    customersCount: CountNode | null;
    ordersCount: CountNode | null;
    discountCodesCount: CountNode | null;
    abandonedCheckoutsCount: CountNode | null;
  },
  {ordersQuery?: string | null}
>(`
  query ShopAndCounts($ordersQuery: String) {
    shop { name currencyCode myshopifyDomain email ianaTimezone primaryDomain { url } }
    productsCount(limit: null) { count precision }
    customersCount(limit: null) { count precision }
    ordersCount(query: $ordersQuery, limit: null) { count precision }
    discountCodesCount { count precision }
    abandonedCheckoutsCount(limit: null) { count precision }
  }`);

/** The shop's currency: the Mailchimp store is created in it (SyncContext.ensureStore). */
export const SHOP_CURRENCY = defineDocument<{shop: Pick<ShopNode, 'currencyCode'>}>(`
  query ShopCurrency {
    shop { currencyCode }
  }`);

export interface ShopAddressNode {
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  countryCodeV2: string | null;
  phone: string | null;
}

/** The shop's name, e-mail addresses and business address: an audience created at onboarding carries them. */
export const SHOP_PROFILE = defineDocument<{
  shop: Pick<ShopNode, 'name' | 'email' | 'currencyCode' | 'myshopifyDomain'> & {
    contactEmail: string;
    billingAddress: ShopAddressNode;
  };
}>(`
  query ShopProfile {
    shop {
      name email contactEmail currencyCode myshopifyDomain
      billingAddress { address1 address2 city province provinceCode zip countryCodeV2 phone }
    }
  }`);
