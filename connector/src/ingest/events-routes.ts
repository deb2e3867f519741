import express, {type Router} from 'express';
import {problem, sendProblem} from '../http/problem.js';
import type {IngestConnections} from '../store/connection-cache.js';
import type {InboxRepository} from '../store/inbox-repository.js';
import {parseEventsBody} from './generic/parse-events-body.js';
import {MAX_BODY_BYTES} from './generic/schemas.js';
import {answerAndWake, appendAllToInbox} from './intake.js';

export interface EventsRouteDeps {
  /** The connection of an ingest token: the connector passes its ConnectionCache. */
  connections: Pick<IngestConnections, 'byIngestToken'>;
  inbox: Pick<InboxRepository, 'appendAll'>;
  onAccepted(): void;
  now(): Date;
}

/**
 * `POST /v1/events`: the generic ingest API for any store platform (docs/ingest-api.md). Each event is stored in
 * the inbox under its id before the 202, so a repeat of the same id has one effect.
 */
export function eventsRouter(deps: EventsRouteDeps): Router {
  const router = express.Router();
  router.post(
    '/v1/events',
    async (req, res, next) => {
      try {
        const header = req.get('authorization') ?? '';
        const token = header.startsWith('Bearer ') ? header.slice(7) : '';
        const connection = token ? await deps.connections.byIngestToken(token) : undefined;
        if (!connection) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="ingest"');
          return sendProblem(
            res,
            problem(
              401,
              'unauthorized',
              'Unauthorized',
              "Send the connection's ingest token as Authorization: Bearer <token>.",
              {instance: req.path},
            ),
          );
        }
        if (!req.is('application/json')) {
          return sendProblem(
            res,
            problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'The body must be application/json.', {
              instance: req.path,
            }),
          );
        }
        res.locals.connectionId = connection.id;
        next();
      } catch (err) {
        next(err);
      }
    },
    express.json({limit: MAX_BODY_BYTES, type: () => true}),
    async (req, res, next) => {
      try {
        const parsed = parseEventsBody(req.body);
        if (!parsed.ok) {
          return sendProblem(
            res,
            problem(
              400,
              'invalid-events',
              'Invalid Events',
              'Some events are invalid; nothing was accepted. See errors[].',
              {instance: req.path, errors: parsed.errors},
            ),
          );
        }
        const connectionId = res.locals.connectionId as string;
        const receivedAt = deps.now().toISOString();
        const rawEvents = (req.body as {events: unknown[]}).events;
        const intake = await appendAllToInbox(
          deps.inbox,
          parsed.events.map((event, i) => ({
            connectionId,
            source: 'ingest' as const,
            topic: event.type,
            dedupeKey: event.id,
            triggeredAt: event.occurred_at,
            payload: JSON.stringify(rawEvents[i]),
            receivedAt,
          })),
        );
        answerAndWake(res, 202, {accepted: intake.accepted, duplicates: intake.duplicates}, intake, () =>
          deps.onAccepted(),
        );
      } catch (err) {
        next(err);
      }
    },
  );
  return router;
}
