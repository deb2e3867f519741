import {paginate, type PaginateOptions} from '../pagination.js';
import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {
  Campaign,
  CampaignContent,
  CampaignContentRequest,
  CampaignCreateRequest,
  CampaignScheduleRequest,
  CampaignsCollection,
  CampaignsListQuery,
  CampaignTestRequest,
  SendChecklist,
} from '../types/campaigns.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const CAMPAIGNS = '/campaigns';
const CAMPAIGN = '/campaigns/{campaign_id}';

/** Promo campaigns: create → content → checklist → test → send or schedule. */
export class CampaignsApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(body: CampaignCreateRequest): Promise<Campaign> {
    return this.transport.request<Campaign, typeof CAMPAIGNS>({method: 'POST', route: CAMPAIGNS, params: {}, body});
  }

  /** GET /campaigns, page by page (filters: list_id, status, type, create/send time windows). */
  list(
    query: CampaignsListQuery = {},
    options: PaginateOptions & {select?: FieldSelection} = {},
  ): AsyncGenerator<Campaign, void, undefined> {
    return paginate(
      (page) =>
        this.transport.request<CampaignsCollection, typeof CAMPAIGNS>({
          method: 'GET',
          route: CAMPAIGNS,
          params: {},
          query: {...query, ...page},
          select: options.select,
        }),
      (page) => page.campaigns,
      options,
    );
  }

  get(campaignId: string, select?: FieldSelection): Promise<Campaign | null> {
    return nullIfNotFound(
      this.transport.request<Campaign, typeof CAMPAIGN>({
        method: 'GET',
        route: CAMPAIGN,
        params: {campaign_id: campaignId},
        select,
      }),
    );
  }

  update(campaignId: string, body: Partial<Omit<CampaignCreateRequest, 'type'>>): Promise<Campaign> {
    return this.transport.request<Campaign, typeof CAMPAIGN>({
      method: 'PATCH',
      route: CAMPAIGN,
      params: {campaign_id: campaignId},
      body,
    });
  }

  delete(campaignId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: CAMPAIGN, params: {campaign_id: campaignId}}),
    );
  }

  setContent(campaignId: string, body: CampaignContentRequest): Promise<CampaignContent> {
    const route = '/campaigns/{campaign_id}/content';
    return this.transport.request<CampaignContent, typeof route>({
      method: 'PUT',
      route,
      params: {campaign_id: campaignId},
      body,
    });
  }

  getContent(campaignId: string): Promise<CampaignContent | null> {
    const route = '/campaigns/{campaign_id}/content';
    return nullIfNotFound(
      this.transport.request<CampaignContent, typeof route>({method: 'GET', route, params: {campaign_id: campaignId}}),
    );
  }

  sendChecklist(campaignId: string): Promise<SendChecklist> {
    const route = '/campaigns/{campaign_id}/send-checklist';
    return this.transport.request<SendChecklist, typeof route>({
      method: 'GET',
      route,
      params: {campaign_id: campaignId},
    });
  }

  /** 204. Not ready → MailchimpError kind `campaign_not_ready` (see sendChecklist). */
  async send(campaignId: string): Promise<void> {
    await this.transport.request({
      method: 'POST',
      route: '/campaigns/{campaign_id}/actions/send',
      params: {campaign_id: campaignId},
    });
  }

  async sendTest(campaignId: string, body: CampaignTestRequest): Promise<void> {
    await this.transport.request({
      method: 'POST',
      route: '/campaigns/{campaign_id}/actions/test',
      params: {campaign_id: campaignId},
      body,
    });
  }

  /** `schedule_time` must fall on :00, :15, :30 or :45 UTC. */
  async schedule(campaignId: string, body: CampaignScheduleRequest): Promise<void> {
    await this.transport.request({
      method: 'POST',
      route: '/campaigns/{campaign_id}/actions/schedule',
      params: {campaign_id: campaignId},
      body,
    });
  }

  async unschedule(campaignId: string): Promise<void> {
    await this.transport.request({
      method: 'POST',
      route: '/campaigns/{campaign_id}/actions/unschedule',
      params: {campaign_id: campaignId},
    });
  }
}
