import type {StoreEvent} from '../model/events.js';
import {PayloadError, type Fields} from './payload-fields.js';

/** What a topic mapper knows besides the payload: the delivery's headers and the shop's settings. */
export interface MapContext {
  /** `X-Shopify-Shop-Domain` (`example.myshopify.com`): builds product URLs and guards compliance topics. */
  shopDomain: string;
  /** `X-Shopify-Triggered-At`, normalised to UTC; the version time when a payload has no `updated_at`. */
  triggeredAt?: string;
  /** The shop's currency (ISO 4217); product payloads carry prices without one. */
  shopCurrency?: string;
}

/** One mapper per topic: payload in, canonical events out. Pure; raises PayloadError for malformed payloads. */
export type TopicMapper = (payload: Fields, context: MapContext) => StoreEvent[];

/**
 * The time that orders versions of an entity. Shopify retries a failed delivery for hours with the payload as it was
 * when triggered, so the engine must be able to drop a late retry that is older than what it has already applied.
 */
export function versionTime(payload: Fields, context: MapContext): string {
  const updatedAt = payload.optTimestamp('updated_at') ?? context.triggeredAt;
  if (updatedAt === undefined) {
    throw new PayloadError(
      payload.at('updated_at'),
      'no updated_at in the payload and no triggeredAt in meta: the version cannot be ordered',
    );
  }
  return updatedAt;
}
