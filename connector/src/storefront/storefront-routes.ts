import {createHash} from 'node:crypto';
import express, {type NextFunction, type Request, type RequestHandler, type Response, type Router} from 'express';
import {ipKeyGenerator, rateLimit} from 'express-rate-limit';
import type {Kysely} from 'kysely';
import {problem, sendProblem, type ProblemDocument} from '../http/problem.js';
import {answerAndWake} from '../ingest/intake.js';
import type {Logger} from '../logging/logger.js';
import type {Connection} from '../store/connections-repository.js';
import type {IngestConnections} from '../store/connection-cache.js';
import type {Database} from '../store/schema.js';
import {clientIp} from './client-ip.js';
import {recordStorefrontConsent} from './record-storefront-consent.js';
import {storefrontAnswer} from './storefront-answer.js';
import type {OriginPolicy} from './storefront-origins.js';
import {
  MAX_STOREFRONT_BODY_BYTES,
  parseStorefrontRequest,
  type StorefrontKind,
  type StorefrontRequest,
} from './storefront-request.js';

export interface StorefrontLimits {
  /** Requests per client IP per window, across both endpoints, preflights and refusals included. */
  perIp: number;
  /** Accepted requests per shop and address per window. */
  perEmail: number;
  windowMs: number;
}

export interface StorefrontRouteDeps {
  db: Kysely<Database>;
  /** The shop's connection: the connector passes its ConnectionCache (status and origins within its bound). */
  connections: Pick<IngestConnections, 'byShopDomain'>;
  origins: OriginPolicy;
  limits: StorefrontLimits;
  logger: Logger;
  now(): Date;
  /** Called after a new request was stored (wakes the inbox processor). */
  onAccepted(): void;
  /** How long before and after a ticked checkout box a signed order or checkout confirms it (STOREFRONT_CONSENT_CONFIRM_HOURS). */
  confirmWindowMs: number;
}

interface Locals {
  request?: StorefrontRequest;
  connection?: Connection;
  addressKey?: string;
  /** The page's origin is one some active shop allows (the pre-check); CORS headers are set. */
  originAllowed?: boolean;
}

const ENDPOINTS: Array<{path: string; kind: StorefrontKind; types: string[]}> = [
  {path: '/v1/subscribe', kind: 'subscribe', types: ['application/json']},
  // The checkbox's beacon: navigator.sendBeacon can only send a CORS-safelisted type without a preflight, so the
  // JSON arrives as text/plain.
  {path: '/v1/consent', kind: 'checkout_opt_in', types: ['application/json', 'text/plain']},
];

/**
 * One refusal for every origin or shop the request may not use: an origin no shop allows, a shop this origin does
 * not belong to, an unknown shop, a paused one. Same status, body and headers (no CORS headers), so the endpoints
 * cannot be used to find out which shops are connected.
 */
function refusal(req: Request): ProblemDocument {
  return problem(
    403,
    'origin-not-allowed',
    'Forbidden',
    "This page may not call the storefront endpoints for this shop (its origin must be one of the shop's storefront origins).",
    {instance: req.path},
  );
}

/**
 * The storefront endpoints the widget calls: `POST /v1/subscribe` and the consent beacon `POST /v1/consent`, with
 * their preflights. In order: CORS headers (origin allowed by some shop, from a cached set), rate limit per IP (every
 * request: preflights and refusals count), refusal of an origin no shop allows; then content type, size, JSON,
 * schema, shop and its origins, honeypot, rate limit per address; then the request and its evidence are stored
 * before the 202 (record-storefront-consent.ts). The answer depends on the shop and endpoint only
 * (storefront-answer.ts).
 */
