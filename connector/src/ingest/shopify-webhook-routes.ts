import express, {type NextFunction, type Request, type Response, type Router} from 'express';
import {ByteBudget} from '../http/byte-budget.js';
import {problem, sendProblem} from '../http/problem.js';
import type {Logger} from '../logging/logger.js';
import {refuseWebhookBody} from '../shopify/topic-shapes.js';
import type {RefusalReason} from '../shopify/shop-identity.js';
import {normaliseTopic, SUPPORTED_TOPICS} from '../shopify/topics.js';
import type {Connection} from '../store/connections-repository.js';
import type {IngestConnections} from '../store/connection-cache.js';
import type {InboxRepository} from '../store/inbox-repository.js';
import {answerAndWake, appendToInbox} from './intake.js';
import {shopifyHeader, type ShopifyWebhookVerifier} from './shopify-webhook-verifier.js';

/** Why a delivery was refused before anything was stored (the `reason` label of connector_webhooks_refused_total). */
export type WebhookRefusal = 'missing_signature' | 'unknown_shop' | 'busy' | 'invalid_signature' | RefusalReason;

export interface ShopifyWebhookRouteDeps {
  /** The shop's connection and secret: the connector passes its ConnectionCache (nothing read per request). */
  connections: Pick<IngestConnections, 'webhookShop'>;
  inbox: InboxRepository;
  verifier: ShopifyWebhookVerifier;
  logger: Logger;
  /** Called once an event is durably stored. */
  onAccepted(): void;
  /** Called for each refused delivery; `topic` is a synced topic or `other` (a bounded label). */
  onRefused?(topic: string, reason: WebhookRefusal): void;
  now(): Date;
  /** Bytes of webhook bodies read at once across requests (default SHOPIFY_WEBHOOK_BODY_BUDGET_BYTES). */
  bodyBudgetBytes?: number;
}

/** Shopify retries anything slower than 5 s, so this route only verifies, persists and answers. */
export const SHOPIFY_WEBHOOK_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Sixteen largest bodies at once. Real deliveries are a few KB and read in milliseconds, so only clients that
 * trickle large bodies (which Shopify, answering within 5 s, never does) fill it; they get a 503 instead of memory.
 */
export const SHOPIFY_WEBHOOK_BODY_BUDGET_BYTES = 16 * SHOPIFY_WEBHOOK_MAX_BYTES;

interface Admitted {
  connection: Connection;
  secret: string;
}

/**
 * `POST /webhooks/shopify`. What it trusts: the body only when its HMAC verifies with the secret of the shop named
 * by the same header set the library verifies; the topic header only as far as the body has that topic's shape and
 * names this shop where it names one (shopify/topic-shapes.ts). In order, each refusal answered at once and counted:
 * 1. from the headers alone, before the body is read (and the connection closed): no signature header, a shop that
 *    is not connected (401), too many bodies being read (503);
 * 2. the raw body read (≤ 2 MB) and verified by @shopify/shopify-api: a bad signature (401), not JSON (415);
 * 3. a body that cannot be its topic's for this shop (422: another topic's shape, another or no shop): stored
 *    nowhere, so a signed body re-sent under another topic has no effect. Shopify would retry a 4xx, but Shopify
 *    never sends such a body; only an edited delivery can.
 */
