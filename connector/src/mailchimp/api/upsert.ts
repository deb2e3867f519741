import {isMailchimpError} from '../mailchimp-error.js';

/**
 * Upsert for resources without PUT (products, orders, carts, promo rules and codes in API 3.0.76): PATCH first,
 * because updates outnumber creations in live sync (inventory, fulfilment, cart edits) and then cost one call;
 * POST when the PATCH says 404. If another worker created it in between, the POST answers "already exists" and
 * one more PATCH settles it.
 */
export async function patchThenCreate<T>(patch: () => Promise<T>, create: () => Promise<T>): Promise<T> {
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
