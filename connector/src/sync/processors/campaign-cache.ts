import type {Logger} from '../../logging/logger.js';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {ConnectionTarget} from './client-registry.js';

export interface CampaignCacheOptions {
  logger: Logger;
  /** How long a campaign-existence answer is trusted. */
  campaignCacheMs?: number;
}

/** Which campaign ids exist in a connection's audience, asked from Mailchimp and kept for a while. */
export class CampaignCache {
  private readonly campaigns = new Map<string, {exists: boolean; at: number}>();
  private readonly audienceCampaigns = new Map<string, {ids: Set<string>; at: number}>();

  constructor(private readonly options: CampaignCacheOptions) {}

  /** Does this campaign exist in the connection's audience? Cached; an unknown id is never an error. */
  async campaignExists(target: ConnectionTarget, campaignId: string): Promise<boolean> {
    const key = `${target.connection.id}:${campaignId}`;
    const now = Date.now();
    const cached = this.campaigns.get(key);
    if (cached && now - cached.at < (this.options.campaignCacheMs ?? 10 * 60_000)) return cached.exists;
    let exists: boolean;
    try {
      const campaign = await target.client.campaigns.get(campaignId, {fields: ['id', 'recipients.list_id']});
      exists = campaign !== null && campaign.recipients?.list_id === target.listId;
    } catch (err) {
      // Attribution must never block an order: treat a failed look-up as "unknown", briefly.
      this.options.logger.warn(
        {err: isMailchimpError(err) ? err.toJSON() : String(err), campaignId},
        'campaign look-up failed',
      );
      return false;
    }
    this.campaigns.set(key, {exists, at: now});
    return exists;
  }

  /**
   * Every campaign id of the connection's audience, read a page of 1,000 at a time and kept for the campaign cache
   * time: the backfill checks the attribution of thousands of orders against it instead of one GET per campaign id
   * (generated or stale mc_cid values are mostly distinct).
   */
  async audienceCampaignIds(target: ConnectionTarget): Promise<Set<string>> {
    const cached = this.audienceCampaigns.get(target.connection.id);
    if (cached && Date.now() - cached.at < (this.options.campaignCacheMs ?? 10 * 60_000)) return cached.ids;
    const ids = new Set<string>();
    for await (const campaign of target.client.campaigns.list(
      {list_id: target.listId},
      {pageSize: 1000, select: {fields: ['campaigns.id', 'total_items']}},
    ))
      ids.add(campaign.id);
    this.audienceCampaigns.set(target.connection.id, {ids, at: Date.now()});
    return ids;
  }

  markCampaignMissing(target: ConnectionTarget, campaignId: string): void {
    this.campaigns.set(`${target.connection.id}:${campaignId}`, {exists: false, at: Date.now()});
  }
}
