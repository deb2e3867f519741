import {join} from 'node:path';
import {STATIC_PAGE_CSP, staticPageRouter} from '../http/static-page.js';
import express, {type NextFunction, type Request, type Response, type Router} from 'express';
import {z} from 'zod';
import {BackfillUnavailable, phasesOf, type BackfillRun} from '../backfill/backfill-service.js';
import {alreadyCompletedDetail} from '../backfill/finished-run.js';
import {problem, sendProblem} from '../http/problem.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import {mailchimpProblem} from '../operator/mailchimp-failure.js';
import {isSyncable, type Connection} from '../store/connections-repository.js';
import {merchantOf} from './merchant-session.js';
import {MerchantOnboarding, MerchantProblem, type MerchantDeps} from './merchant-onboarding.js';

/**
 * The shop's page (`GET /app`: static HTML, CSS and plain JavaScript, no build step) and its JSON API under
 * `/app/api/` (merchant session cookie, else 401; problem+json errors; POST bodies must be `application/json`,
 * else 415; `Cache-Control: no-store`). Every route works on the session's connection only: a `shop` of another
 * shop in the query or body, or another shop's run id in a path, is 404.
 *
 * - `GET /app/api/shop` → ShopView (merchant-onboarding.ts): the shop, its state, Mailchimp account, audience,
 *   tag prefix, Mailchimp store, webhook subscriptions as last checked, whether it syncs, its queue counts.
 * - `GET /app/api/audiences` → `{audiences: [{id, name, member_count, double_optin}]}`; 409 without Mailchimp.
 * - `POST /app/api/setup` `{list_id}` | `{create_list: {name?, from_name?, from_email?, subject?,
 *   permission_reminder?, language?}}`, `double_opt_in?`, `tag_prefix?` → ShopView. 404 for an audience that is
 *   not the account's; 409 when Mailchimp is not connected, or to move a shop whose Mailchimp store exists.
 * - `POST /app/api/backfill` `{kind?: "backfill" | "resync"}` → 202 `{run, phases}` (Location: /app/api/backfill/<id>);
 *   200 `{run, phases, already_completed: true, detail}` when the initial sync already completed (nothing started;
 *   `kind: "resync"` reads again); 409 before setup, while a run is running, or without Admin API access.
 * - `GET /app/api/backfill` → `{run | null, phases}` (the newest run); `GET /app/api/backfill/:id` → `{run, phases}`.
 */
const PAGE_DIR = join(process.cwd(), 'connector', 'src', 'install', 'merchant-page');

/** The shared page policy, plus: forms post only here (the install form), no <base>. */
const PAGE_CSP = `${STATIC_PAGE_CSP}; form-action 'self'; base-uri 'none'`;

/** A tag prefix: at most 20 characters of letters, digits, space and `_ : . - /` ('' for none). */
const tagPrefix = z
  .string()
  .max(20)
  .regex(/^[\p{L}\p{N} _:./-]*$/u, 'letters, digits, spaces and _ : . - / only');

const setupBody = z
  .object({
    /** Optional: must be the session's shop. */
    shop: z.string().optional(),
    list_id: z.string().min(1).max(100).optional(),
    create_list: z
      .object({
        name: z.string().trim().min(1).max(100).optional(),
        from_name: z.string().trim().min(1).max(100).optional(),
        from_email: z.email().optional(),
        subject: z.string().trim().min(1).max(150).optional(),
        permission_reminder: z.string().trim().min(1).max(500).optional(),
        language: z.string().min(2).max(10).optional(),
      })
      .strict()
      .optional(),
    double_opt_in: z.boolean().optional(),
    tag_prefix: tagPrefix.optional(),
  })
  .strict()
  .refine((b) => !(b.list_id !== undefined && b.create_list !== undefined), {
    message: 'give either list_id or create_list, not both',
    path: ['create_list'],
  });

const backfillBody = z
  .object({
    shop: z.string().optional(),
    /** `resync` reads the shop again and sends what differs in Mailchimp (after a completed initial sync). */
    kind: z.enum(['backfill', 'resync']).default('backfill'),
  })
  .strict();

