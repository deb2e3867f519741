import type {Kysely} from 'kysely';
import type {Product} from '../model/entities.js';
import type {Database} from '../store/schema.js';
import {ENTITY} from './entity-types.js';

/** The products' newest desired state by id, from the sync state; deleted products are left out. */
export async function desiredProducts(
  db: Kysely<Database>,
  connectionId: string,
  ids: readonly string[],
): Promise<Map<string, Product>> {
  const out = new Map<string, Product>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('sync_state')
    .select(['entity_id', 'desired'])
    .where('connection_id', '=', connectionId)
    .where('entity_type', '=', ENTITY.product)
    .where('entity_id', 'in', [...ids])
    .execute();
  for (const row of rows) {
    const product = JSON.parse(row.desired) as Product | {deleted: true};
    if (!('deleted' in product)) out.set(row.entity_id, product);
  }
  return out;
}
