import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {Customer, CustomerUpsertRequest} from '../types/customers.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const CUSTOMER = '/ecommerce/stores/{store_id}/customers/{customer_id}';

export class CustomersApi {
  constructor(private readonly transport: MailchimpTransport) {}

  /** PUT "Add or update customer". A different email for an existing id fails with kind `email_immutable`. */
  upsert(storeId: string, body: CustomerUpsertRequest): Promise<Customer> {
    return this.transport.request<Customer, typeof CUSTOMER>({method: 'PUT', route: CUSTOMER, params: {store_id: storeId, customer_id: body.id}, body});
  }

  get(storeId: string, customerId: string, select?: FieldSelection): Promise<Customer | null> {
    return nullIfNotFound(this.transport.request<Customer, typeof CUSTOMER>({
      method: 'GET', route: CUSTOMER, params: {store_id: storeId, customer_id: customerId}, select,
    }));
  }

  delete(storeId: string, customerId: string): Promise<boolean> {
    return falseIfNotFound(this.transport.request({method: 'DELETE', route: CUSTOMER, params: {store_id: storeId, customer_id: customerId}}));
  }
}
