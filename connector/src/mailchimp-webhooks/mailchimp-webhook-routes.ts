import {createHash} from 'node:crypto';
import express, {type Router} from 'express';
import {problem, sendProblem} from '../http/problem.js';
import type {Logger} from '../logging/logger.js';
import {answerAndWake, appendToInbox} from '../ingest/intake.js';
import type {InboxRepository} from '../store/inbox-repository.js';
import {MAILCHIMP_WEBHOOK_PATH} from './list-webhook-registrar.js';
import {parseWebhookBody} from './webhook-payload.js';
import type {WebhookRegistration, WebhookRegistrationsRepository} from './webhook-registrations-repository.js';

export interface MailchimpWebhookRouteDeps {
  registrations: WebhookRegistrationsRepository;
  inbox: InboxRepository;
  logger: Logger;
  onAccepted(): void;
  now(): Date;
}

/** Topic of a delivery for another audience than the connection's: stored, then ignored. */
export const FOREIGN_LIST_TOPIC = 'foreign-list';

/**
 * Mailchimp list webhooks. The secret token in the path names the connection (deliveries are not signed). GET is
 * Mailchimp's URL validator and answers 200; POST stores the delivery in the inbox (deduplicated by its exact body:
 * a retried delivery is byte-identical) and only then answers 200. Mailchimp cancels a delivery after 10 s and
 * retries it, so nothing else happens before the answer.
 */
export function mailchimpWebhookRouter(deps: MailchimpWebhookRouteDeps): Router {
  const router = express.Router();
  const path = `${MAILCHIMP_WEBHOOK_PATH}/:token`;
  const notFound = (req: express.Request, res: express.Response) =>
    sendProblem(
      res,
      problem(404, 'not-found', 'Not Found', 'No webhook at this address.', {instance: MAILCHIMP_WEBHOOK_PATH}),
    );

  router.get(path, async (req, res, next) => {
    try {
      if (!(await deps.registrations.byToken(String(req.params.token)))) return notFound(req, res);
      res.status(200).type('text/plain').send('ok');
    } catch (err) {
      next(err);
    }
  });

  // The token is checked from the path alone: an unknown one is answered (and the connection closed) before any of
  // the body is read.
  const admit: express.RequestHandler = async (req, res, next) => {
    try {
      const registration = await deps.registrations.byToken(String(req.params.token));
      if (!registration) {
        res.set('Connection', 'close');
        return notFound(req, res);
      }
      res.locals.registration = registration;
      next();
    } catch (err) {
      next(err);
    }
  };

  router.post(path, admit, express.raw({type: () => true, limit: '256kb'}), async (req, res, next) => {
    try {
      const registration = res.locals.registration as WebhookRegistration;
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const parsed = parseWebhookBody(body);
      if (!parsed.ok) {
        deps.logger.warn(
          {connectionId: registration.connection_id, error: parsed.error},
          'rejected a Mailchimp webhook delivery',
        );
        return sendProblem(
          res,
          problem(400, 'invalid-webhook', 'Bad Request', parsed.error, {instance: MAILCHIMP_WEBHOOK_PATH}),
        );
      }
      const {event} = parsed;
      const stored = await appendToInbox(deps.inbox, {
        connectionId: registration.connection_id,
        source: 'mailchimp',
        topic: event.listId === registration.list_id ? event.type : FOREIGN_LIST_TOPIC,
        dedupeKey: createHash('sha256').update(body).digest('hex'),
        triggeredAt: event.firedAt,
        payload: body,
        receivedAt: deps.now().toISOString(),
      });
      answerAndWake(res, 200, {accepted: true, duplicate: stored.duplicate, id: stored.id}, stored, () =>
        deps.onAccepted(),
      );
    } catch (err) {
      next(err);
    }
  });
  return router;
}
