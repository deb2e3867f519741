import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {Order, OrderCreateRequest, OrderUpdateRequest, OrdersCollection} from '../types/orders.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';
import {patchThenCreate, type UpsertOptions} from './upsert.js';

const ORDERS = '/ecommerce/stores/{store_id}/orders';
const ORDER = '/ecommerce/stores/{store_id}/orders/{order_id}';
const ORDER_LINE = '/ecommerce/stores/{store_id}/orders/{order_id}/lines/{line_id}';

export class OrdersApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(storeId: string, body: OrderCreateRequest): Promise<Order> {
    return this.transport.request<Order, typeof ORDERS>({
      method: 'POST',
      route: ORDERS,
      params: {store_id: storeId},
      body,
    });
  }

  update(storeId: string, orderId: string, body: OrderUpdateRequest): Promise<Order> {
    return this.transport.request<Order, typeof ORDER>({
      method: 'PATCH',
      route: ORDER,
      params: {store_id: storeId, order_id: orderId},
      body,
    });
  }

  /**
   * No PUT for orders: PATCH, then POST on 404. The PATCH leaves `customer` out: an order's customer is fixed at
   * creation (PATCH's customer schema has no id), and resending it risks "An email address may not be changed".
   * `createFirst` when the caller knows the order is new (POST, PATCH only if it already exists).
   */
  upsert(storeId: string, body: OrderCreateRequest, options?: UpsertOptions): Promise<Order> {
    const {id, customer: _customer, ...changes} = body;
    return patchThenCreate(
      () => this.update(storeId, id, changes),
      () => this.create(storeId, body),
      options,
    );
  }

  get(storeId: string, orderId: string, select?: FieldSelection): Promise<Order | null> {
    return nullIfNotFound(
      this.transport.request<Order, typeof ORDER>({
        method: 'GET',
        route: ORDER,
        params: {store_id: storeId, order_id: orderId},
        select,
      }),
    );
  }

  delete(storeId: string, orderId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: ORDER, params: {store_id: storeId, order_id: orderId}}),
    );
  }

  /**
   * Removes one line of an order. PATCH only adds or updates lines by id and never removes one, so a line that left
   * the order (refunded in full) goes this way. False when the order or the line is already gone.
   */
  deleteLine(storeId: string, orderId: string, lineId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({
        method: 'DELETE',
        route: ORDER_LINE,
        params: {store_id: storeId, order_id: orderId, line_id: lineId},
      }),
    );
  }

  /** How many orders the store holds (one request: `count=1`, only `total_items`). */
  async count(storeId: string): Promise<number> {
    const page = await this.transport.request<OrdersCollection, typeof ORDERS>({
      method: 'GET',
      route: ORDERS,
      params: {store_id: storeId},
      query: {count: 1},
      select: {fields: ['total_items']},
    });
    return page.total_items;
  }

  /** Every order of the store, a page at a time (the resync compares them with local state). */
  list(
    storeId: string,
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<Order, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<OrdersCollection, typeof ORDERS>({
          method: 'GET',
          route: ORDERS,
          params: {store_id: storeId},
          query: page,
          select: options.select,
        }),
      (page) => page.orders,
      options,
    );
  }
}
