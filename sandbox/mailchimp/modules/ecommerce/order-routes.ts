import {paginate} from '../../core/collection.js';
import type {RouteDef} from '../../core/routes.js';
import {lineRoutes} from './lines.js';
import {collectionLinks, paths, type ApiUrl} from './links.js';
import {createOrder, deleteOrder, orderMatches, orderView, requireOrder, updateOrder} from './orders.js';
import {requireStore} from './stores.js';

/** Store orders (GET, POST, PATCH, DELETE — PUT answers 405), their lines, and the account-wide order list. */
export function orderRoutes(api: ApiUrl): RouteDef[] {
  const base = '/ecommerce/stores/{store_id}/orders';
  return [
    {
      // Reports read revenue per campaign through this list.
      method: 'GET',
      path: '/ecommerce/orders',
      handler: (req, state) => {
        const all = [...state.stores.values()].flatMap((store) =>
          [...store.orders.values()].filter((o) => orderMatches(o, req.query)).map((order) => ({store, order})),
        );
        const {page, total_items} = paginate(all, req.query);
        return {
          status: 200,
          body: {
            orders: page.map(({store, order}) => orderView(state, store, order, api)),
            total_items,
            _links: collectionLinks(api, '/ecommerce/orders', '/ecommerce', false),
          },
        };
      },
    },
    {
      method: 'GET',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        const {page, total_items} = paginate(
          [...store.orders.values()].filter((o) => orderMatches(o, req.query)),
          req.query,
        );
        return {
          status: 200,
          body: {
            store_id: store.id,
            orders: page.map((o) => orderView(state, store, o, api)),
            total_items,
            _links: collectionLinks(api, paths.orders(store.id), paths.store(store.id)),
          },
        };
      },
    },
    {
      method: 'POST',
      path: base,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: orderView(state, store, createOrder(state, store, req.body), api)};
      },
    },
    {
      method: 'GET',
      path: `${base}/{order_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {status: 200, body: orderView(state, store, requireOrder(store, req.params.order_id!), api)};
      },
    },
    {
      method: 'PATCH',
      path: `${base}/{order_id}`,
      handler: (req, state) => {
        const store = requireStore(state, req.params.store_id!);
        return {
          status: 200,
          body: orderView(state, store, updateOrder(state, store, req.params.order_id!, req.body), api),
        };
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{order_id}`,
      handler: (req, state) => {
        deleteOrder(state, requireStore(state, req.params.store_id!), req.params.order_id!);
        return {status: 204};
      },
    },
    // Lines carry no money of their own (order_total is what counts), so changing them leaves the totals alone.
    ...lineRoutes(api, {
      kind: 'order',
      segment: 'orders',
      param: 'order_id',
      find: (store, id) => store.orders.get(id),
      changed: () => undefined,
    }),
  ];
}
