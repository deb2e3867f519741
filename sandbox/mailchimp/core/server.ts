import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import type {Server} from 'node:http';
import express, {type Express, type Request, type Response} from 'express';
import {isAcceptedToken} from './credentials.js';
import {OAuthGrants, type OAuthClient} from './oauth-grants.js';
import {FaultInjector, faultConfigSchema, type FaultConfig} from './faults.js';
import {MailchimpProblem, problems} from './problem.js';
import {RequestRecorder} from './recorder.js';
import {RouteTable, type HttpMethod, type SandboxResponse} from './routes.js';
import {SandboxState} from './state.js';
import type {ModuleContext, SandboxModule} from './module.js';
import type {FieldError} from './problem.js';

export interface SandboxOptions {
  /** The key accepted as HTTP Basic password or Bearer token (Bearer/OAuth also take it without its `-dc` suffix). */
  apiKey?: string;
  seed?: number;
  /** Fixed latency added to every /3.0 request (ms). */
  latencyMs?: number;
  faults?: FaultConfig;
  /** Simultaneous requests allowed before 429 (Mailchimp: 10 per account). */
  maxConnections?: number;
  /** Requests taking longer are cut with 504 (Mailchimp: 120 s). */
  requestTimeoutMs?: number;
  /** Record every request for GET /__sandbox/requests (turn off in large benchmarks). */
  recordRequests?: boolean;
  webhookTimeoutMs?: number;
  /** Waits before each retry of a failed list-webhook delivery; its length is the number of retries. */
  webhookRetryDelaysMs?: number[];
  batchStepMs?: number;
  now?: () => Date;
  /** Registered OAuth apps the authorize and token endpoints accept (none: every client_id is refused). */
  oauthClients?: OAuthClient[];
  /** GET /oauth2/authorize redirects back with a code at once, without the Allow page (scripted flows, tests). */
  oauthAutoApprove?: boolean;
  modules: SandboxModule[];
  /** Request body validation from the OpenAPI description; returns field errors, empty when valid. */
  validate?: (method: string, template: string, query: Record<string, string>, body: unknown) => FieldError[];
}

export interface Sandbox {
  app: Express;
  state: SandboxState;
  table: RouteTable;
  recorder: RequestRecorder;
  faults: FaultInjector;
  apiKey: string;
  /** OAuth clients, codes and issued tokens. */
  oauth: OAuthGrants;
  /** Starts listening on 127.0.0.1; returns the /3.0 base URL. */
  listen(port?: number): Promise<string>;
  /** `http://127.0.0.1:<port>` once listening. */
  origin(): string;
  baseUrl(): string;
  close(): Promise<void>;
}

export const DEFAULT_SANDBOX_API_KEY = 'sandbox0000000000000000000000000-us1';

