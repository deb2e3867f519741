import express, {type Router} from 'express';
import {problem, sendProblem} from '../http/problem.js';
import type {Readiness} from './startup-checks.js';

export interface ReadinessRouteDeps {
  readiness: Readiness;
  /** Rejects when the database does not answer. */
  pingDatabase(): Promise<void>;
  engine: string;
}

/**
 * `GET /readyz` (public): 200 when the database answers and the start-up checks pass; otherwise 503 problem+json
 * with `reasons`, one line each (the same lines the log has). Never a secret: the lines name variables, not values.
 */
export function readyzRouter(deps: ReadinessRouteDeps): Router {
  const router = express.Router();
  router.get('/readyz', async (req, res) => {
    const reasons: string[] = [];
    try {
      await deps.pingDatabase();
    } catch {
      reasons.push('DATABASE_URL: the database does not answer');
    }
    const {state, reasons: checks} = deps.readiness.current();
    reasons.push(...checks);
    if (reasons.length === 0) return void res.json({status: 'ready', database: deps.engine});
    sendProblem(res, notReady(reasons, state, req.path));
  });
  return router;
}

/**
 * `POST /v1/readiness/check` (admin token): runs the start-up checks now, e.g. after creating the list, instead of
 * waiting for the next periodic run; answers like /readyz.
 */
export function readinessCheckRouter(deps: ReadinessRouteDeps): Router {
  const router = express.Router();
  router.post('/v1/readiness/check', async (req, res, next) => {
    try {
      const {state, reasons} = await deps.readiness.check();
      if (reasons.length === 0) return void res.json({status: 'ready'});
      sendProblem(res, notReady(reasons, state, req.path));
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function notReady(reasons: string[], state: string, instance: string) {
  return problem(503, 'not-ready', 'Service Unavailable', reasons.join('; '), {instance, state, reasons});
}
