import type {CollectionMeta, Link} from './common.js';
import type {Customer, OrderCustomerInput} from './customers.js';

export interface CartLineInput {
  id: string;
  product_id: string;
  product_variant_id: string;
  quantity: number;
  price: number;
}

export interface CartLine extends CartLineInput {
  product_title?: string;
  product_variant_title?: string;
  _links?: Link[];
}

/** POST …/carts (required: id, customer, currency_code, order_total, lines). */
export interface CartCreateRequest {
  id: string;
  customer: OrderCustomerInput;
  currency_code: string;
  order_total: number;
  lines: CartLineInput[];
  campaign_id?: string;
  /** Required for abandoned-cart automations. */
  checkout_url?: string;
  tax_total?: number;
}

export type CartUpdateRequest = Partial<Omit<CartCreateRequest, 'id'>>;

export interface Cart extends Omit<CartCreateRequest, 'customer' | 'lines'> {
  customer: Customer;
  lines: CartLine[];
  created_at: string;
  updated_at: string;
  _links?: Link[];
}

export interface CartsCollection extends CollectionMeta {
  carts: Cart[];
  store_id: string;
}
