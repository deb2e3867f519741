import type {StoreEvent} from '../model/events.js';
import {parseLossless} from './lossless-json.js';
import type {MapContext} from './map-context.js';
import {Fields, normaliseTimestamp, PayloadError} from './payload-fields.js';
import {assertTopicShape} from './topic-shapes.js';
import {mapperFor, normaliseTopic} from './topics.js';

export interface WebhookMeta {
  /** `X-Shopify-Shop-Domain`. */
  shopDomain: string;
  /** `X-Shopify-Triggered-At`: dates payloads without `updated_at` (consent, refunds without timestamps). */
  triggeredAt?: string;
  /** The shop's currency (ISO 4217); required for `products/*` payloads, which carry prices without a currency. */
  shopCurrency?: string;
}

export interface MapError {
  /** Dotted path of the offending field (`line_items[2].price`), when one field is to blame. */
  field?: string;
  message: string;
}

export type MapResult = {ok: true; events: StoreEvent[]} | {ok: false; error: MapError};

/**
 * Maps one Shopify webhook delivery (topic header + raw body bytes as text) to canonical store events.
 * Pure and total: it never throws; a malformed body or payload is `{ok: false, error}` for the dead-letter queue,
 * an unknown topic is `{ok: true, events: [{kind: 'ignored'}]}`. The body is parsed losslessly so that 64-bit ids
 * survive as exact decimal strings.
 */
export function mapShopifyWebhook(topic: string, rawBody: string, meta: WebhookMeta): MapResult {
  const mapper = mapperFor(topic);
  if (!mapper)
    return {
      ok: true,
      events: [{kind: 'ignored', reason: `topic ${JSON.stringify(normaliseTopic(topic))} is not synced`}],
    };

  const parsed = parseLossless(rawBody);
  if (!parsed.ok) return {ok: false, error: {message: `body is not valid JSON: ${parsed.message}`}};

  try {
    const context: MapContext = {
      shopDomain: meta.shopDomain,
      ...(meta.triggeredAt !== undefined
        ? {triggeredAt: normaliseTimestamp(meta.triggeredAt, 'meta.triggeredAt')}
        : {}),
      ...(meta.shopCurrency !== undefined ? {shopCurrency: meta.shopCurrency.trim().toUpperCase()} : {}),
    };
    const payload = Fields.root(parsed.value);
    // Only a body of the topic's own shape, naming this shop where it names one (topic-shapes.ts): the HMAC covers
    // the body, not the topic header, so a signed body re-sent under another topic must have no effect.
    assertTopicShape(topic, payload, context);
    return {ok: true, events: mapper(payload, context)};
  } catch (error) {
    if (error instanceof PayloadError) {
      return {
        ok: false,
        error: error.field !== undefined ? {field: error.field, message: error.message} : {message: error.message},
      };
    }
    // A mapper bug must not crash the worker either: the delivery goes to the dead-letter queue with the reason.
    return {ok: false, error: {message: `mapper failed: ${error instanceof Error ? error.message : String(error)}`}};
  }
}
