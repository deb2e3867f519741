import type {SandboxModule} from '../core/module.js';
import {cartRoutes} from './ecommerce/carts.js';
import {customerRoutes} from './ecommerce/customers.js';
import {imageRoutes} from './ecommerce/images.js';
import {apiUrlFor} from './ecommerce/links.js';
import {orderRoutes} from './ecommerce/order-routes.js';
import {productRoutes} from './ecommerce/products.js';
import {promoCodeRoutes} from './ecommerce/promo-codes.js';
import {promoRuleRoutes} from './ecommerce/promo-rules.js';
import {storeRoutes} from './ecommerce/stores.js';
import {variantRoutes} from './ecommerce/variants.js';

/**
 * The E-commerce API: stores and, below each store, customers, products (variants, images), orders, carts (with
 * lines) and promo rules (with codes); plus the account-wide order list. Read helpers for other modules live in
 * ./ecommerce/ecommerce-queries.ts.
 */
export const ecommerceModule: SandboxModule = {
  name: 'ecommerce',
  routes: (ctx) => {
    const api = apiUrlFor(ctx.origin);
    return [
      ...storeRoutes(api),
      ...customerRoutes(api),
      ...productRoutes(api),
      ...variantRoutes(api),
      ...imageRoutes(api),
      ...orderRoutes(api),
      ...cartRoutes(api),
      ...promoRuleRoutes(api),
      ...promoCodeRoutes(api),
    ];
  },
};
