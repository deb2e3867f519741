import {createHash, timingSafeEqual} from 'node:crypto';
import type {NextFunction, Request, Response} from 'express';
import {rateLimit} from 'express-rate-limit';
import {problem, sendProblem} from './problem.js';

export interface AdminAuthOptions {
  /** Wrong tokens a client IP may present per window before it is answered 429 (default 10 a minute). */
  failuresPerWindow?: number;
  windowMs?: number;
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time (hashes of equal length).
 *
 * Guessing is rate-limited per client IP (`req.ip`: `X-Forwarded-For` counts only from a proxy on loopback): a
 * request presenting a wrong token counts, and past `failuresPerWindow` in the window its wrong tokens are answered
 * 429 problem+json with `Retry-After` instead of 401. The right token is never limited (an operator behind the same
 * address as a guesser still gets in; at 10 guesses a minute a token of 100+ bits stays out of reach), and a request
 * with no `Authorization` header is a plain 401 that does not count: it guesses nothing.
 */
export function requireAdminToken(adminToken: string, options: AdminAuthOptions = {}) {
  const expected = createHash('sha256').update(adminToken).digest();
  const windowMs = options.windowMs ?? 60_000;
  const unauthorized = (req: Request, res: Response) => {
    res.setHeader('WWW-Authenticate', 'Bearer realm="connector"');
    sendProblem(
      res,
      problem(401, 'unauthorized', 'Unauthorized', 'This endpoint needs Authorization: Bearer <ADMIN_TOKEN>.', {
        instance: req.path,
      }),
    );
  };
  const failures = rateLimit({
    windowMs,
    limit: options.failuresPerWindow ?? 10,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'admin-token-failures',
    handler: (req, res) => {
      sendProblem(
        res,
        problem(
          429,
          'rate-limited',
          'Too Many Requests',
          'Too many wrong admin tokens from this address; try again after Retry-After seconds.',
          {instance: req.path},
        ),
      );
    },
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const actual = createHash('sha256').update(presented).digest();
    if (presented.length > 0 && timingSafeEqual(actual, expected)) {
      next();
      return;
    }
    if (header === undefined) {
      unauthorized(req, res);
      return;
    }
    // Counted before the answer; over the limit the handler answers 429 and this 401 never runs.
    void failures(req, res, () => unauthorized(req, res));
  };
}
