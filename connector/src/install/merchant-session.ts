import type {NextFunction, Request, Response} from 'express';
import {problem, sendProblem} from '../http/problem.js';
import type {SignedCookies} from './signed-cookie.js';

/** The merchant's session: which shop the browser may see and change (set by the Shopify install callback). */
export interface MerchantSession {
  shop: string;
  connectionId: string;
}

export const SESSION_COOKIE = 'msb_session';

export interface MerchantSessionOptions {
  cookies: SignedCookies;
  /** Session lifetime (SESSION_MINUTES). */
  maxAgeSeconds: number;
  secure: boolean;
}

/**
 * Sessions bound to one shop: a signed, httpOnly, SameSite=Lax cookie that expires after SESSION_MINUTES;
 * entering again through `/shopify/install` renews it. SameSite=Lax keeps the cookie off cross-site POSTs, and
 * the JSON API accepts only `application/json` bodies (a cross-site form cannot send one without a CORS preflight),
 * which together stand in for a CSRF token.
 */
export class MerchantSessions {
  constructor(private readonly options: MerchantSessionOptions) {}

  start(res: Response, session: MerchantSession): void {
    this.options.cookies.set(res, SESSION_COOKIE, session, {
      maxAgeSeconds: this.options.maxAgeSeconds,
      secure: this.options.secure,
    });
  }

  end(res: Response): void {
    this.options.cookies.clear(res, SESSION_COOKIE, {secure: this.options.secure});
  }

  read(req: Request): MerchantSession | undefined {
    const payload = this.options.cookies.read<Partial<MerchantSession>>(req, SESSION_COOKIE);
    return typeof payload?.shop === 'string' && typeof payload.connectionId === 'string'
      ? {shop: payload.shop, connectionId: payload.connectionId}
      : undefined;
  }

  /** Express guard for the merchant JSON API: 401 problem+json without a live session; the session in res.locals. */
  requireSession() {
    return (req: Request, res: Response, next: NextFunction) => {
      const session = this.read(req);
      if (!session) {
        sendProblem(
          res,
          problem(401, 'no-session', 'Unauthorized', 'No merchant session: open the app from your Shopify admin.', {
            instance: req.originalUrl.split('?')[0],
          }),
        );
        return;
      }
      res.locals.merchant = session;
      next();
    };
  }
}

/** The session a requireSession() guard found. */
export function merchantOf(res: Response): MerchantSession {
  return res.locals.merchant as MerchantSession;
}
