import type {Kysely} from 'kysely';
import type {Product} from '../../model/entities.js';
import {CatalogRepository} from '../../store/catalog-repository.js';
import type {Database} from '../../store/schema.js';
import {desiredProducts} from '../desired-products.js';
import type {CatalogView} from '../mappers/placeholder-product.js';

/** Which products Mailchimp holds and which are still on their way, from the sync state (no Mailchimp call). */
export interface SentCatalog {
  catalog(connectionId: string, productIds: string[]): Promise<CatalogView & {pending: Set<string>}>;
}

/** The products' newest desired state (the member processor reads their handles and collections for tags). */
export interface DesiredCatalog {
  desiredProducts(connectionId: string, ids: readonly string[]): Promise<Map<string, Product>>;
}

/** The catalog as the sync state knows it. */
export class ProductCatalog implements SentCatalog, DesiredCatalog {
  private readonly repository: CatalogRepository;

  constructor(private readonly db: Kysely<Database>) {
    this.repository = new CatalogRepository(db);
  }

  /** Which product variants Mailchimp holds, from the sync state (no Mailchimp call). */
  async catalog(connectionId: string, productIds: string[]): Promise<CatalogView & {pending: Set<string>}> {
    const rows = await this.repository.sentProducts(connectionId, [...new Set(productIds)]);
    const variants = new Map<string, Set<string>>();
    const pending = new Set<string>();
    for (const row of rows) {
      if (row.synced_desired) {
        const product = JSON.parse(row.synced_desired) as Product | {deleted: true};
        if (!('deleted' in product)) variants.set(row.entity_id, new Set(product.variants.map((v) => v.id)));
      }
      if ((row.status === 'pending' || row.status === 'retry') && !row.synced_desired) pending.add(row.entity_id);
    }
    return {
      pending,
      hasVariant: (productId, variantId) => variants.get(productId)?.has(variantId) ?? false,
    };
  }

  desiredProducts(connectionId: string, ids: readonly string[]): Promise<Map<string, Product>> {
    return desiredProducts(this.db, connectionId, ids);
  }
}
