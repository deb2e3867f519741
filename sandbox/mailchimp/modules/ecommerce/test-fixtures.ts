import type {Response} from 'supertest';
import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {createListRecord} from '../../core/lists.js';
import type {MemberRecord} from '../../core/state.js';
import {subscriberHash} from '../../core/state.js';

/** Test helpers for the e-commerce routes: a sandbox with an audience and a store, and request bodies. */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ShopFixture {
  ts: TestSandbox;
  listId: string;
  storeId: string;
  /** A request below /3.0 with the sandbox key; `body` is sent as JSON. */
  call(method: Method, path: string, body?: unknown): Promise<Response>;
  /** Same, below the fixture store: `store('post', '/orders', {...})`. */
  store(method: Method, path: string, body?: unknown): Promise<Response>;
  member(email: string): MemberRecord | undefined;
  close(): Promise<void>;
}

export async function startShop(options: {storeId?: string; currency?: string} = {}): Promise<ShopFixture> {
  const ts = await startTestSandbox();
  const list = createListRecord(ts.sandbox.state, {name: 'Shop'});
  const storeId = options.storeId ?? 'shop-1';
  const call = async (method: Method, path: string, body?: unknown) => {
    const req = ts.http()[method](`/3.0${path}`).set('Authorization', ts.auth);
    return body === undefined ? req : req.send(body as object);
  };
  const created = await call('post', '/ecommerce/stores', {
    id: storeId,
    list_id: list.id,
    name: 'Shop',
    currency_code: options.currency ?? 'USD',
  });
  if (created.status !== 200) throw new Error(`store not created: ${created.status} ${created.text}`);
  return {
    ts,
    listId: list.id,
    storeId,
    call,
    store: (method, path, body) => call(method, `/ecommerce/stores/${storeId}${path}`, body),
    member: (email) => ts.sandbox.state.lists.get(list.id)!.members.get(subscriberHash(email)),
    close: () => ts.close(),
  };
}

export function productBody(
  id: string,
  variantIds: string[] = [id],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    title: `Product ${id}`,
    variants: variantIds.map((v) => ({id: v, title: `Variant ${v}`, price: 10})),
    ...extra,
  };
}

export function lineBody(
  id: string,
  productId: string,
  variantId = productId,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {id, product_id: productId, product_variant_id: variantId, quantity: 1, price: 10, ...extra};
}

export function orderBody(
  id: string,
  customer: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {id, customer, currency_code: 'USD', order_total: 10, lines: [lineBody(`${id}-l1`, 'p1')], ...extra};
}
