import type {Kysely} from 'kysely';
import type {Logger} from '../logging/logger.js';
import type {MailchimpClient} from '../mailchimp/client.js';
import type {Campaign, CampaignReport} from '../mailchimp/types/index.js';
import {parseMoney} from '../model/money.js';
import {isSyncable, type Connection, type ConnectionsRepository} from '../store/connections-repository.js';
import type {Database} from '../store/schema.js';
import {
  CampaignStatsRepository,
  type CampaignReportRow,
  type CampaignRow,
  type ListStatsRow,
} from './campaign-stats-repository.js';
import {REPORTED_STATUSES} from './missing-report.js';

export interface StatsTargets {
  target(connectionId: string): Promise<{connection: Connection; client: MailchimpClient; listId: string}>;
}

export interface CampaignStatsDeps {
  db: Kysely<Database>;
  connections: ConnectionsRepository;
  targets: StatsTargets;
  currency(connection: Connection): string;
  now(): Date;
  logger: Logger;
}

export interface CampaignReportView {
  campaign_id: string;
  fetched_at: string;
  emails_sent: number;
  opens: {total: number; unique: number; rate: number};
  clicks: {total: number; unique: number; rate: number};
  bounces: {hard: number; soft: number};
  unsubscribed: number;
  abuse_reports: number;
  ecommerce: {
    orders: number;
    spent: string;
    revenue: string;
    spent_minor: number;
    revenue_minor: number;
    currency: string | null;
  };
}

export interface CampaignView {
  id: string;
  web_id: number | null;
  title: string | null;
  subject_line: string | null;
  status: string;
  create_time: string | null;
  send_time: string | null;
  promo_send_id: number | null;
  segment_id: number | null;
  report: CampaignReportView | null;
}

export interface AudienceStatsView {
  list_id: string | null;
  latest: (Omit<ListStatsRow, 'id' | 'stats' | 'connection_id'> & {stats: unknown}) | null;
  /** One point per snapshot: subscribed count and its change since the previous snapshot. */
  growth: Array<{at: string; subscribed: number; unsubscribed: number; cleaned: number; change: number}>;
}

/**
 * Statistics back from Mailchimp into local tables: campaigns of the connection's audience with their reports
 * (opens, clicks, bounces, unsubscribes, e-commerce orders and revenue), and audience snapshots (members by status;
 * growth is the difference between snapshots). Pulled on a schedule and on demand.
 */
export class CampaignStatsService {
  private readonly repo: CampaignStatsRepository;

  constructor(private readonly deps: CampaignStatsDeps) {
    this.repo = new CampaignStatsRepository(deps.db);
  }

  /** The scheduled pull: every active connection's campaigns, reports and audience stats. */
  async refreshAll(): Promise<void> {
    for (const connection of await this.deps.connections.all()) {
      if (!isSyncable(connection)) continue;
      try {
        await this.refreshCampaigns(connection.id);
        await this.refreshAudience(connection.id);
      } catch (err) {
        this.deps.logger.warn({err, connectionId: connection.id}, 'statistics pull failed');
      }
    }
  }

  /** Lists the audience's campaigns from Mailchimp and stores each, with its report once it has one. */
  async refreshCampaigns(connectionId: string): Promise<number> {
    const {client, listId} = await this.deps.targets.target(connectionId);
    let n = 0;
    for await (const campaign of client.campaigns.list({list_id: listId}, {pageSize: 200})) {
      await this.storeCampaign(connectionId, campaign);
      if (REPORTED_STATUSES.has(campaign.status)) await this.refreshReport(connectionId, campaign.id);
      n += 1;
    }
    return n;
  }

  /** Pulls one campaign and its report now; undefined when Mailchimp has no such campaign. */
  async refreshReport(connectionId: string, campaignId: string): Promise<CampaignReportView | undefined> {
    const {connection, client} = await this.deps.targets.target(connectionId);
    const campaign = await client.campaigns.get(campaignId);
    if (!campaign) return undefined;
    await this.storeCampaign(connectionId, campaign);
    if (!REPORTED_STATUSES.has(campaign.status)) return undefined;
    const report = await client.reports.get(campaignId);
    if (!report) return undefined;
    const row = reportRow(connectionId, report, this.deps.currency(connection), this.deps.now().toISOString());
    await this.repo.upsertReport(row);
    return reportView(row);
  }

  async refreshAudience(connectionId: string): Promise<void> {
    const {client, listId} = await this.deps.targets.target(connectionId);
    // The audience must exist: a missing one is Mailchimp's 404 for the operator (audience-stats --refresh), not an
    // empty answer that looks like "no statistics yet".
    const list = await client.lists.require(listId);
    const s = list.stats;
    await this.repo.addListStats({
      connection_id: connectionId,
      list_id: listId,
      member_count: s.member_count,
      unsubscribe_count: s.unsubscribe_count,
      cleaned_count: s.cleaned_count,
      campaign_count: s.campaign_count,
      open_rate: s.open_rate,
      click_rate: s.click_rate,
      stats: JSON.stringify(s),
      fetched_at: this.deps.now().toISOString(),
    });
  }

  /** Records a campaign the connector created, linked to its promo send and segment. */
  async recordCreated(
    connectionId: string,
    campaign: Campaign,
    links: {promoSendId: number; segmentId: number},
  ): Promise<void> {
    await this.storeCampaign(connectionId, campaign, links);
  }

