import axios, {type AxiosInstance} from 'axios';
import {pino} from 'pino';
import type {Logger} from '../logging/logger.js';
import {PRODUCT_NAME, PRODUCT_VERSION} from '../version.js';
import {authorizationHeader, credentialForms, type MailchimpAccount} from './account.js';
import type {AccountLimiter, AccountLimiters} from './account-limiters.js';
import {MailchimpError} from './mailchimp-error.js';
import {classifyFailure, type MailchimpErrorKind} from './problem-classifier.js';
import {DEFAULT_RETRY, parseRetryAfterMs, retryDelayMs, type RetryOptions} from './retry-policy.js';
import {expandRoute, type RouteParams} from './route.js';
import {scrubSecrets} from './secret.js';
import type {FieldSelection, HttpMethod} from './types/common.js';

/** What the metrics hook sees of each call, once it is over (after its last attempt). */
export interface CallEvent {
  accountId: string;
  method: HttpMethod;
  /** The route template, e.g. `/lists/{list_id}/members/{subscriber_hash}`. */
  route: string;
  outcome: 'success' | 'failure';
  /** Final HTTP status, when a response arrived. */
  status?: number;
  /** Transport error code when no response arrived (ETIMEDOUT, ECONNRESET, …). */
  errorCode?: string;
  kind?: MailchimpErrorKind;
  /** Wall time of the whole call: queueing, every attempt and the waits between them. */
  durationMs: number;
  /** Time of the last HTTP exchange alone. */
  lastAttemptMs: number;
  attempts: number;
}

export interface TransportOptions {
  account: MailchimpAccount;
  limiters: AccountLimiters;
  /** Per-attempt deadline; Mailchimp cuts calls at 120 s. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  logger?: Logger;
  onCall?: (event: CallEvent) => void;
  userAgent?: string;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestSpec<T extends string> {
  method: HttpMethod;
  route: T;
  params: RouteParams<T>;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  select?: FieldSelection;
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_USER_AGENT = `${PRODUCT_NAME}/${PRODUCT_VERSION} (Node.js ${process.version})`;

type AttemptOutcome =
  | {type: 'deferred'}
  | {type: 'response'; status: number; body: unknown; retryAfterMs: number | undefined; ms: number}
  | {type: 'network'; code: string; ms: number};

/**
 * Every Mailchimp call goes through here: one axios request per attempt, each attempt a separate job of the
 * account's Bottleneck limiter. The retry loop lives outside `limiter.schedule`, so a call waiting for its next
 * attempt holds no concurrency slot (Bottleneck's own retries would, stack.md §2).
 */
export class MailchimpTransport {
  readonly account: MailchimpAccount;
  private readonly http: AxiosInstance;
  private readonly slot: AccountLimiter;
  private readonly retry: RetryOptions;
  private readonly timeoutMs: number;
  private readonly logger: Logger;
  private readonly onCall: ((event: CallEvent) => void) | undefined;
  private readonly secrets: string[];

  constructor(options: TransportOptions) {
    this.account = options.account;
    this.slot = options.limiters.forAccount(options.account.id);
    this.retry = {...DEFAULT_RETRY, ...options.retry};
    if (!Number.isInteger(this.retry.maxAttempts) || this.retry.maxAttempts < 1)
      throw new Error('retry.maxAttempts must be a positive integer');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.logger = (options.logger ?? pino({level: 'silent'})).child({module: 'mailchimp', account: options.account.id});
    this.onCall = options.onCall;
    this.secrets = credentialForms(options.account.credentials);
    this.http = axios.create({
      headers: {
        'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT,
        Accept: 'application/json, application/problem+json',
      },
      responseType: 'text',
      // Keep the raw text: a 403 without a JSON body means "slow down", so whether the body was JSON matters.
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // The API never redirects; not following keeps the Authorization header on the host it was meant for.
      maxRedirects: 0,
    });
  }

  /** One call, retried as RetryOptions say. Resolves to the parsed body (undefined for 204); rejects with MailchimpError. */
  async request<TResponse, T extends string = string>(spec: RequestSpec<T>): Promise<TResponse> {
    const started = performance.now();
    const url = this.account.baseUrl + expandRoute(spec.route, spec.params) + queryString(spec.query, spec.select);
    let attempts = 0;
    for (;;) {
      if (!(await sleep(this.slot.pause.remainingMs(), spec.signal))) throw this.aborted(spec, started, attempts);
      const outcome = await this.scheduleAttempt(spec, url);
      if (outcome.type === 'deferred') continue;
      attempts += 1;
      if (outcome.type === 'response' && outcome.status < 300) {
        this.emit({spec, outcome: 'success', status: outcome.status, started, lastAttemptMs: outcome.ms, attempts});
        return outcome.body as TResponse;
      }
      const facts =
        outcome.type === 'response' ? {status: outcome.status, body: outcome.body} : {networkCode: outcome.code};
      const classification = classifyFailure(facts);
      const status = outcome.type === 'response' ? outcome.status : undefined;
      const code = outcome.type === 'network' ? outcome.code : undefined;
      if (classification.kind !== 'retryable' || attempts >= this.retry.maxAttempts) {
        this.emit({
          spec,
          outcome: 'failure',
          status,
          errorCode: code,
          kind: classification.kind,
          started,
          lastAttemptMs: outcome.ms,
          attempts,
        });
        const error = new MailchimpError({
          method: spec.method,
          route: spec.route,
          status,
          code,
          classification,
          attempts,
        });
        if (classification.kind === 'retryable') {
          this.logger.warn(
            {method: spec.method, route: spec.route, status, code, attempts},
            'mailchimp call failed after its last attempt',
          );
        }
        throw error;
      }
      const retryAfterMs = outcome.type === 'response' ? outcome.retryAfterMs : undefined;
      const delayMs = retryDelayMs(attempts, retryAfterMs, this.retry);
      this.logger.debug(
        {method: spec.method, route: spec.route, status, code, attempt: attempts, delayMs},
        'mailchimp call will be retried',
      );
      if (!(await sleep(delayMs, spec.signal))) throw this.aborted(spec, started, attempts);
    }
  }

