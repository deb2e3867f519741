import type {RouteDef} from '../../core/routes.js';
import {problems, type FieldError} from '../../core/problem.js';
import {assertReady, sendCampaign} from './campaign-delivery.js';
import {parseScheduleTime, type CampaignScheduler} from './campaign-schedule.js';
import {requireCampaign} from './campaign-store.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** POST /campaigns/{id}/actions/: test, send, schedule, unschedule (all answer 204). */
export function campaignActionsRoutes(scheduler: CampaignScheduler): RouteDef[] {
  return [
    {
      method: 'POST',
      path: '/campaigns/{campaign_id}/actions/test',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        const body = (req.body ?? {}) as {test_emails?: unknown; send_type?: unknown};
        const errors: FieldError[] = [];
        if (
          !Array.isArray(body.test_emails) ||
          body.test_emails.length === 0 ||
          !body.test_emails.every((e) => typeof e === 'string' && EMAIL.test(e))
        ) {
          errors.push({field: 'test_emails', message: 'Provide at least one valid email address.'});
        }
        if (body.send_type !== 'html' && body.send_type !== 'plaintext')
          errors.push({field: 'send_type', message: 'Value must be one of: html, plaintext'});
        if (errors.length > 0) throw problems.invalidResource(errors);
        campaign.test_sends.push({
          emails: body.test_emails as string[],
          send_type: body.send_type as string,
          at: state.timestamp(),
        });
        return {status: 204};
      },
    },
    {
      method: 'POST',
      path: '/campaigns/{campaign_id}/actions/send',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        sendCampaign(state, campaign);
        scheduler.disarm(campaign.id);
        return {status: 204};
      },
    },
    {
      method: 'POST',
      path: '/campaigns/{campaign_id}/actions/schedule',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        if (campaign.status === 'schedule')
          throw problems.badRequest('This campaign is already scheduled. Unschedule it first to change the time.');
        const parsed = parseScheduleTime(
          (req.body as {schedule_time?: unknown} | undefined)?.schedule_time,
          state.now(),
        );
        if (!parsed.ok) throw parsed.problem;
        assertReady(state, campaign);
        campaign.status = 'schedule';
        campaign.schedule_time = state.timestamp(parsed.at);
        campaign.send_time = campaign.schedule_time;
        scheduler.arm(campaign);
        return {status: 204};
      },
    },
    {
      method: 'POST',
      path: '/campaigns/{campaign_id}/actions/unschedule',
      handler: (req, state) => {
        const campaign = requireCampaign(state, req.params.campaign_id);
        if (campaign.status !== 'schedule')
          throw problems.badRequest(`Only a scheduled campaign can be unscheduled; this one is "${campaign.status}".`);
        scheduler.disarm(campaign.id);
        campaign.status = 'save';
        campaign.send_time = '';
        delete campaign.schedule_time;
        return {status: 204};
      },
    },
  ];
}
