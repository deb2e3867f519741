import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {Store, StoreCreateRequest, StoresCollection, StoreUpdateRequest} from '../types/stores.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const STORES = '/ecommerce/stores';
const STORE = '/ecommerce/stores/{store_id}';

/** E-commerce stores. There is no PUT: create once (with `is_syncing: true` for the initial sync), then PATCH. */
export class StoresApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(body: StoreCreateRequest): Promise<Store> {
    return this.transport.request<Store, typeof STORES>({method: 'POST', route: STORES, params: {}, body});
  }

  get(storeId: string, select?: FieldSelection): Promise<Store | null> {
    return nullIfNotFound(
      this.transport.request<Store, typeof STORE>({method: 'GET', route: STORE, params: {store_id: storeId}, select}),
    );
  }

  update(storeId: string, body: StoreUpdateRequest): Promise<Store> {
    return this.transport.request<Store, typeof STORE>({
      method: 'PATCH',
      route: STORE,
      params: {store_id: storeId},
      body,
    });
  }

  /** Deletes the store with its customers, orders, products and carts. */
  delete(storeId: string): Promise<boolean> {
    return falseIfNotFound(this.transport.request({method: 'DELETE', route: STORE, params: {store_id: storeId}}));
  }

  list(options?: PaginateOptions): AsyncGenerator<Store, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<StoresCollection, typeof STORES>({
          method: 'GET',
          route: STORES,
          params: {},
          query: page,
        }),
      (page) => page.stores,
      options,
    );
  }
}