  async campaigns(connectionId: string): Promise<CampaignView[]> {
    return (await this.repo.campaigns(connectionId)).map((c) => campaignView(c, c.report));
  }

  async campaign(connectionId: string, campaignId: string): Promise<CampaignView | undefined> {
    const c = await this.repo.campaign(connectionId, campaignId);
    return c && campaignView(c, (await this.repo.report(connectionId, campaignId)) ?? null);
  }

  async storedReport(connectionId: string, campaignId: string): Promise<CampaignReportView | undefined> {
    const row = await this.repo.report(connectionId, campaignId);
    return row && reportView(row);
  }

  async audience(connectionId: string, limit = 90): Promise<AudienceStatsView> {
    const rows = await this.repo.listStats(connectionId, limit);
    const last = rows.at(-1);
    return {
      list_id: last?.list_id ?? null,
      latest: last
        ? {
            list_id: last.list_id,
            member_count: last.member_count,
            unsubscribe_count: last.unsubscribe_count,
            cleaned_count: last.cleaned_count,
            campaign_count: last.campaign_count,
            open_rate: last.open_rate,
            click_rate: last.click_rate,
            fetched_at: last.fetched_at,
            stats: JSON.parse(last.stats) as unknown,
          }
        : null,
      growth: rows.map((r, i) => ({
        at: r.fetched_at,
        subscribed: r.member_count,
        unsubscribed: r.unsubscribe_count,
        cleaned: r.cleaned_count,
        change: i === 0 ? 0 : r.member_count - rows[i - 1]!.member_count,
      })),
    };
  }

  private async storeCampaign(
    connectionId: string,
    c: Campaign,
    links?: {promoSendId: number; segmentId: number},
  ): Promise<void> {
    await this.repo.upsertCampaign({
      connection_id: connectionId,
      campaign_id: c.id,
      web_id: c.web_id ?? null,
      list_id: c.recipients?.list_id ?? null,
      title: c.settings?.title ?? null,
      subject_line: c.settings?.subject_line ?? null,
      status: c.status,
      create_time: c.create_time ?? null,
      send_time: c.send_time || null,
      updated_at: this.deps.now().toISOString(),
      ...(links ? {promo_send_id: links.promoSendId, segment_id: links.segmentId} : {}),
    });
  }
}

/** A report as stored: counts as integers, money in minor units of the report's currency. */
export function reportRow(
  connectionId: string,
  r: CampaignReport,
  fallbackCurrency: string,
  at: string,
): CampaignReportRow {
  const currency = r.ecommerce?.currency_code || fallbackCurrency;
  const minor = (value: number | undefined) => (value === undefined ? 0 : parseMoney(value, currency).minor);
  return {
    connection_id: connectionId,
    campaign_id: r.id,
    emails_sent: r.emails_sent,
    opens_total: r.opens?.opens_total ?? 0,
    unique_opens: r.opens?.unique_opens ?? 0,
    open_rate: r.opens?.open_rate ?? 0,
    clicks_total: r.clicks?.clicks_total ?? 0,
    unique_clicks: r.clicks?.unique_clicks ?? 0,
    click_rate: r.clicks?.click_rate ?? 0,
    hard_bounces: r.bounces?.hard_bounces ?? 0,
    soft_bounces: r.bounces?.soft_bounces ?? 0,
    unsubscribed: r.unsubscribed ?? 0,
    abuse_reports: r.abuse_reports ?? 0,
    ecommerce_orders: r.ecommerce?.total_orders ?? 0,
    ecommerce_spent_minor: minor(r.ecommerce?.total_spent),
    ecommerce_revenue_minor: minor(r.ecommerce?.total_revenue),
    currency: r.ecommerce ? currency : null,
    report: JSON.stringify(r),
    fetched_at: at,
  };
}

function decimal(minor: number, currency: string | null): string {
  const digits = currency
    ? (new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits ?? 2)
    : 2;
  return (minor / 10 ** digits).toFixed(digits);
}

export function reportView(r: CampaignReportRow): CampaignReportView {
  const spent = Number(r.ecommerce_spent_minor);
  const revenue = Number(r.ecommerce_revenue_minor);
  return {
    campaign_id: r.campaign_id,
    fetched_at: r.fetched_at,
    emails_sent: Number(r.emails_sent),
    opens: {total: Number(r.opens_total), unique: Number(r.unique_opens), rate: Number(r.open_rate)},
    clicks: {total: Number(r.clicks_total), unique: Number(r.unique_clicks), rate: Number(r.click_rate)},
    bounces: {hard: Number(r.hard_bounces), soft: Number(r.soft_bounces)},
    unsubscribed: Number(r.unsubscribed),
    abuse_reports: Number(r.abuse_reports),
    ecommerce: {
      orders: Number(r.ecommerce_orders),
      spent: decimal(spent, r.currency),
      revenue: decimal(revenue, r.currency),
      spent_minor: spent,
      revenue_minor: revenue,
      currency: r.currency,
    },
  };
}

function campaignView(c: CampaignRow, report: CampaignReportRow | null): CampaignView {
  return {
    id: c.campaign_id,
    web_id: c.web_id === null ? null : Number(c.web_id),
    title: c.title,
    subject_line: c.subject_line,
    status: c.status,
    create_time: c.create_time,
    send_time: c.send_time,
    promo_send_id: c.promo_send_id === null ? null : Number(c.promo_send_id),
    segment_id: c.segment_id === null ? null : Number(c.segment_id),
    report: report && reportView(report),
  };
}
