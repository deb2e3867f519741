import type {Kysely} from 'kysely';
import type {Product} from '../model/entities.js';
import {CatalogRepository} from '../store/catalog-repository.js';
import type {Database} from '../store/schema.js';

/** The products' newest desired state by id, from the sync state; deleted products are left out. */
export async function desiredProducts(
  db: Kysely<Database>,
  connectionId: string,
  ids: readonly string[],
): Promise<Map<string, Product>> {
  const out = new Map<string, Product>();
  for (const row of await new CatalogRepository(db).desiredProducts(connectionId, ids)) {
    const product = JSON.parse(row.desired) as Product | {deleted: true};
    if (!('deleted' in product)) out.set(row.entity_id, product);
  }
  return out;
}