export function merchantPageRouter(): Router {
  const router = express.Router();
  // Shopify opens the app's URL (the TOML's application_url, `/app`) from the admin with a signed query (`shop`,
  // `hmac`, `timestamp`, `host`): that goes to /shopify/install, which checks the signature and renews the session
  // for an installed shop (or installs it), then comes back here.
  router.get('/app', (req, res, next) => {
    const query = new URL(req.originalUrl, 'http://connector.invalid').search;
    if (typeof req.query.shop === 'string' && typeof req.query.hmac === 'string') {
      res.redirect(302, `/shopify/install${query}`);
      return;
    }
    next();
  });
  router.use(
    staticPageRouter(
      {
        '/app': {file: join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8'},
        '/app/merchant.js': {file: join(PAGE_DIR, 'merchant.js'), type: 'text/javascript; charset=utf-8'},
        '/app/merchant.css': {file: join(PAGE_DIR, 'merchant.css'), type: 'text/css; charset=utf-8'},
      },
      PAGE_CSP,
    ),
  );
  return router;
}

export function merchantApiRouter(deps: MerchantDeps): Router {
  const {context, backfill} = deps;
  const onboarding = new MerchantOnboarding(deps);
  const router = express.Router();
  const api = express.Router();
  router.use('/app/api', api);

  // Per route, not router-wide: other features mount their own `/app/api/...` routes after these.
  const noStore = (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  // The session's connection: gone, or another shop's by now (a reinstall under a new id), the session is over.
  const loadConnection = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const session = merchantOf(res);
      const connection = await context.connections.byId(session.connectionId);
      if (!connection || connection.shopDomain !== session.shop)
        return sendProblem(
          res,
          problem(401, 'no-session', 'Unauthorized', 'The session has ended: open the app from your Shopify admin.', {
            instance: instanceOf(req),
          }),
        );
      res.locals.connection = connection;
      const shop = req.query.shop;
      if (shop !== undefined && shop !== connection.shopDomain) return unknownShop(req, res);
      next();
    } catch (err) {
      next(err);
    }
  };
  // POST bodies are JSON only: with SameSite=Lax this stands in for a CSRF token (merchant-session.ts).
  const jsonOnly = (req: Request, res: Response, next: NextFunction) => {
    const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      return sendProblem(
        res,
        problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Send the request body as application/json.', {
          instance: instanceOf(req),
        }),
      );
    next();
  };
  const read = [noStore, context.sessions.requireSession(), loadConnection];
  const write = [...read, jsonOnly, express.json({limit: '16kb'})];

  api.get('/shop', ...read, async (_req, res, next) => {
    try {
      res.json(await onboarding.view(connectionOf(res)));
    } catch (err) {
      next(err);
    }
  });

  api.get('/audiences', ...read, async (_req, res, next) => {
    try {
      const audiences = await onboarding.audiences(connectionOf(res));
      res.json({audiences});
    } catch (err) {
      next(err);
    }
  });

  api.post('/setup', ...write, async (req, res, next) => {
    try {
      const parsed = setupBody.safeParse(req.body ?? {});
      if (!parsed.success) return invalid(req, res, parsed.error);
      const connection = connectionOf(res);
      if (parsed.data.shop !== undefined && parsed.data.shop !== connection.shopDomain) return unknownShop(req, res);
      const chosen = await onboarding.setup(connection, parsed.data);
      res.json(await onboarding.view(chosen));
    } catch (err) {
      next(err);
    }
  });

  api.post('/backfill', ...write, async (req, res, next) => {
    try {
      const parsed = backfillBody.safeParse(req.body ?? {});
      if (!parsed.success) return invalid(req, res, parsed.error);
      const connection = connectionOf(res);
      if (parsed.data.shop !== undefined && parsed.data.shop !== connection.shopDomain) return unknownShop(req, res);
      if (!isSyncable(connection))
        return sendProblem(
          res,
          problem(409, 'setup-incomplete', 'Conflict', 'Connect Mailchimp and choose an audience first.', {
            instance: instanceOf(req),
          }),
        );
      const latest = await backfill.latestOf(connection.id);
      if (latest?.status === 'running')
        return sendProblem(
          res,
          problem(409, 'backfill-running', 'Conflict', 'The initial sync is already running.', {
            instance: instanceOf(req),
            run_id: latest.id,
          }),
        );
      const {run, outcome} = await backfill.start(connection, parsed.data.kind);
      if (outcome === 'already_completed')
        // 200, not 202: nothing was started; the page says so and offers the resync.
        return res.status(200).json({
          ...runView(run),
          already_completed: true,
          detail: alreadyCompletedDetail(connection.shopDomain, run.finishedAt),
        });
      res.status(202).location(`/app/api/backfill/${run.id}`).json(runView(run));
    } catch (err) {
      if (err instanceof BackfillUnavailable)
        return sendProblem(
          res,
          problem(409, 'backfill-unavailable', 'Conflict', err.message, {instance: instanceOf(req)}),
        );
      next(err);
    }
  });

  api.get('/backfill', ...read, async (_req, res, next) => {
    try {
      const run = await backfill.latestOf(connectionOf(res).id);
      res.json(run ? runView(run) : {run: null, phases: phasesOf('backfill')});
    } catch (err) {
      next(err);
    }
  });

  api.get('/backfill/:id', ...read, async (req, res, next) => {
    try {
      const id = z.uuid().safeParse(req.params.id);
      const run = id.success ? await backfill.view(id.data).catch(() => undefined) : undefined;
      // Another shop's run is not found.
      if (!run || run.connectionId !== connectionOf(res).id)
        return sendProblem(
          res,
          problem(404, 'unknown-run', 'Not Found', 'No such backfill run.', {instance: instanceOf(req)}),
        );
      res.json(runView(run));
    } catch (err) {
      next(err);
    }
  });

  api.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (err instanceof MerchantProblem) return sendProblem(res, {...err.doc, instance: instanceOf(req)});
    if (isBodyParseError(err))
      return sendProblem(
        res,
        problem(400, 'invalid-json', 'Bad Request', 'The request body is not valid JSON.', {instance: instanceOf(req)}),
      );
    const failure = isMailchimpError(err) ? mailchimpProblem(err, instanceOf(req)) : undefined;
    if (failure) return sendProblem(res, failure);
    next(err);
  });
  return router;
}

/** The run as the operator API shows it, with the phases it goes through in order. */
function runView(run: BackfillRun): {run: BackfillRun; phases: readonly string[]} {
  return {run, phases: phasesOf(run.kind)};
}

function connectionOf(res: Response): Connection {
  return res.locals.connection as Connection;
}

function instanceOf(req: Request): string {
  return req.originalUrl.split('?')[0] ?? req.path;
}

function unknownShop(req: Request, res: Response): void {
  sendProblem(res, problem(404, 'unknown-shop', 'Not Found', 'No such shop.', {instance: instanceOf(req)}));
}

function invalid(req: Request, res: Response, error: z.ZodError): void {
  const errors = error.issues.map((i) => ({field: i.path.join('.'), message: i.message}));
  sendProblem(
    res,
    problem(400, 'invalid-request', 'Bad Request', 'The request body is invalid. See errors[].', {
      instance: instanceOf(req),
      errors,
    }),
  );
}

function isBodyParseError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as {type?: unknown}).type === 'entity.parse.failed';
}
