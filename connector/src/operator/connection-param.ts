import type {Request} from 'express';
import type {Connection, ConnectionsRepository} from '../store/connections-repository.js';
import {problem, type ProblemDocument} from '../http/problem.js';

/** What an operator is told when no shop is connected at all: why, and how to connect one. */
export const NO_CONNECTION_DETAIL =
  'No shop is connected: set SHOPIFY_SHOP (with SHOPIFY_ACCESS_TOKEN for the backfill) or INGEST_TOKEN, with MAILCHIMP_API_KEY and MAILCHIMP_LIST_ID, and restart; or install a shop through the app (<PUBLIC_URL>/shopify/install?shop=<shop>.myshopify.com, with SHOPIFY_API_KEY and SHOPIFY_API_SECRET).';

/**
 * The connection an operator request is about: `?shop=<shop domain>`, or the only active connection when there is
 * one (the usual single-shop deployment).
 */
export async function connectionOf(
  req: Request,
  connections: ConnectionsRepository,
): Promise<{ok: true; connection: Connection} | {ok: false; problem: ProblemDocument}> {
  const shop = typeof req.query.shop === 'string' ? req.query.shop : undefined;
  if (shop) {
    const connection = await connections.byShopDomain(shop);
    if (connection) return {ok: true, connection};
    return {
      ok: false,
      problem: problem(404, 'shop-not-found', 'Not Found', `No connection for shop ${shop}.`, {instance: req.path}),
    };
  }
  const active = (await connections.all()).filter((c) => c.status === 'active');
  if (active.length === 1) return {ok: true, connection: active[0]!};
  if (active.length === 0)
    return {
      ok: false,
      problem: problem(409, 'no-connection', 'Conflict', NO_CONNECTION_DETAIL, {instance: req.path}),
    };
  return {
    ok: false,
    problem: problem(
      400,
      'shop-required',
      'Bad Request',
      `Several shops are connected; name one with ?shop= (${active.map((c) => c.shopDomain).join(', ')}).`,
      {instance: req.path},
    ),
  };
}

/** `?refresh=1` (or true/yes). */
export function wantsRefresh(req: Request): boolean {
  return ['1', 'true', 'yes'].includes(String(req.query.refresh ?? '').toLowerCase());
}
