import type {CollectionMeta, Link, OrderAddress} from './common.js';
import type {Customer, OrderCustomerInput} from './customers.js';

export interface OrderLineInput {
  id: string;
  product_id: string;
  product_variant_id: string;
  quantity: number;
  price: number;
  discount?: number;
}

export interface OrderLine extends OrderLineInput {
  product_title?: string;
  product_variant_title?: string;
  image_url?: string;
  _links?: Link[];
}

export interface OrderPromo {
  code: string;
  amount_discounted: number;
  type: 'fixed' | 'percentage';
}

/** POST …/orders (required: id, customer, currency_code, order_total, lines). There is no PUT for orders. */
export interface OrderCreateRequest {
  id: string;
  customer: OrderCustomerInput;
  currency_code: string;
  order_total: number;
  lines: OrderLineInput[];
  /** Must name a campaign of this list ("A campaign with the provided ID does not exist…"). */
  campaign_id?: string;
  landing_site?: string;
  /** pending | paid | refunded | cancelled: drives order notifications. */
  financial_status?: string;
  /** e.g. shipped. */
  fulfillment_status?: string;
  order_url?: string;
  discount_total?: number;
  tax_total?: number;
  shipping_total?: number;
  tracking_code?: 'prec';
  processed_at_foreign?: string;
  /** Setting it cancels the order. */
  cancelled_at_foreign?: string;
  updated_at_foreign?: string;
  shipping_address?: OrderAddress;
  billing_address?: OrderAddress;
  promos?: OrderPromo[];
  outreach?: {id: string};
  tracking_number?: string;
  tracking_carrier?: string;
  tracking_url?: string;
}

/** PATCH …/orders/{order_id}: all optional; `promos` is replaced as a whole. */
export type OrderUpdateRequest = Partial<Omit<OrderCreateRequest, 'id'>>;

export interface Order extends Omit<OrderCreateRequest, 'customer' | 'lines'> {
  store_id: string;
  customer: Customer;
  lines: OrderLine[];
  _links?: Link[];
}

export interface OrdersCollection extends CollectionMeta {
  orders: Order[];
  store_id: string;
}
