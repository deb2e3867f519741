import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {CampaignReport, CampaignReportsCollection} from '../types/reports.js';
import {nullIfNotFound} from './not-found.js';

const REPORT = '/reports/{campaign_id}';

export class ReportsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  /** Null until the campaign has been sent (or when it does not exist). */
  get(campaignId: string, select?: FieldSelection): Promise<CampaignReport | null> {
    return nullIfNotFound(
      this.transport.request<CampaignReport, typeof REPORT>({
        method: 'GET',
        route: REPORT,
        params: {campaign_id: campaignId},
        select,
      }),
    );
  }

  list(
    query: {since_send_time?: string; before_send_time?: string} = {},
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<CampaignReport, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<CampaignReportsCollection, '/reports'>({
          method: 'GET',
          route: '/reports',
          params: {},
          query: {...query, ...page},
          select: options.select,
        }),
      (page) => page.reports,
      options,
    );
  }
}
