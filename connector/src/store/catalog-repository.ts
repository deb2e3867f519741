import type {Kysely} from 'kysely';
import type {Database} from './schema.js';

/** The products' sync state, as the order, cart and member writes read it (entity type `product`). */
export class CatalogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** What was last sent of these products and where their records stand. */
  async sentProducts(
    connectionId: string,
    ids: readonly string[],
  ): Promise<Array<{entity_id: string; status: string; synced_desired: string | null}>> {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('sync_state')
      .select(['entity_id', 'status', 'synced_desired'])
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', 'product')
      .where('entity_id', 'in', [...ids])
      .execute();
  }

  /** The products' newest desired state (JSON) by id. */
  async desiredProducts(
    connectionId: string,
    ids: readonly string[],
  ): Promise<Array<{entity_id: string; desired: string}>> {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('sync_state')
      .select(['entity_id', 'desired'])
      .where('connection_id', '=', connectionId)
      .where('entity_type', '=', 'product')
      .where('entity_id', 'in', [...ids])
      .execute();
  }
}
