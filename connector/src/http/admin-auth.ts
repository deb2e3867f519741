import {createHash, timingSafeEqual} from 'node:crypto';
import type {NextFunction, Request, Response} from 'express';
import {problem, sendProblem} from './problem.js';

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time (hashes of equal length). */
export function requireAdminToken(adminToken: string) {
  const expected = createHash('sha256').update(adminToken).digest();
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const actual = createHash('sha256').update(presented).digest();
    if (presented.length > 0 && timingSafeEqual(actual, expected)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="connector"');
    sendProblem(res, problem(401, 'unauthorized', 'Unauthorized', 'This endpoint needs Authorization: Bearer <ADMIN_TOKEN>.', {instance: req.path}));
  };
}
