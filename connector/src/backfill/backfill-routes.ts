import express, {type Router} from 'express';
import {z} from 'zod';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import {problem, sendProblem} from '../http/problem.js';
import {NO_CONNECTION_DETAIL} from '../operator/connection-param.js';
import {BackfillUnavailable, type BackfillService} from './backfill-service.js';
import {alreadyCompletedDetail} from './finished-run.js';

export interface BackfillRouteDeps {
  backfill: BackfillService;
  connections: ConnectionsRepository;
}

const startBody = z
  .object({
    /** The shop to backfill; optional when the connector has exactly one connection. */
    shop: z.string().min(1).optional(),
    kind: z.enum(['backfill', 'resync']).default('backfill'),
    /** Only orders created at or after this time. */
    orders_since: z.iso.datetime({offset: true}).optional(),
  })
  .strict();

/**
 * `POST /v1/backfill` starts (or resumes) the initial sync of a shop and answers 202 with the run; when the shop's
 * backfill already completed, 200 with that run, `alreadyCompleted: true` and a `detail` (`kind: "resync"` reads again);
 * `GET /v1/backfill` lists runs; `GET /v1/backfill/:id` is one run with its progress per phase.
 * Mounted behind the admin token.
 */
export function backfillRouter(deps: BackfillRouteDeps): Router {
  const router = express.Router();

  router.post('/v1/backfill', express.json({limit: '16kb'}), async (req, res, next) => {
    try {
      const parsed = startBody.safeParse(req.body ?? {});
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({field: i.path.join('.'), message: i.message}));
        return sendProblem(
          res,
          problem(400, 'invalid-backfill-request', 'Invalid Request', 'The request body is invalid. See errors[].', {
            instance: req.path,
            errors,
          }),
        );
      }
      const all = await deps.connections.all();
      const connection = parsed.data.shop
        ? all.find((c) => c.shopDomain === parsed.data.shop)
        : all.length === 1
          ? all[0]
          : undefined;
      // None at all is not "name the shop": say there is no connection and how to make one.
      if (!connection && all.length === 0 && !parsed.data.shop)
        return sendProblem(res, problem(409, 'no-connection', 'Conflict', NO_CONNECTION_DETAIL, {instance: req.path}));
      if (!connection) {
        const detail = parsed.data.shop
          ? `No connection for shop ${parsed.data.shop}.`
          : 'Name the shop: the connector has several connections.';
        return sendProblem(
          res,
          problem(
            parsed.data.shop ? 404 : 400,
            'unknown-shop',
            parsed.data.shop ? 'Not Found' : 'Bad Request',
            detail,
            {instance: req.path},
          ),
        );
      }
      const {run, outcome} = await deps.backfill.start(connection, parsed.data.kind, {
        ordersSince: parsed.data.orders_since,
      });
      if (outcome === 'already_completed')
        // 200, not 202: nothing was started; the body is the completed run, saying so.
        return res
          .status(200)
          .location(`/v1/backfill/${run.id}`)
          .json({
            ...run,
            alreadyCompleted: true,
            detail: alreadyCompletedDetail(connection.shopDomain, run.finishedAt),
          });
      res.status(202).location(`/v1/backfill/${run.id}`).json(run);
    } catch (err) {
      if (err instanceof BackfillUnavailable)
        return sendProblem(res, problem(409, 'backfill-unavailable', 'Conflict', err.message, {instance: req.path}));
      next(err);
    }
  });

  router.get('/v1/backfill', async (_req, res, next) => {
    try {
      res.json({runs: await deps.backfill.list()});
    } catch (err) {
      next(err);
    }
  });

  router.get('/v1/backfill/:id', async (req, res, next) => {
    try {
      const id = z.uuid().safeParse(req.params.id);
      if (!id.success)
        return sendProblem(
          res,
          problem(404, 'unknown-run', 'Not Found', 'No such backfill run.', {instance: req.path}),
        );
      const run = await deps.backfill.view(id.data).catch(() => undefined);
      if (!run)
        return sendProblem(
          res,
          problem(404, 'unknown-run', 'Not Found', 'No such backfill run.', {instance: req.path}),
        );
      res.json(run);
    } catch (err) {
      next(err);
    }
  });

  return router;
}
