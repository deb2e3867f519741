import express, {type Express, type NextFunction, type Request, type Response} from 'express';
import type {Logger} from '../logging/logger.js';
import {problem, sendProblem} from './problem.js';

export interface AppDeps {
  logger: Logger;
  version: string;
}

/**
 * The connector's HTTP surface. Routes stay thin: parse, call one use-case, answer. `mount` adds the feature
 * routes between the health check and the not-found / error handlers.
 */
export function createApp(deps: AppDeps, mount: (app: Express) => void = () => undefined): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({status: 'ok', version: deps.version, uptimeSeconds: Math.round(process.uptime())});
  });

  mount(app);

  app.use((req: Request, res: Response) => {
    sendProblem(
      res,
      problem(404, 'not-found', 'Not Found', `No route for ${req.method} ${req.path}.`, {instance: req.path}),
    );
  });

  // Express recognises an error handler by its four parameters.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status =
      typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) deps.logger.error({err, path: req.path}, 'request failed');
    const title =
      status === 413
        ? 'Payload Too Large'
        : status === 400
          ? 'Bad Request'
          : status >= 500
            ? 'Internal Server Error'
            : 'Request Error';
    const detail =
      status >= 500
        ? 'The server failed to handle the request; it has been logged.'
        : err instanceof Error
          ? err.message
          : String(err);
    sendProblem(res, problem(status, title.toLowerCase().replaceAll(' ', '-'), title, detail, {instance: req.path}));
  });
  return app;
}
