import type {LineItem} from '../../model/entities.js';
import {extractCampaignId, type AttributionSource} from '../mappers/campaign-attribution.js';
import type {CatalogView} from '../mappers/placeholder-product.js';
import type {CampaignCache} from './campaign-cache.js';
import type {ConnectionTarget} from './client-registry.js';
import type {SentCatalog} from './product-catalog.js';

export type PreparedLines =
  {ready: false; pending: string[]} | {ready: true; catalog: CatalogView; campaignId?: string};

/**
 * What an order or cart needs before it is sent: whether every product its lines name has reached Mailchimp (a
 * product still on its way means "wait"), the catalog view for placeholders, and the campaign id from the
 * attribution, kept only when that campaign exists in the audience.
 */
export class LineReadiness {
  constructor(
    private readonly products: SentCatalog,
    private readonly campaigns: Pick<CampaignCache, 'campaignExists'>,
  ) {}

  async prepareLines(
    target: ConnectionTarget,
    lines: readonly LineItem[],
    attribution: AttributionSource | undefined,
  ): Promise<PreparedLines> {
    const productIds = lines.map((l) => l.productId).filter((id): id is NonNullable<typeof id> => id !== null);
    const catalog = await this.products.catalog(target.connection.id, productIds);
    if (catalog.pending.size > 0) return {ready: false, pending: [...catalog.pending]};
    const candidate = attribution && extractCampaignId(attribution);
    const campaignId = candidate && (await this.campaigns.campaignExists(target, candidate)) ? candidate : undefined;
    return {ready: true, catalog, campaignId};
  }
}
