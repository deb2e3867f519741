import {link, paginate} from '../../core/collection.js';
import {problems} from '../../core/problem.js';
import type {RouteDef} from '../../core/routes.js';
import type {CampaignRecord, SandboxState} from '../../core/state.js';
import {emailActivityView, reportView, unsubscribeView} from './report-views.js';

/** Reports exist for sent campaigns only. */
function requireReport(state: SandboxState, id: string | undefined): CampaignRecord {
  const campaign = id === undefined ? undefined : state.campaigns.get(id);
  if (!campaign || (campaign.status !== 'sent' && campaign.status !== 'sending')) throw problems.notFound();
  return campaign;
}

/** /reports: the list, one campaign's report, its unsubscribes and its email activity. */
export function reportsRoutes(apiBase: () => string): RouteDef[] {
  return [
    {
      method: 'GET',
      path: '/reports',
      handler: (req, state) => {
        const {type, since_send_time: since, before_send_time: before} = req.query;
        const sent = [...state.campaigns.values()].filter(
          (c) =>
            (c.status === 'sent' || c.status === 'sending') &&
            (type === undefined || c.type === type) &&
            (since === undefined || Date.parse(c.send_time) > Date.parse(since)) &&
            (before === undefined || Date.parse(c.send_time) < Date.parse(before)),
        );
        const {page, total_items} = paginate(sent, req.query);
        return {
          status: 200,
          body: {
            reports: page.map((c) => reportView(state, c, apiBase())),
            total_items,
            _links: [link('self', `${apiBase()}/reports`)],
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/reports/{campaign_id}',
      handler: (req, state) => ({
        status: 200,
        body: reportView(state, requireReport(state, req.params.campaign_id), apiBase()),
      }),
    },
    {
      method: 'GET',
      path: '/reports/{campaign_id}/unsubscribed',
      handler: (req, state) => {
        const campaign = requireReport(state, req.params.campaign_id);
        const list = state.lists.get(campaign.recipients.list_id);
        const {page, total_items} = paginate(campaign.activity.unsubscribes, req.query);
        return {
          status: 200,
          body: {
            unsubscribes: page.map((u) => unsubscribeView(campaign, list, u, apiBase())),
            campaign_id: campaign.id,
            total_items,
            _links: [
              link('parent', `${apiBase()}/reports/${campaign.id}`),
              link('self', `${apiBase()}/reports/${campaign.id}/unsubscribed`),
            ],
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/reports/{campaign_id}/email-activity',
      handler: (req, state) => {
        const campaign = requireReport(state, req.params.campaign_id);
        const list = state.lists.get(campaign.recipients.list_id);
        const {page, total_items} = paginate(campaign.sent_to, req.query);
        return {
          status: 200,
          body: {
            emails: page.map((id) => emailActivityView(campaign, list, id, req.query.since, apiBase())),
            campaign_id: campaign.id,
            total_items,
            _links: [
              link('parent', `${apiBase()}/reports/${campaign.id}`),
              link('self', `${apiBase()}/reports/${campaign.id}/email-activity`),
            ],
          },
        };
      },
    },
  ];
}
