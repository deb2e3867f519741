import type {Request, Response} from 'express';
import {SANDBOX_ACCOUNT} from '../core/account.js';
import {dataCenterOf, isAccountToken} from '../core/credentials.js';
import type {SandboxModule} from '../core/module.js';

/** Where the sandbox serves what login.mailchimp.com/oauth2/metadata serves. */
export const OAUTH_METADATA_PATH = '/oauth2/metadata';

/**
 * The OAuth metadata endpoint of login.mailchimp.com (notes/install.md): `GET /oauth2/metadata` with
 * `Authorization: OAuth <access token>` answers which account and data center the token belongs to. It is not part of
 * the /3.0 API (another host, no problem+json, no connection limit), hence a public route beside it.
 *
 * Accepted tokens: the sandbox's key and its access token (the key without `-dc`, see credentials.ts). `api_endpoint`
 * and `login_url` are the sandbox's own origin, so a client that builds `<api_endpoint>/3.0` reaches the sandbox.
 */
export const oauthModule: SandboxModule = {
  name: 'oauth',
  routes: () => [],
  publicRoutes(router, ctx) {
    router.get(OAUTH_METADATA_PATH, (req: Request, res: Response) => {
      const token = oauthToken(req.headers.authorization);
      if (token === undefined || !isAccountToken(ctx.apiKey, token)) {
        // The OAuth 2 error shape (RFC 6750 "invalid_token"); Mailchimp's exact body for a bad token is UNVERIFIED.
        res.status(401).json({error: 'invalid_token'});
        return;
      }
      res.json({
        dc: dataCenterOf(ctx.apiKey),
        role: SANDBOX_ACCOUNT.role,
        accountname: SANDBOX_ACCOUNT.accountName,
        user_id: SANDBOX_ACCOUNT.userId,
        login: {
          email: SANDBOX_ACCOUNT.email,
          avatar: null,
          login_id: SANDBOX_ACCOUNT.loginId,
          login_name: SANDBOX_ACCOUNT.username,
          login_email: SANDBOX_ACCOUNT.email,
        },
        login_url: ctx.origin(),
        api_endpoint: ctx.origin(),
      });
    });
  },
};

/**
 * The token of `Authorization: OAuth <token>`, the scheme Mailchimp documents for this endpoint. Whether it also takes
 * `Bearer` there is UNVERIFIED, so the sandbox holds clients to the documented scheme.
 */
function oauthToken(header: string | undefined): string | undefined {
  const match = /^OAuth\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
