import type {ModuleContext, SandboxModule} from '../core/module.js';
import {MailchimpProblem, problems} from '../core/problem.js';
import {sendProblem} from '../core/server.js';
import {campaignActionsRoutes} from './campaigns/campaign-actions-routes.js';
import {CampaignScheduler} from './campaigns/campaign-schedule.js';
import {requireCampaign} from './campaigns/campaign-store.js';
import {campaignView} from './campaigns/campaign-view.js';
import {campaignsRoutes} from './campaigns/campaigns-routes.js';
import {peopleActionsControls} from './campaigns/people-actions-controls.js';
import {reportsRoutes} from './campaigns/reports-routes.js';

// Module objects are shared by every sandbox in the process: each sandbox (context) gets its own scheduler.
const schedulers = new WeakMap<ModuleContext, CampaignScheduler>();

function schedulerFor(ctx: ModuleContext): CampaignScheduler {
  let scheduler = schedulers.get(ctx);
  if (!scheduler) {
    scheduler = new CampaignScheduler(ctx.state);
    schedulers.set(ctx, scheduler);
  }
  return scheduler;
}

/**
 * Campaigns (create, content, send checklist, test/send/schedule/unschedule), their reports, and the people's
 * actions that feed the reports (/__sandbox/campaigns/{id}/open|click|unsubscribe|bounce|purchase|deliver-now).
 */
export const campaignsModule: SandboxModule = {
  name: 'campaigns',
  routes: (ctx) => {
    const apiBase = () => `${ctx.origin()}/3.0`;
    const scheduler = schedulerFor(ctx);
    return [...campaignsRoutes(scheduler, apiBase), ...campaignActionsRoutes(scheduler), ...reportsRoutes(apiBase)];
  },
  controls(router, ctx) {
    peopleActionsControls(router, ctx);
    // A scheduled campaign goes out at its quarter hour; tests and demos need not wait for it.
    router.post('/campaigns/:campaign_id/deliver-now', (req, res) => {
      try {
        const campaign = requireCampaign(ctx.state, req.params.campaign_id);
        schedulerFor(ctx).deliverNow(campaign);
        res.json(campaignView(ctx.state, campaign, `${ctx.origin()}/3.0`));
      } catch (err) {
        sendProblem(res, err instanceof MailchimpProblem ? err : problems.internal());
      }
    });
  },
  stop(ctx) {
    schedulers.get(ctx)?.stop();
    schedulers.delete(ctx);
  },
};
