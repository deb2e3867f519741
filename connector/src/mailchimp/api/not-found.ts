import {isMailchimpError} from '../mailchimp-error.js';

/** Reads answer null for 404 Resource Not Found, the normal "does not exist yet" signal (mailchimp-api.md §9.17). */
export async function nullIfNotFound<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isMailchimpError(error, 'not_found')) return null;
    throw error;
  }
}

/** Deletes answer false when there was nothing to delete. */
export async function falseIfNotFound(call: Promise<unknown>): Promise<boolean> {
  return (await nullIfNotFound(call.then(() => true))) ?? false;
}
