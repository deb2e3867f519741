import type {Kysely, Selectable} from 'kysely';
import type {CampaignReportsTable, CampaignsTable, Database, ListStatsTable} from '../store/schema.js';

export type CampaignRow = Selectable<CampaignsTable>;
export type CampaignReportRow = Selectable<CampaignReportsTable>;
export type ListStatsRow = Selectable<ListStatsTable>;

/** Local copies of campaigns, their reports and audience snapshots: what the API, CLI and operator page read. */
export class CampaignStatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates or refreshes a campaign; the connector's own links (promo send, segment) survive a refresh from Mailchimp. */
  async upsertCampaign(
    row: Omit<CampaignRow, 'promo_send_id' | 'segment_id'> & Partial<Pick<CampaignRow, 'promo_send_id' | 'segment_id'>>,
  ): Promise<void> {
    const {connection_id, campaign_id, promo_send_id, segment_id, ...fields} = row;
    const links = {...(promo_send_id != null ? {promo_send_id} : {}), ...(segment_id != null ? {segment_id} : {})};
    await this.db
      .insertInto('campaigns')
      .values({
        connection_id,
        campaign_id,
        promo_send_id: promo_send_id ?? null,
        segment_id: segment_id ?? null,
        ...fields,
      })
      .onConflict((oc) => oc.columns(['connection_id', 'campaign_id']).doUpdateSet({...fields, ...links}))
      .execute();
  }

  async upsertReport(row: CampaignReportRow): Promise<void> {
    const {connection_id: _connection, campaign_id: _campaign, ...fields} = row;
    await this.db
      .insertInto('campaign_reports')
      .values(row)
      .onConflict((oc) => oc.columns(['connection_id', 'campaign_id']).doUpdateSet(fields))
      .execute();
  }

  async campaigns(connectionId: string): Promise<Array<CampaignRow & {report: CampaignReportRow | null}>> {
    const campaigns = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .orderBy('create_time', 'desc')
      .execute();
    const reports = await this.db
      .selectFrom('campaign_reports')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .execute();
    const byId = new Map(reports.map((r) => [r.campaign_id, r]));
    return campaigns.map((c) => ({...c, report: byId.get(c.campaign_id) ?? null}));
  }

  async campaign(connectionId: string, campaignId: string): Promise<CampaignRow | undefined> {
    return this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
  }

  async report(connectionId: string, campaignId: string): Promise<CampaignReportRow | undefined> {
    return this.db
      .selectFrom('campaign_reports')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
  }

  async addListStats(row: Omit<ListStatsRow, 'id'>): Promise<void> {
    await this.db.insertInto('list_stats').values(row).execute();
  }

  /** The newest snapshots, oldest first. */
  async listStats(connectionId: string, limit: number): Promise<ListStatsRow[]> {
    const rows = await this.db
      .selectFrom('list_stats')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .orderBy('fetched_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse();
  }
}
