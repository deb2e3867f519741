import type {CollectionMeta, EcommerceAddress, Link} from './common.js';

type CustomerAddress = Omit<EcommerceAddress, 'longitude' | 'latitude'>;

/** PUT /ecommerce/stores/{store_id}/customers/{customer_id} — "Add or update customer". */
export interface CustomerUpsertRequest {
  /** At most 50 characters (longer ids in orders answer 404 Page Not Found). Bound to its email for good. */
  id: string;
  email_address: string;
  /** New addresses: true → subscribed, false → transactional. Never changes an existing member. */
  opt_in_status: boolean;
  company?: string;
  first_name?: string;
  last_name?: string;
  address?: CustomerAddress;
}

export interface Customer extends CustomerUpsertRequest {
  orders_count: number;
  total_spent: number;
  created_at: string;
  updated_at: string;
  _links?: Link[];
}

export interface CustomersCollection extends CollectionMeta {
  customers: Customer[];
  store_id: string;
}

/** The customer of an order or cart: only `id` for one that exists; the rest creates it. */
export interface OrderCustomerInput {
  id: string;
  email_address?: string;
  opt_in_status?: boolean;
  company?: string;
  first_name?: string;
  last_name?: string;
  address?: CustomerAddress;
}
