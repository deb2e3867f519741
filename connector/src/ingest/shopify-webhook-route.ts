import express, {type Router} from 'express';
import {problem, sendProblem} from '../http/problem.js';
import type {Logger} from '../logging/logger.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import type {InboxRepository} from '../store/inbox-repository.js';
import type {ShopifyWebhookVerifier} from './shopify-webhook-verifier.js';

export interface ShopifyWebhookRouteDeps {
  connections: ConnectionsRepository;
  inbox: InboxRepository;
  verifier: ShopifyWebhookVerifier;
  logger: Logger;
  /** Called once an event is durably stored. */
  onAccepted(): void;
  now(): Date;
}

/** Shopify retries anything slower than 5 s, so this route only verifies, persists and answers. */
export const SHOPIFY_WEBHOOK_MAX_BYTES = 2 * 1024 * 1024;

export function shopifyWebhookRouter(deps: ShopifyWebhookRouteDeps): Router {
  const router = express.Router();
  // Raw body: the HMAC is over the exact bytes; never parse and re-serialise before verifying.
  router.post('/webhooks/shopify', express.raw({type: () => true, limit: SHOPIFY_WEBHOOK_MAX_BYTES}), async (req, res, next) => {
    try {
      const unauthorized = () =>
        sendProblem(res, problem(401, 'invalid-webhook-signature', 'Unauthorized', 'The webhook signature could not be verified for this shop.', {instance: req.path}));
      const shopDomain = req.get('x-shopify-shop-domain') ?? req.get('shopify-shop-domain');
      const connection = shopDomain ? await deps.connections.byShopDomain(shopDomain) : undefined;
      const secret = connection ? (await deps.connections.shopifyCredentials(connection.id))?.apiSecret : undefined;
      if (!connection || !secret) return unauthorized();
      const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const verified = await deps.verifier.verify(secret, rawBody, req, res);
      if (!verified.valid) {
        deps.logger.warn({shopDomain, reason: verified.reason}, 'rejected a Shopify webhook');
        return unauthorized();
      }
      const contentType = req.get('content-type') ?? '';
      if (!contentType.includes('json')) {
        return sendProblem(res, problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Shopify webhooks must be JSON.', {instance: req.path}));
      }
      const {webhook} = verified;
      const stored = await deps.inbox.append({
        connectionId: connection.id,
        source: 'shopify',
        topic: webhook.topic,
        dedupeKey: webhook.webhookId,
        triggeredAt: webhook.triggeredAt,
        payload: rawBody,
        receivedAt: deps.now().toISOString(),
      });
      res.status(200).json({accepted: true, duplicate: stored.duplicate, id: stored.id});
      if (!stored.duplicate) deps.onAccepted();
    } catch (err) {
      next(err);
    }
  });
  return router;
}
