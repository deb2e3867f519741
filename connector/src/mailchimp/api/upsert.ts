import {isMailchimpError} from '../mailchimp-error.js';

/** Which write an upsert tries first. */
export interface UpsertOptions {
  /**
   * POST first: the caller's own state says Mailchimp has never held the entity (a new product or order in live
   * sync), so the create is the one call that lands. A wrong belief costs one more call, never a failure: an
   * "already exists" answer is settled with the PATCH. Default: PATCH first.
   */
  createFirst?: boolean;
}

/**
 * Upsert for resources without PUT (products, orders, carts, promo rules and codes in API 3.0.76): PATCH first,
 * because updates outnumber creations in live sync (inventory, fulfilment, cart edits) and then cost one call;
 * POST when the PATCH says 404. If another worker created it in between, the POST answers "already exists" and
 * one more PATCH settles it. With `createFirst` the order is reversed (createThenPatch).
 */
export async function patchThenCreate<T>(
  patch: () => Promise<T>,
  create: () => Promise<T>,
  options: UpsertOptions = {},
): Promise<T> {
  if (options.createFirst) return createThenPatch(patch, create);
  try {
    return await patch();
  } catch (error) {
    if (!isMailchimpError(error, 'not_found')) throw error;
  }
  try {
    return await create();
  } catch (error) {
    if (isMailchimpError(error, 'already_exists')) return patch();
    throw error;
  }
}

/**
 * POST, then PATCH when Mailchimp answers that the id already exists: one call for an entity that is new, two when
 * the belief was wrong (e.g. a re-sync that forgot what was sent, or a record another process created meanwhile).
 */
export async function createThenPatch<T>(patch: () => Promise<T>, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!isMailchimpError(error, 'already_exists')) throw error;
  }
  return patch();
}