export function storefrontRouter(deps: StorefrontRouteDeps): Router {
  const router = express.Router();
  const log = deps.logger;
  const tooMany =
    (scope: string): RequestHandler =>
    (req, res) => {
      log.info({path: req.path, scope}, 'storefront request rate limited');
      sendProblem(
        res,
        problem(429, 'rate-limited', 'Too Many Requests', `Too many requests from this ${scope}; try again later.`, {
          instance: req.path,
        }),
      );
    };
  const perIp = rateLimit({
    windowMs: deps.limits.windowMs,
    limit: deps.limits.perIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // A forwarded address counts only when it is an IP (client-ip.ts): made-up ones share the socket's budget.
    keyGenerator: (req) => ipKeyGenerator(clientIp(req) ?? 'unknown', 56),
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
  const cors = corsHeaders(deps.origins);
  const refuse = refuseOrigin(log);

  for (const endpoint of ENDPOINTS) {
    router.options(endpoint.path, cors, perIp, refuse, (_req, res) => {
      res.set('Access-Control-Allow-Methods', 'POST');
      res.set('Access-Control-Allow-Headers', 'Content-Type');
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
    });
    router.post(
      endpoint.path,
      cors,
      perIp,
      refuse,
      requireContentType(endpoint.types),
      express.text({type: () => true, limit: MAX_STOREFRONT_BODY_BYTES}),
      validate(endpoint.kind, deps, log),
      perAddress,
      record(endpoint.kind, deps),
    );
  }
  return router;
}

/**
 * CORS headers for an origin some active shop allows (so a 429 or 400 stays readable by the widget); nothing is
 * refused here, so that the rate limit counts every request, refused ones included.
 */
function corsHeaders(origins: OriginPolicy): RequestHandler {
  return async (req, res, next) => {
    try {
      res.vary('Origin');
      const origin = req.get('origin');
      if (origin && (await origins.allowsAny(origin, req))) {
        (res.locals as Locals).originAllowed = true;
        res.set('Access-Control-Allow-Origin', origin);
        res.set('Access-Control-Expose-Headers', 'Retry-After, RateLimit, RateLimit-Policy');
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

function refuseOrigin(log: Logger): RequestHandler {
  return (req, res, next) => {
    if ((res.locals as Locals).originAllowed) return next();
    log.info({path: req.path, origin: req.get('origin')}, 'storefront request from an origin no shop allows');
    sendProblem(res, refusal(req));
  };
}

function requireContentType(types: string[]): RequestHandler {
  return (req, res, next) => {
    if (req.is(types)) return next();
    sendProblem(
      res,
      problem(415, 'unsupported-media-type', 'Unsupported Media Type', `The body must be ${types.join(' or ')}.`, {
        instance: req.path,
      }),
    );
  };
}

function validate(kind: StorefrontKind, deps: StorefrontRouteDeps, log: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      let body: unknown;
      try {
        body = JSON.parse(typeof req.body === 'string' ? req.body : '');
      } catch {
        return sendProblem(
          res,
          problem(400, 'malformed-json', 'Bad Request', 'The body is not valid JSON.', {instance: req.path}),
        );
      }
      const parsed = parseStorefrontRequest(kind, body);
      if (!parsed.ok) {
        return sendProblem(
          res,
          problem(
            400,
            'invalid-request',
            'Invalid Request',
            'Some fields are invalid; nothing was stored. See errors[].',
            {instance: req.path, errors: parsed.errors},
          ),
        );
      }
      const request = parsed.request;
      const connection = await deps.connections.byShopDomain(request.shop);
      if (!connection || !deps.origins.allows(connection, req.get('origin') ?? '', req)) {
        // Unknown, paused, or not this page's shop: the very answer an origin no shop allows gets.
        log.info({path: req.path, origin: req.get('origin')}, 'storefront request for a shop this origin may not use');
        res.removeHeader('Access-Control-Allow-Origin');
        res.removeHeader('Access-Control-Expose-Headers');
        return sendProblem(res, refusal(req));
      }
      if (request.website !== undefined && request.website !== '') {
        // A bot filled the field people never see: it is told what a person would be told, and nothing is stored.
        log.info({path: req.path}, 'storefront honeypot filled; request dropped');
        return res.status(202).json({status: storefrontAnswer(kind, connection)});
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
        context: {
          receivedAt: deps.now().toISOString(),
          ip: clientIp(req),
          userAgent: req.get('user-agent')?.slice(0, 1000),
        },
        confirmWindowMs: deps.confirmWindowMs,
      });
      answerAndWake(res, 202, {status: result.status}, result, () => deps.onAccepted());
    } catch (err) {
      next(err);
    }
  };
}
