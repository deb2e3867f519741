import express, {type Router} from 'express';
import {z} from 'zod';
import {parseSegmentDefinition} from '../segments/segment-definition.js';
import type {SegmentService} from '../segments/segment-service.js';
import {SegmentNameTakenError} from '../segments/segments-repository.js';
import type {ConnectionsRepository} from '../store/connections-repository.js';
import {connectionOf} from '../operator/connection-param.js';
import {mailchimpProblem} from '../operator/mailchimp-failure.js';
import {problem, sendProblem} from '../http/problem.js';

export interface SegmentRouteDeps {
  connections: ConnectionsRepository;
  segments: SegmentService;
}

const idParam = z.coerce.number().int().positive();

/** POST /v1/segments, GET /v1/segments, GET /v1/segments/:id (fresh preview). Behind the admin token. */
export function segmentRouter(deps: SegmentRouteDeps): Router {
  const router = express.Router();
  router.post('/v1/segments', express.json({limit: '256kb'}), async (req, res, next) => {
    try {
      const conn = await connectionOf(req, deps.connections);
      if (!conn.ok) return sendProblem(res, conn.problem);
      const parsed = parseSegmentDefinition(req.body);
      if (!parsed.ok)
        return sendProblem(
          res,
          problem(400, 'invalid-segment', 'Bad Request', 'The segment definition is invalid.', {
            instance: req.path,
            errors: parsed.errors,
          }),
        );
      const view = await deps.segments.create(conn.connection.id, parsed.value);
      res.status(201).location(`/v1/segments/${view.id}`).json(view);
    } catch (err) {
      if (err instanceof SegmentNameTakenError)
        return sendProblem(res, problem(409, 'segment-exists', 'Conflict', err.message, {instance: req.path}));
      const mc = mailchimpProblem(err, req.path);
      if (mc) return sendProblem(res, mc);
      next(err);
    }
  });

  router.get('/v1/segments', async (req, res, next) => {
    try {
      const conn = await connectionOf(req, deps.connections);
      if (!conn.ok) return sendProblem(res, conn.problem);
      res.json({segments: await deps.segments.list(conn.connection.id)});
    } catch (err) {
      next(err);
    }
  });

  router.get('/v1/segments/:id', async (req, res, next) => {
    try {
      const id = idParam.safeParse(req.params.id);
      if (!id.success)
        return sendProblem(
          res,
          problem(400, 'invalid-id', 'Bad Request', 'The segment id must be a positive integer.', {instance: req.path}),
        );
      const conn = await connectionOf(req, deps.connections);
      if (!conn.ok) return sendProblem(res, conn.problem);
      const view = await deps.segments.get(conn.connection.id, id.data);
      if (!view)
        return sendProblem(res, problem(404, 'not-found', 'Not Found', `No segment ${id.data}.`, {instance: req.path}));
      res.json(view);
    } catch (err) {
      const mc = mailchimpProblem(err, req.path);
      if (mc) return sendProblem(res, mc);
      next(err);
    }
  });
  return router;
}
