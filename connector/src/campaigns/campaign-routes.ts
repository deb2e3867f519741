import express, {type Router} from 'express';
import type {CampaignStatsService} from '../campaigns/campaign-stats-service.js';
import {parsePromoSendRequest} from '../campaigns/promo-send-request.js';
import type {PromoSendService} from '../campaigns/promo-send-service.js';
import type {ListWebhookRegistrar} from '../mailchimp-webhooks/list-webhook-registrar.js';
import type {WebhookRegistrationsRepository} from '../mailchimp-webhooks/webhook-registrations-repository.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import {connectionOf, wantsRefresh} from '../operator/connection-param.js';
import {mailchimpProblem} from '../operator/mailchimp-failure.js';
import {problem, sendProblem} from '../http/problem.js';
import {API_WORDING, missingReportDetail} from './missing-report.js';

export interface CampaignRouteDeps {
  connections: ConnectionsRepository;
  promoSends: PromoSendService;
  statistics: CampaignStatsService;
  webhooks: ListWebhookRegistrar;
  registrations: WebhookRegistrationsRepository;
}

/**
 * Promo sends, campaigns and their stored reports, audience statistics, and the Mailchimp list webhook's health.
 * Behind the admin token. `?refresh=1` pulls from Mailchimp before answering.
 */
export function campaignRouter(deps: CampaignRouteDeps): Router {
  const router = express.Router();
  /** Runs a handler for the request's connection; Mailchimp failures become 502/503 problems. */
  const handle =
    (
      fn: (connectionId: string, req: express.Request, res: express.Response) => Promise<void>,
    ): express.RequestHandler =>
    async (req, res, next) => {
      try {
        const conn = await connectionOf(req, deps.connections);
        if (!conn.ok) return sendProblem(res, conn.problem);
        await fn(conn.connection.id, req, res);
      } catch (err) {
        const mc = mailchimpProblem(err, req.path);
        if (mc) return sendProblem(res, mc);
        next(err);
      }
    };

  router.post(
    '/v1/promo-sends',
    express.json({limit: '1mb'}),
    handle(async (connectionId, req, res) => {
      const key = req.get('idempotency-key')?.trim();
      if (key !== undefined && (key.length === 0 || key.length > 255)) {
        return sendProblem(
          res,
          problem(400, 'invalid-idempotency-key', 'Bad Request', 'Idempotency-Key must be 1 to 255 characters.', {
            instance: req.path,
          }),
        );
      }
      const parsed = parsePromoSendRequest(req.body);
      if (!parsed.ok)
        return sendProblem(
          res,
          problem(400, 'invalid-promo-send', 'Bad Request', 'The promo send request is invalid.', {
            instance: req.path,
            errors: parsed.errors,
          }),
        );
      const outcome = await deps.promoSends.run(connectionId, key, parsed.value);
      if (outcome.kind === 'problem')
        return sendProblem(
          res,
          problem(outcome.status, outcome.slug, outcome.title, outcome.detail, {instance: req.path, ...outcome.extra}),
        );
      if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(outcome.status).json(outcome.body);
    }),
  );

  router.get(
    '/v1/campaigns',
    handle(async (connectionId, req, res) => {
      if (wantsRefresh(req)) await deps.statistics.refreshCampaigns(connectionId);
      res.json({campaigns: await deps.statistics.campaigns(connectionId)});
    }),
  );

  router.get(
    '/v1/campaigns/:id/report',
    handle(async (connectionId, req, res) => {
      const id = String(req.params.id);
      const refreshed = wantsRefresh(req);
      const report = refreshed
        ? await deps.statistics.refreshReport(connectionId, id)
        : await deps.statistics.storedReport(connectionId, id);
      if (!report) {
        const campaign = await deps.statistics.campaign(connectionId, id);
        const missing = {campaignId: id, status: campaign?.status, refreshed};
        return sendProblem(
          res,
          problem(404, 'report-not-found', 'Not Found', missingReportDetail(missing, API_WORDING), {
            instance: req.path,
            // The facts behind the detail, so that a client (the CLI) can word the action in its own terms.
            campaign_status: missing.status ?? null,
            refreshed,
          }),
        );
      }
      res.json({campaign: await deps.statistics.campaign(connectionId, id), report});
    }),
  );

  router.get(
    '/v1/audience/stats',
    handle(async (connectionId, req, res) => {
      if (wantsRefresh(req)) await deps.statistics.refreshAudience(connectionId);
      res.json(await deps.statistics.audience(connectionId));
    }),
  );

  router.get(
    '/v1/mailchimp/webhook',
    handle(async (connectionId, _req, res) => {
      const row = await deps.registrations.get(connectionId);
      res.json(
        row
          ? {
              status: row.status,
              list_id: row.list_id,
              webhook_id: row.webhook_id,
              url_base: row.url_base,
              last_checked_at: row.last_checked_at,
              last_repair: row.last_repair,
              last_error: row.last_error,
            }
          : {status: 'unregistered', last_checked_at: null},
      );
    }),
  );

  router.post(
    '/v1/mailchimp/webhook/check',
    handle(async (connectionId, _req, res) => {
      res.json(await deps.webhooks.check(connectionId));
    }),
  );
  return router;
}