  private aborted(spec: RequestSpec<string>, started: number, attempts: number): MailchimpError {
    this.emit({spec, outcome: 'failure', errorCode: 'ABORTED', kind: 'aborted', started, lastAttemptMs: 0, attempts});
    return new MailchimpError({
      method: spec.method,
      route: spec.route,
      code: 'ABORTED',
      classification: {kind: 'aborted', problem: {}},
      attempts,
    });
  }

  private async scheduleAttempt<T extends string>(spec: RequestSpec<T>, url: string): Promise<AttemptOutcome> {
    const job = async (): Promise<AttemptOutcome> => {
      // Queued before a 429 paused the account: give the slot back and wait outside.
      if (this.slot.pause.remainingMs() > 0) return {type: 'deferred'};
      const outcome = await this.send(spec, url);
      if (outcome.type === 'response' && outcome.status === 429) {
        this.slot.pause.pauseFor(
          Math.min(outcome.retryAfterMs ?? this.retry.rateLimitPauseMs, this.retry.maxRetryAfterMs),
        );
      }
      return outcome;
    };
    try {
      return await this.slot.limiter.schedule(job);
    } catch (error) {
      // The limiter itself failed (Redis unreachable, limiter stopped): no request was sent.
      this.logger.error(
        {err: error instanceof Error ? error.message : String(error)},
        'mailchimp limiter refused a job',
      );
      return {type: 'network', code: spec.signal?.aborted ? 'ABORTED' : 'ELIMITER', ms: 0};
    }
  }

  private async send<T extends string>(spec: RequestSpec<T>, url: string): Promise<AttemptOutcome> {
    const started = performance.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onCallerAbort = () => controller.abort();
    spec.signal?.addEventListener('abort', onCallerAbort, {once: true});
    try {
      if (spec.signal?.aborted) return {type: 'network', code: 'ABORTED', ms: 0};
      const response = await this.http.request<string>({
        method: spec.method,
        url,
        data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        headers: {
          Authorization: authorizationHeader(this.account.credentials),
          ...(spec.body === undefined ? {} : {'Content-Type': 'application/json'}),
        },
        signal: controller.signal,
      });
      const text = typeof response.data === 'string' ? response.data : '';
      const safeText = response.status >= 300 ? scrubSecrets(text, this.secrets) : text;
      const retryAfter: unknown = response.headers['retry-after'];
      return {
        type: 'response',
        status: response.status,
        body: parseBody(safeText),
        retryAfterMs: parseRetryAfterMs(retryAfter, Date.now()),
        ms: performance.now() - started,
      };
    } catch (error) {
      const code = timedOut ? 'ETIMEDOUT' : spec.signal?.aborted ? 'ABORTED' : networkCode(error);
      return {type: 'network', code, ms: performance.now() - started};
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private emit(input: {
    spec: RequestSpec<string>;
    outcome: CallEvent['outcome'];
    status?: number | undefined;
    errorCode?: string | undefined;
    kind?: MailchimpErrorKind;
    started: number;
    lastAttemptMs: number;
    attempts: number;
  }): void {
    if (!this.onCall) return;
    const event: CallEvent = {
      accountId: this.account.id,
      method: input.spec.method,
      route: input.spec.route,
      outcome: input.outcome,
      durationMs: performance.now() - input.started,
      lastAttemptMs: input.lastAttemptMs,
      attempts: input.attempts,
    };
    if (input.status !== undefined) event.status = input.status;
    if (input.errorCode !== undefined) event.errorCode = input.errorCode;
    if (input.kind !== undefined) event.kind = input.kind;
    try {
      this.onCall(event);
    } catch (error) {
      this.logger.error({err: error instanceof Error ? error.message : String(error)}, 'onCall hook threw');
    }
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function networkCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as {code?: unknown}).code;
    if (typeof code === 'string' && code !== '') return code;
  }
  return 'ERR_NETWORK';
}

export function queryString(
  query: Readonly<Record<string, QueryValue>> | undefined,
  select: FieldSelection | undefined,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(key, String(value));
  }
  if (select?.fields?.length) search.set('fields', select.fields.join(','));
  if (select?.excludeFields?.length) search.set('exclude_fields', select.excludeFields.join(','));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Waits `ms`; resolves false at once if the signal fires (before or during the wait), true otherwise. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, {once: true});
  });
}
