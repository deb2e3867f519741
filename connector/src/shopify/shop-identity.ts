import type {MapContext} from './map-context.js';
import {PayloadError, type Fields} from './payload-fields.js';

/** Why a delivery is refused: the body is another topic's (or not an object), or it names another shop. */
export type RefusalReason = 'wrong_shape' | 'foreign_shop';

/** A body that cannot be what its topic says: never stored at the HTTP edge, failed without effect in the inbox. */
export class WebhookShapeError extends PayloadError {
  constructor(
    readonly reason: RefusalReason,
    field: string | undefined,
    message: string,
  ) {
    super(field, message);
    this.name = 'WebhookShapeError';
  }
}

/**
 * The payload names the delivering shop in `field` (`shop_domain`, `myshopify_domain`): absent or blank is refused
 * as the wrong shape, another domain as a foreign shop. Used by the topic shape check (topic-shapes.ts) and again by
 * the compliance mappers themselves, so a destructive mapper never relies on its caller having checked.
 */
export function requireOwnShop(payload: Fields, field: string, context: Pick<MapContext, 'shopDomain'>): void {
  let named: string | undefined;
  try {
    named = payload.optString(field)?.trim().toLowerCase();
  } catch (error) {
    throw new WebhookShapeError(
      'wrong_shape',
      payload.at(field),
      error instanceof Error ? error.message : String(error),
    );
  }
  if (named === undefined)
    throw new WebhookShapeError('wrong_shape', payload.at(field), 'required string is missing or empty');
  const delivering = context.shopDomain.trim().toLowerCase();
  if (named !== delivering)
    throw new WebhookShapeError(
      'foreign_shop',
      payload.at(field),
      `payload is for ${named}, delivery is from ${context.shopDomain}`,
    );
}
