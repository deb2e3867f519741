import {link, paginate} from '../../core/collection.js';
import type {RouteDef} from '../../core/routes.js';
import {applyContent, contentView, parseContentInput} from './campaign-content.js';
import {parseCampaignInput} from './campaign-input.js';
import type {CampaignScheduler} from './campaign-schedule.js';
import {assertEditable, createCampaign, filterCampaigns, requireCampaign, updateCampaign} from './campaign-store.js';
import {campaignView} from './campaign-view.js';
import {resolveRecipients} from './recipients.js';
import {sendChecklist} from './send-checklist.js';

/** /campaigns: create, list, read, update, delete; content; send checklist. */
export function campaignsRoutes(scheduler: CampaignScheduler, apiBase: () => string): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/campaigns',
      handler: (req, state) => ({
        status: 200,
        body: campaignView(state, createCampaign(state, parseCampaignInput(req.body, 'create')), apiBase()),
      }),
    },
    {
      method: 'GET',
      path: '/campaigns',
      handler: (req, state) => {
        const {page, total_items} = paginate(filterCampaigns(state.campaigns.values(), req.query), req.query);
        return {
          status: 200,
          body: {
            campaigns: page.map((c) => campaignView(state, c, apiBase())),
            total_items,
            _links: [link('self', `${apiBase()}/campaigns`), link('create', `${apiBase()}/campaigns`, 'POST')],
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/campaigns/{campaign_id}',
      handler: (req, state) => ({
        status: 200,
        body: campaignView(state, requireCampaign(state, req.params.campaign_id), apiBase()),
      }),
    },
    {
      method: 'PATCH',
      path: '/campaigns/{campaign_id}',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        return {
          status: 200,
          body: campaignView(state, updateCampaign(state, campaign, parseCampaignInput(req.body, 'update')), apiBase()),
        };
      },
    },
    {
      method: 'DELETE',
      path: '/campaigns/{campaign_id}',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        scheduler.disarm(campaign.id);
        state.campaigns.delete(campaign.id);
        return {status: 204};
      },
    },
    {
      method: 'GET',
      path: '/campaigns/{campaign_id}/content',
      handler: (req, state) => ({
        status: 200,
        body: contentView(requireCampaign(state, req.params.campaign_id), apiBase()),
      }),
    },
    {
      method: 'PUT',
      path: '/campaigns/{campaign_id}/content',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        const input = parseContentInput(req.body);
        assertEditable(campaign);
        applyContent(campaign, input);
        return {status: 200, body: contentView(campaign, apiBase())};
      },
    },
    {
      method: 'GET',
      path: '/campaigns/{campaign_id}/send-checklist',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        const checklist = sendChecklist(campaign, resolveRecipients(state, campaign));
        const self = `${apiBase()}/campaigns/${campaign.id}/send-checklist`;
        return {
          status: 200,
          body: {...checklist, _links: [link('parent', `${apiBase()}/campaigns/${campaign.id}`), link('self', self)]},
        };
      },
    },
  ];
}
