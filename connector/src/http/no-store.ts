import type {NextFunction, Request, Response} from 'express';

/**
 * Operator answers (everything behind the admin token, refusals included) are never stored by a browser or a proxy:
 * they carry audience data, dead letters with Mailchimp's problem documents, and the like.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}