export function shopifyWebhookRouter(deps: ShopifyWebhookRouteDeps): Router {
  const router = express.Router();
  const budget = new ByteBudget(deps.bodyBudgetBytes ?? SHOPIFY_WEBHOOK_BODY_BUDGET_BYTES);
  const topicLabel = (topic: string | undefined) => {
    const key = topic === undefined ? '' : normaliseTopic(topic);
    return SUPPORTED_TOPICS.includes(key) ? key : 'other';
  };
  const refuse = (
    req: Request,
    res: Response,
    reason: WebhookRefusal,
    status: number,
    detail: string,
    extra: {topic?: string; shopDomain?: string; field?: string; closeConnection?: boolean} = {},
  ) => {
    const topic = topicLabel(extra.topic ?? shopifyHeader(req, 'topic'));
    deps.logger.warn(
      {
        shopDomain: extra.shopDomain ?? shopifyHeader(req, 'shop-domain'),
        topic,
        reason,
        ...(extra.field ? {field: extra.field} : {}),
        detail,
      },
      'refused a Shopify webhook',
    );
    deps.onRefused?.(topic, reason);
    // Answered before the body was read: closing the connection stops the server from reading it at all.
    if (extra.closeConnection) res.set('Connection', 'close');
    const slug =
      status === 401 ? 'invalid-webhook-signature' : status === 503 ? 'webhook-intake-busy' : 'webhook-body-refused';
    const title = status === 401 ? 'Unauthorized' : status === 503 ? 'Service Unavailable' : 'Unprocessable Content';
    if (status === 503) res.set('Retry-After', '5');
    sendProblem(
      res,
      problem(status, slug, title, detail, {
        instance: req.path,
        ...(status === 422 ? {reason, ...(extra.field ? {field: extra.field} : {})} : {}),
      }),
    );
  };
  const unauthorized = 'The webhook signature could not be verified for this shop.';

  // 1. Headers only: nothing of the body is read for a request that cannot be authenticated.
  const admit = async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!shopifyHeader(req, 'hmac-sha256'))
        return refuse(req, res, 'missing_signature', 401, unauthorized, {closeConnection: true});
      const shopDomain = shopifyHeader(req, 'shop-domain')?.trim().toLowerCase();
      const shop = shopDomain ? await deps.connections.webhookShop(shopDomain) : undefined;
      const connection = shop?.connection;
      const secret = shop?.secret;
      if (!connection || !secret) return refuse(req, res, 'unknown_shop', 401, unauthorized, {closeConnection: true});
      const declared = Number(req.get('content-length'));
      // A body declared larger than the cap is refused by the parser (413) without being buffered.
      if (!(declared > SHOPIFY_WEBHOOK_MAX_BYTES)) {
        const release = budget.take(Number.isFinite(declared) && declared >= 0 ? declared : SHOPIFY_WEBHOOK_MAX_BYTES);
        if (!release)
          return refuse(req, res, 'busy', 503, 'Too many webhook bodies are being received; try again shortly.', {
            closeConnection: true,
          });
        res.once('close', release);
        res.once('finish', release);
      }
      res.locals.shopifyWebhook = {connection, secret} satisfies Admitted;
      next();
    } catch (err) {
      next(err);
    }
  };

  // Raw body: the HMAC is over the exact bytes; never parse and re-serialise before verifying.
  router.post(
    '/webhooks/shopify',
    admit,
    express.raw({type: () => true, limit: SHOPIFY_WEBHOOK_MAX_BYTES}),
    async (req, res, next) => {
      try {
        const {connection, secret} = res.locals.shopifyWebhook as Admitted;
        const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
        // 2. The signature, by @shopify/shopify-api, over the raw body; the shop it read must be the one admitted.
        const verified = await deps.verifier.verify(secret, rawBody, req, res);
        if (!verified.valid)
          return refuse(req, res, 'invalid_signature', 401, unauthorized, {shopDomain: connection.shopDomain});
        if (verified.webhook.shopDomain.trim().toLowerCase() !== connection.shopDomain.toLowerCase()) {
          return refuse(req, res, 'unknown_shop', 401, unauthorized, {shopDomain: verified.webhook.shopDomain});
        }
        const contentType = req.get('content-type') ?? '';
        if (!contentType.includes('json')) {
          return sendProblem(
            res,
            problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Shopify webhooks must be JSON.', {
              instance: req.path,
            }),
          );
        }
        const {webhook} = verified;
        // 3. The body must be what its topic says, for this shop.
        const refusal = refuseWebhookBody(webhook.topic, rawBody, {shopDomain: connection.shopDomain});
        if (refusal) {
          return refuse(
            req,
            res,
            refusal.reason,
            422,
            `The body is not a ${webhook.topic} delivery for this shop: ${refusal.message}`,
            {topic: webhook.topic, shopDomain: connection.shopDomain, field: refusal.field},
          );
        }
        const stored = await appendToInbox(deps.inbox, {
          connectionId: connection.id,
          source: 'shopify',
          topic: webhook.topic,
          dedupeKey: shopifyDedupeKey(webhook),
          triggeredAt: webhook.triggeredAt,
          payload: rawBody,
          receivedAt: deps.now().toISOString(),
        });
        answerAndWake(res, 200, {accepted: true, duplicate: stored.duplicate, id: stored.id}, stored, () =>
          deps.onAccepted(),
        );
      } catch (err) {
        next(err);
      }
    },
  );
  return router;
}

/**
 * The idempotency key of a Shopify delivery. `X-Shopify-Event-Id` names the event and is the same in every
 * subscription's delivery of it, while `X-Shopify-Webhook-Id` differs per subscription: an installed shop can hold
 * both the app-wide subscriptions of `shopify.app.toml` and the per-shop ones the connector registers
 * (install/webhook-subscriptions.ts), and Shopify then delivers each event once per subscription. Keyed by topic
 * and event id, the second delivery is a duplicate; without an event id (older deliveries) the webhook id is the key,
 * as before, and a retry of one delivery repeats both headers, so it stays a duplicate either way.
 */
export function shopifyDedupeKey(webhook: {topic: string; webhookId: string; eventId?: string}): string {
  return webhook.eventId ? `event:${webhook.topic}:${webhook.eventId}` : webhook.webhookId;
}
