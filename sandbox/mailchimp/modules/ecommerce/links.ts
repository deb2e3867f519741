import {link} from '../../core/collection.js';
import type {HttpMethod} from '../../core/routes.js';

/** Turns a path below /3.0 into the absolute URL Mailchimp puts in `_links` (the sandbox's own origin). */
export type ApiUrl = (path: string) => string;

export type Link = ReturnType<typeof link>;

export function apiUrlFor(origin: () => string): ApiUrl {
  return (path) => `${origin()}/3.0${path}`;
}

/** Encodes client-defined ids for use in paths (ids may contain spaces, slashes, ...). */
export function seg(id: string): string {
  return encodeURIComponent(id);
}

const REL: Record<Exclude<HttpMethod, 'GET' | 'POST'>, string> = {PUT: 'upsert', PATCH: 'update', DELETE: 'delete'};

/** `_links` of a single resource: self, parent, and one entry per write method it supports. */
export function itemLinks(
  api: ApiUrl,
  self: string,
  parent: string,
  methods: Array<'PUT' | 'PATCH' | 'DELETE'>,
): Link[] {
  return [link('self', api(self)), link('parent', api(parent)), ...methods.map((m) => link(REL[m], api(self), m))];
}

/** `_links` of a collection: self, parent, and `create` when it accepts POST. */
export function collectionLinks(api: ApiUrl, self: string, parent: string, creatable = true): Link[] {
  const out = [link('self', api(self)), link('parent', api(parent))];
  if (creatable) out.push(link('create', api(self), 'POST'));
  return out;
}

export const paths = {
  stores: () => '/ecommerce/stores',
  store: (storeId: string) => `/ecommerce/stores/${seg(storeId)}`,
  customers: (storeId: string) => `/ecommerce/stores/${seg(storeId)}/customers`,
  customer: (storeId: string, id: string) => `/ecommerce/stores/${seg(storeId)}/customers/${seg(id)}`,
  products: (storeId: string) => `/ecommerce/stores/${seg(storeId)}/products`,
  product: (storeId: string, id: string) => `/ecommerce/stores/${seg(storeId)}/products/${seg(id)}`,
  variants: (storeId: string, productId: string) => `${paths.product(storeId, productId)}/variants`,
  variant: (storeId: string, productId: string, id: string) =>
    `${paths.product(storeId, productId)}/variants/${seg(id)}`,
  images: (storeId: string, productId: string) => `${paths.product(storeId, productId)}/images`,
  image: (storeId: string, productId: string, id: string) => `${paths.product(storeId, productId)}/images/${seg(id)}`,
  orders: (storeId: string) => `/ecommerce/stores/${seg(storeId)}/orders`,
  order: (storeId: string, id: string) => `/ecommerce/stores/${seg(storeId)}/orders/${seg(id)}`,
  carts: (storeId: string) => `/ecommerce/stores/${seg(storeId)}/carts`,
  cart: (storeId: string, id: string) => `/ecommerce/stores/${seg(storeId)}/carts/${seg(id)}`,
  promoRules: (storeId: string) => `/ecommerce/stores/${seg(storeId)}/promo-rules`,
  promoRule: (storeId: string, id: string) => `/ecommerce/stores/${seg(storeId)}/promo-rules/${seg(id)}`,
  promoCodes: (storeId: string, ruleId: string) => `${paths.promoRule(storeId, ruleId)}/promo-codes`,
  promoCode: (storeId: string, ruleId: string, id: string) =>
    `${paths.promoRule(storeId, ruleId)}/promo-codes/${seg(id)}`,
};
