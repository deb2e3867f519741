import type {Router} from 'express';
import type {RouteDef, RouteTable} from './routes.js';
import type {SandboxState} from './state.js';
import type {RequestRecorder} from './recorder.js';
import type {OAuthGrants} from './oauth-grants.js';

/** What a resource module gets from the sandbox. */
export interface ModuleContext {
  state: SandboxState;
  table: RouteTable;
  recorder: RequestRecorder;
  /** Origin the sandbox listens on, e.g. `http://127.0.0.1:4010` (for URLs it hands out, like batch results). */
  origin(): string;
  /** The API key the sandbox accepts (for modules that call back into it, like the official client tests). */
  apiKey: string;
  /** OAuth clients, codes and issued tokens (authorize, token, revoke). */
  oauth: OAuthGrants;
  /** GET /oauth2/authorize redirects at once instead of showing the Allow page. */
  oauthAutoApprove: boolean;
  /** How long deliveries to list/batch webhooks wait for an answer (Mailchimp: 10 s). */
  webhookTimeoutMs: number;
  /** Delay between batch status steps (pending → preprocessing → started → finalizing → finished). */
  batchStepMs: number;
  /** Waits before each retry of a failed list-webhook delivery (Mailchimp: increasing intervals over 75 minutes). */
  webhookRetryDelaysMs: number[];
}

/**
 * A resource module: its /3.0 routes, optional test controls under /__sandbox (people's actions and the like),
 * optional unauthenticated public routes (e.g. batch result archives, as Mailchimp serves them from storage),
 * and optional lifecycle hooks.
 */
export interface SandboxModule {
  name: string;
  routes(ctx: ModuleContext): RouteDef[];
  controls?(router: Router, ctx: ModuleContext): void;
  publicRoutes?(router: Router, ctx: ModuleContext): void;
  start?(ctx: ModuleContext): void;
  /**
   * Stop timers and background work; called by close(). Module objects are shared by every sandbox in the process,
   * so `ctx` says which sandbox is closing.
   */
  stop?(ctx: ModuleContext): Promise<void> | void;
}