export function createSandbox(options: SandboxOptions): Sandbox {
  const apiKey = options.apiKey ?? DEFAULT_SANDBOX_API_KEY;
  const state = new SandboxState({seed: options.seed, now: options.now});
  const table = new RouteTable(options.validate);
  const recorder = new RequestRecorder(options.recordRequests ?? true);
  const faults = new FaultInjector(state.random, {latencyMs: options.latencyMs, ...options.faults});
  const maxConnections = options.maxConnections ?? 10;
  const requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  const oauth = new OAuthGrants(options.oauthClients ?? [], () => state.now().getTime());
  let server: Server | undefined;
  let originUrl = '';

  const ctx: ModuleContext = {
    state,
    table,
    recorder,
    origin: () => originUrl,
    apiKey,
    oauth,
    oauthAutoApprove: options.oauthAutoApprove ?? false,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
    batchStepMs: options.batchStepMs ?? 20,
    // Mailchimp retries "at increasing intervals over the course of 75 minutes"; scaled down to about a minute.
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? [1_000, 4_000, 15_000, 40_000],
  };
  for (const mod of options.modules) table.add(...mod.routes(ctx));

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  const controls = express.Router();
  controls.use(express.json({limit: '5mb'}));
  controls.post('/reset', (_req, res) => {
    state.reset();
    recorder.clear();
    recorder.resetStats();
    faults.set({latencyMs: options.latencyMs});
    res.status(204).end();
  });
  controls.get('/faults', (_req, res) => {
    res.json(faults.get());
  });
  controls.put('/faults', (req, res) => {
    const parsed = faultConfigSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        title: 'Invalid fault configuration',
        errors: parsed.error.issues.map((i) => ({field: i.path.join('.'), message: i.message})),
      });
      return;
    }
    faults.set(parsed.data);
    res.json(faults.get());
  });
  controls.delete('/faults', (_req, res) => {
    faults.set({});
    res.status(204).end();
  });
  controls.get('/requests', (_req, res) => {
    res.type('application/x-ndjson').send(
      recorder
        .all()
        .map((r) => JSON.stringify(r))
        .join('\n') + (recorder.all().length ? '\n' : ''),
    );
  });
  controls.delete('/requests', (_req, res) => {
    recorder.clear();
    res.status(204).end();
  });
  controls.get('/stats', (_req, res) => {
    res.json(recorder.stats());
  });
  controls.post('/stats/reset', (_req, res) => {
    recorder.resetStats();
    res.status(204).end();
  });
  controls.get('/info', (_req, res) => {
    res.json({baseUrl: `${originUrl}/3.0`, apiKey});
  });
  for (const mod of options.modules) mod.controls?.(controls, ctx);
  app.use('/__sandbox', controls);

  for (const mod of options.modules) {
    if (!mod.publicRoutes) continue;
    const router = express.Router();
    mod.publicRoutes(router, ctx);
    app.use(router);
  }

  app.use('/3.0', express.text({type: () => true, limit: '50mb'}), (req: Request, res: Response) => {
    void handleApiRequest(req, res);
  });
  app.use((req, res) => sendProblem(res, problems.notFound()));

  async function handleApiRequest(req: Request, res: Response): Promise<void> {
    const started = Date.now();
    const path = req.path;
    const method = req.method.toUpperCase() as HttpMethod;
    const query = flattenQuery(req.query);
    let body: unknown;
    let status = 0;
    const finish = (template?: string) => {
      recorder.record({
        time: new Date(started).toISOString(),
        method,
        path: `/3.0${path}`,
        template,
        query,
        body,
        status,
        durationMs: Date.now() - started,
        via: 'http',
      });
    };

    const authProblem = authenticate(req.headers.authorization, apiKey, oauth);
    if (authProblem) {
      status = authProblem.status;
      sendProblem(res, authProblem);
      finish();
      return;
    }

    recorder.enter();
    let left = false;
    const leave = () => {
      if (!left) {
        left = true;
        recorder.leave();
      }
    };
    res.once('close', leave);
    try {
      if (recorder.inFlight > maxConnections) {
        status = 429;
        sendProblem(res, problems.tooManyRequests());
        finish();
        return;
      }
      const raw = typeof req.body === 'string' ? req.body : '';
      if (raw.trim().length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          status = 400;
          sendProblem(res, problems.jsonParse());
          finish();
          return;
        }
      }
      const decision = faults.decide(method, path, requestTimeoutMs);
      const delay = Math.min(decision.delayMs, requestTimeoutMs);
      if (delay > 0) await sleep(delay);
      if (decision.delayMs >= requestTimeoutMs) {
        status = 504;
        sendProblem(res, problems.timeout());
        finish();
        return;
      }
      if (decision.kind === 'reset') {
        status = 0;
        req.socket.destroy();
        finish();
        return;
      }
      if (decision.kind === 'status') {
        status = decision.status;
        if (decision.status === 403) {
          // "At exceptionally high volumes, you may receive an HTTP 429 or 403 without a JSON body."
          res.status(403).type('text/html').send('<html><body><h1>403 Forbidden</h1></body></html>');
        } else {
          sendProblem(
            res,
            decision.status === 429
              ? problems.tooManyRequests()
              : decision.status === 500
                ? problems.internal()
                : problems.unavailable(),
          );
        }
        finish(table.templateFor(method, path));
        return;
      }
      const result: SandboxResponse = await table.dispatch(state, {method, path, query, body, via: 'http'});
      status = result.status;
      for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
      if (status === 204 || result.body === undefined) {
        res.status(status).end();
      } else if (status >= 400 && isProblemBody(result.body)) {
        res.setHeader('X-Request-Id', result.body.instance);
        res.status(status).type('application/problem+json; charset=utf-8').send(JSON.stringify(result.body));
      } else {
        res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(result.body));
      }
      finish(table.templateFor(method, path));
    } catch (err) {
      status = 500;
      if (!res.headersSent) sendProblem(res, err instanceof MailchimpProblem ? err : problems.internal());
      finish();
    } finally {
      if (res.writableEnded) leave();
    }
  }

  const sandbox: Sandbox = {
    app,
    state,
    table,
    recorder,
    faults,
    apiKey,
    oauth,
    async listen(port = 0) {
      server = app.listen(port, '127.0.0.1');
      await once(server, 'listening');
      const address = server.address() as AddressInfo;
      originUrl = `http://127.0.0.1:${address.port}`;
      // Long-poll style requests (slow faults) must not be cut by Node's own timeouts before ours.
      server.requestTimeout = 0;
      server.keepAliveTimeout = 5_000;
      for (const mod of options.modules) mod.start?.(ctx);
      return `${originUrl}/3.0`;
    },
    origin: () => originUrl,
    baseUrl: () => `${originUrl}/3.0`,
    async close() {
      for (const mod of options.modules) await mod.stop?.(ctx);
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
    },
  };
  return sandbox;
}

function authenticate(header: string | undefined, apiKey: string, oauth: OAuthGrants): MailchimpProblem | undefined {
  if (!header) return problems.apiKeyMissing();
  const [scheme, value] = header.split(' ', 2);
  let presented: string | undefined;
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    presented = decoded.slice(decoded.indexOf(':') + 1);
  } else if ((scheme?.toLowerCase() === 'bearer' || scheme?.toLowerCase() === 'oauth') && value) {
    presented = value;
  }
  if (!presented) return problems.apiKeyMissing();
  if (presented === apiKey) return undefined;
  // A token (Bearer/OAuth) may also be an OAuth access token of the account: issued by the flow, or the key without -dc.
  return scheme?.toLowerCase() !== 'basic' && isAcceptedToken(apiKey, oauth, presented)
    ? undefined
    : problems.apiKeyInvalid();
}

export function sendProblem(res: Response, problem: MailchimpProblem): void {
  const body = problem.toBody();
  for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
  res.setHeader('X-Request-Id', body.instance);
  res.status(problem.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

function isProblemBody(body: unknown): body is {instance: string} {
  return (
    typeof body === 'object' &&
    body !== null &&
    'instance' in body &&
    typeof (body as {instance: unknown}).instance === 'string'
  );
}

function flattenQuery(query: Request['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String).join(',');
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
