import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {Cart, CartCreateRequest, CartUpdateRequest} from '../types/carts.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';
import {patchThenCreate, type UpsertOptions} from './upsert.js';

const CARTS = '/ecommerce/stores/{store_id}/carts';
const CART = '/ecommerce/stores/{store_id}/carts/{cart_id}';

/** Carts feed abandoned-cart automations; delete the cart when its order arrives. */
export class CartsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(storeId: string, body: CartCreateRequest): Promise<Cart> {
    return this.transport.request<Cart, typeof CARTS>({
      method: 'POST',
      route: CARTS,
      params: {store_id: storeId},
      body,
    });
  }

  update(storeId: string, cartId: string, body: CartUpdateRequest): Promise<Cart> {
    return this.transport.request<Cart, typeof CART>({
      method: 'PATCH',
      route: CART,
      params: {store_id: storeId, cart_id: cartId},
      body,
    });
  }

  /**
   * PATCH, then POST on 404 (checkouts are edited more often than created); `customer` only on creation.
   * `createFirst` when the caller knows the cart is new (POST, PATCH only if it already exists).
   */
  upsert(storeId: string, body: CartCreateRequest, options?: UpsertOptions): Promise<Cart> {
    const {id, customer: _customer, ...changes} = body;
    return patchThenCreate(
      () => this.update(storeId, id, changes),
      () => this.create(storeId, body),
      options,
    );
  }

  get(storeId: string, cartId: string, select?: FieldSelection): Promise<Cart | null> {
    return nullIfNotFound(
      this.transport.request<Cart, typeof CART>({
        method: 'GET',
        route: CART,
        params: {store_id: storeId, cart_id: cartId},
        select,
      }),
    );
  }

  /** False when the cart was already gone. */
  delete(storeId: string, cartId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: CART, params: {store_id: storeId, cart_id: cartId}}),
    );
  }
}
