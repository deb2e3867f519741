import {createHash} from 'node:crypto';
import express, {type NextFunction, type Request, type RequestHandler, type Response, type Router} from 'express';
import {rateLimit} from 'express-rate-limit';
import type {Kysely} from 'kysely';
import {problem, sendProblem} from '../http/problem.js';
import type {Logger} from '../logging/logger.js';
import type {Connection, ConnectionsRepository} from '../store/connections-repository.js';
import type {Database} from '../store/schema.js';
import {recordStorefrontConsent} from './record-storefront-consent.js';
import type {MemberNowLookup} from './storefront-answer.js';
import type {OriginPolicy} from './storefront-origins.js';
import {MAX_STOREFRONT_BODY_BYTES, parseStorefrontRequest, type StorefrontKind, type StorefrontRequest} from './storefront-request.js';

export interface StorefrontLimits {
  /** Requests per client IP per window, across both endpoints. */
  perIp: number;
  /** Accepted requests per shop and address per window. */
  perEmail: number;
  windowMs: number;
}

export interface StorefrontRouteDeps {
  db: Kysely<Database>;
  connections: ConnectionsRepository;
  origins: OriginPolicy;
  limits: StorefrontLimits;
  logger: Logger;
  now(): Date;
  /** Called after a new request was stored (wakes the inbox processor). */
  onAccepted(): void;
  /** What Mailchimp holds of an address now (the answer's precision); without it the answer is local knowledge. */
  lookupMember?: MemberNowLookup;
}

interface Locals {
  request?: StorefrontRequest;
  connection?: Connection;
  addressKey?: string;
}

const ENDPOINTS: Array<{path: string; kind: StorefrontKind; types: string[]}> = [
  {path: '/v1/subscribe', kind: 'subscribe', types: ['application/json']},
  // The checkbox's beacon: navigator.sendBeacon can only send a CORS-safelisted type without a preflight, so the
  // JSON arrives as text/plain.
  {path: '/v1/consent', kind: 'checkout_opt_in', types: ['application/json', 'text/plain']},
];

/**
 * The storefront endpoints the widget calls: `POST /v1/subscribe` and the consent beacon `POST /v1/consent`. In
 * order: origin (CORS), rate limit per IP, content type, size, JSON, schema, honeypot, shop and its origins, rate
 * limit per address; then the request and its evidence are stored before the 202 (record-storefront-consent.ts).
 */
export function storefrontRouter(deps: StorefrontRouteDeps): Router {
  const router = express.Router();
  const log = deps.logger;
  const tooMany = (scope: string): RequestHandler => (req, res) => {
    log.info({path: req.path, scope}, 'storefront request rate limited');
    sendProblem(res, problem(429, 'rate-limited', 'Too Many Requests', `Too many requests from this ${scope}; try again later.`, {instance: req.path}));
  };
  const perIp = rateLimit({
    windowMs: deps.limits.windowMs,
    limit: deps.limits.perIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ipv6Subnet: 56,
    handler: tooMany('address (IP)'),
  });
  const perAddress = rateLimit({
    windowMs: deps.limits.windowMs,
    limit: deps.limits.perEmail,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (_req, res) => (res.locals as Locals).addressKey ?? 'unknown',
    handler: tooMany('email address'),
  });
  const cors = corsFor(deps.origins, log);

  for (const endpoint of ENDPOINTS) {
    router.options(endpoint.path, cors);
    router.post(
      endpoint.path,
      cors,
      perIp,
      requireContentType(endpoint.types),
      express.text({type: () => true, limit: MAX_STOREFRONT_BODY_BYTES}),
      validate(endpoint.kind, deps, log),
      perAddress,
      record(endpoint.kind, deps),
    );
  }
  return router;
}

function corsFor(origins: OriginPolicy, log: Logger): RequestHandler {
  return async (req, res, next) => {
    try {
      res.vary('Origin');
      const origin = req.get('origin');
      if (!origin || !(await origins.allowsAny(origin, req))) {
        log.info({path: req.path, origin}, 'storefront request from an origin no shop allows');
        return sendProblem(res, problem(403, 'origin-not-allowed', 'Forbidden', 'This page\'s origin may not call the storefront endpoints (STOREFRONT_ORIGINS).', {instance: req.path}));
      }
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Expose-Headers', 'Retry-After, RateLimit, RateLimit-Policy');
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'POST');
        res.set('Access-Control-Allow-Headers', 'Content-Type');
        res.set('Access-Control-Max-Age', '600');
        return res.status(204).end();
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

function requireContentType(types: string[]): RequestHandler {
  return (req, res, next) => {
    if (req.is(types)) return next();
    sendProblem(res, problem(415, 'unsupported-media-type', 'Unsupported Media Type', `The body must be ${types.join(' or ')}.`, {instance: req.path}));
  };
}

function validate(kind: StorefrontKind, deps: StorefrontRouteDeps, log: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      let body: unknown;
      try {
        body = JSON.parse(typeof req.body === 'string' ? req.body : '');
      } catch {
        return sendProblem(res, problem(400, 'malformed-json', 'Bad Request', 'The body is not valid JSON.', {instance: req.path}));
      }
      const parsed = parseStorefrontRequest(kind, body);
      if (!parsed.ok) {
        return sendProblem(res, problem(400, 'invalid-request', 'Invalid Request', 'Some fields are invalid; nothing was stored. See errors[].', {instance: req.path, errors: parsed.errors}));
      }
      const request = parsed.request;
      if (request.website !== undefined && request.website !== '') {
        // A bot filled the field people never see: it is told what a person would be told, and nothing is stored.
        log.info({path: req.path}, 'storefront honeypot filled; request dropped');
        return res.status(202).json({status: 'subscribed'});
      }
      const connection = await deps.connections.byShopDomain(request.shop);
      if (!connection || connection.status !== 'active') {
        return sendProblem(res, problem(404, 'unknown-shop', 'Not Found', 'No active shop is connected under this name.', {instance: req.path}));
      }
      if (!deps.origins.allows(connection, req.get('origin') ?? '', req)) {
        return sendProblem(res, problem(403, 'origin-not-allowed', 'Forbidden', 'This page\'s origin is not one of the shop\'s storefront origins.', {instance: req.path}));
      }
      const locals = res.locals as Locals;
      locals.request = request;
      locals.connection = connection;
      locals.addressKey = `${connection.id}:${createHash('sha256').update(request.email.toLowerCase()).digest('hex')}`;
      next();
    } catch (err) {
      next(err);
    }
  };
}

function record(kind: StorefrontKind, deps: StorefrontRouteDeps): RequestHandler {
  return async (req, res, next) => {
    try {
      const {request, connection} = res.locals as Locals;
      if (!request || !connection) throw new Error('storefront request reached the store step unvalidated');
      const result = await recordStorefrontConsent(deps.db, {
        connection,
        kind,
        request,
        context: {receivedAt: deps.now().toISOString(), ip: req.ip, userAgent: req.get('user-agent')?.slice(0, 1000)},
        // The beacon's answer is never read (sendBeacon): only the subscribe form spends a Mailchimp call on it.
        lookup: kind === 'subscribe' ? deps.lookupMember : undefined,
      });
      res.status(202).json({status: result.status});
      if (!result.duplicate) deps.onAccepted();
    } catch (err) {
      next(err);
    }
  };
}
