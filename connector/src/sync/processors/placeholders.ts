import type {ProductCreateRequest} from '../../mailchimp/types/index.js';
import type {ConnectionTarget} from './client-registry.js';

/** Placeholder products for lines whose product is gone or unknown; sent before the order or cart that needs them. */
export async function upsertPlaceholders(
  target: ConnectionTarget,
  placeholders: readonly ProductCreateRequest[],
): Promise<void> {
  for (const product of placeholders) await target.client.products.upsert(target.storeId, product);
}
