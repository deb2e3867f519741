import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {Customer, CustomerUpsertRequest, CustomersCollection} from '../types/customers.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const CUSTOMERS = '/ecommerce/stores/{store_id}/customers';
const CUSTOMER = '/ecommerce/stores/{store_id}/customers/{customer_id}';

export class CustomersApi {
  constructor(private readonly transport: MailchimpTransport) {}

  /** PUT "Add or update customer". A different email for an existing id fails with kind `email_immutable`. */
  upsert(storeId: string, body: CustomerUpsertRequest): Promise<Customer> {
    return this.transport.request<Customer, typeof CUSTOMER>({
      method: 'PUT',
      route: CUSTOMER,
      params: {store_id: storeId, customer_id: body.id},
      body,
    });
  }

  get(storeId: string, customerId: string, select?: FieldSelection): Promise<Customer | null> {
    return nullIfNotFound(
      this.transport.request<Customer, typeof CUSTOMER>({
        method: 'GET',
        route: CUSTOMER,
        params: {store_id: storeId, customer_id: customerId},
        select,
      }),
    );
  }

  delete(storeId: string, customerId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: CUSTOMER, params: {store_id: storeId, customer_id: customerId}}),
    );
  }

  /** Every customer of the store, a page at a time (the resync compares them with local state). */
  list(
    storeId: string,
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<Customer, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<CustomersCollection, typeof CUSTOMERS>({
          method: 'GET',
          route: CUSTOMERS,
          params: {store_id: storeId},
          query: page,
          select: options.select,
        }),
      (page) => page.customers,
      options,
    );
  }
}
