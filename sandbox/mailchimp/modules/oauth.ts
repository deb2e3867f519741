import express, {type Request, type Response} from 'express';
import {SANDBOX_ACCOUNT} from '../core/account.js';
import {accessTokenOf, dataCenterOf, isAcceptedToken} from '../core/credentials.js';
import type {ModuleContext, SandboxModule} from '../core/module.js';

/** Where the sandbox serves what login.mailchimp.com/oauth2/metadata serves. */
export const OAUTH_METADATA_PATH = '/oauth2/metadata';
export const OAUTH_AUTHORIZE_PATH = '/oauth2/authorize';
export const OAUTH_TOKEN_PATH = '/oauth2/token';

/**
 * login.mailchimp.com's OAuth 2 endpoints (notes/install.md), served beside /3.0 as public routes (another host on
 * Mailchimp: no problem+json, no connection limit):
 *
 * - `GET /oauth2/authorize?response_type=code&client_id&redirect_uri&state`: the consent page (an Allow button), or with
 *   `oauthAutoApprove` a 302 back to redirect_uri at once, with `code` and `state`.
 * - `POST /oauth2/token` (form-encoded, `grant_type=authorization_code`): the code for `{access_token, expires_in: 0,
 *   scope: null}`. Codes are single-use, short-lived and bound to client and redirect_uri.
 * - `GET /oauth2/metadata` with `Authorization: OAuth <token>`: the token's account and data center; `api_endpoint`
 *   and `login_url` are the sandbox's own origin, so a client that builds `<api_endpoint>/3.0` reaches the sandbox.
 * - `POST /__sandbox/oauth/revoke {"token"}` (control): the user removed the app; the token gets 401 from then on.
 *
 * Tokens see the account the API key sees. Error bodies follow RFC 6749; Mailchimp's exact ones are UNVERIFIED.
 */
export const oauthModule: SandboxModule = {
  name: 'oauth',
  routes: () => [],
  publicRoutes(router, ctx) {
    router.get(OAUTH_AUTHORIZE_PATH, (req: Request, res: Response) => {
      const request = authorizeRequest(ctx, queryParams(req.query));
      if ('error' in request) {
        res.status(400).json(request.error);
        return;
      }
      if (ctx.oauthAutoApprove) {
        res.redirect(302, approvedRedirect(ctx, request));
        return;
      }
      res.type('text/html; charset=utf-8').send(consentPage(request));
    });

    router.post(OAUTH_AUTHORIZE_PATH, express.urlencoded({extended: false}), (req: Request, res: Response) => {
      const params = formParams(req.body);
      const request = authorizeRequest(ctx, params);
      if ('error' in request) {
        res.status(400).json(request.error);
        return;
      }
      if (params.decision === 'allow') {
        res.redirect(302, approvedRedirect(ctx, request));
        return;
      }
      // Deny: RFC 6749 §4.1.2.1 access_denied; what Mailchimp sends back on "Cancel" is UNVERIFIED.
      res.redirect(302, redirectWith(request.redirectUri, {error: 'access_denied', state: request.state}));
    });

    router.post(OAUTH_TOKEN_PATH, express.urlencoded({extended: false}), (req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-store');
      if (!req.is('application/x-www-form-urlencoded')) {
        res.status(400).json(oauthError('invalid_request', 'The body must be application/x-www-form-urlencoded'));
        return;
      }
      const params = formParams(req.body);
      if (params.grant_type !== 'authorization_code') {
        res.status(400).json(oauthError('unsupported_grant_type', 'grant_type must be authorization_code'));
        return;
      }
      const missing = ['client_id', 'client_secret', 'redirect_uri', 'code'].filter((name) => !params[name]);
      if (missing.length > 0) {
        res.status(400).json(oauthError('invalid_request', `Missing ${missing.join(', ')}`));
        return;
      }
      const result = ctx.oauth.exchange({
        clientId: params.client_id!,
        clientSecret: params.client_secret!,
        redirectUri: params.redirect_uri!,
        code: params.code!,
      });
      if ('error' in result) {
        const invalidClient = result.error === 'invalid_client';
        res
          .status(invalidClient ? 401 : 400)
          .json(
            oauthError(
              result.error,
              invalidClient
                ? 'Unknown client_id or wrong client_secret'
                : 'The code is unknown, used, expired or was issued for another client or redirect_uri',
            ),
          );
        return;
      }
      // The shape notes/install.md gives: tokens do not expire (expires_in 0) and carry no scopes.
      res.json({access_token: result.token, expires_in: 0, scope: null});
    });

    router.get(OAUTH_METADATA_PATH, (req: Request, res: Response) => {
      const token = oauthToken(req.headers.authorization);
      if (token === undefined || !isAcceptedToken(ctx.apiKey, ctx.oauth, token)) {
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
  controls(router, ctx) {
    /** The user removed the app from their account: the token (issued, or the standing one) stops working. */
    router.post('/oauth/revoke', (req: Request, res: Response) => {
      const token: unknown = (req.body as {token?: unknown} | undefined)?.token;
      if (typeof token !== 'string' || token === '') {
        res.status(400).json({title: 'Invalid revoke request', detail: 'Send {"token": "<access token>"}'});
        return;
      }
      if (!ctx.oauth.revoke(token, (t) => t !== ctx.apiKey && t === accessTokenOf(ctx.apiKey))) {
        res.status(404).json({title: 'Unknown token', detail: 'Not an access token of this sandbox'});
        return;
      }
      res.status(204).end();
    });
  },
};

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
}

interface OAuthErrorBody {
  error: string;
  error_description: string;
}

function oauthError(error: string, description: string): OAuthErrorBody {
  return {error, error_description: description};
}

/**
 * The checked parameters of an authorize request. Errors answer 400 rather than redirect (RFC 6749 §4.1.2.1 for an
 * unknown client or a bad redirect_uri); Mailchimp's page for them is UNVERIFIED, the sandbox answers JSON.
 */
function authorizeRequest(
  ctx: ModuleContext,
  params: Record<string, string | undefined>,
): AuthorizeRequest | {error: OAuthErrorBody} {
  if (params.response_type !== 'code') {
    return {error: oauthError('unsupported_response_type', 'response_type must be code')};
  }
  const clientId = params.client_id;
  if (!clientId || !ctx.oauth.hasClient(clientId)) {
    return {error: oauthError('invalid_client', 'Unknown client_id')};
  }
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !isHttpUrl(redirectUri)) {
    return {error: oauthError('invalid_request', 'redirect_uri must be an absolute http(s) URL')};
  }
  return {clientId, redirectUri, state: params.state};
}

function approvedRedirect(ctx: ModuleContext, request: AuthorizeRequest): string {
  const code = ctx.oauth.issueCode(request.clientId, request.redirectUri);
  return redirectWith(request.redirectUri, {code, state: request.state});
}

function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

function consentPage(request: AuthorizeRequest): string {
  const hidden = (name: string, value: string | undefined) =>
    value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize application — Mailchimp sandbox</title></head>
<body>
<h1>Allow access to ${escapeHtml(SANDBOX_ACCOUNT.accountName)}?</h1>
<p>The application <code>${escapeHtml(request.clientId)}</code> asks to use this Mailchimp account. It will be sent
back to <code>${escapeHtml(request.redirectUri)}</code>.</p>
<form method="post" action="${OAUTH_AUTHORIZE_PATH}">
${hidden('response_type', 'code')}
${hidden('client_id', request.clientId)}
${hidden('redirect_uri', request.redirectUri)}
${hidden('state', request.state)}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form>
</body></html>
`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function queryParams(query: Request['query']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') out[k] = v;
  return out;
}

function formParams(body: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * The token of `Authorization: OAuth <token>`, the scheme Mailchimp documents for the metadata endpoint. Whether it
 * also takes `Bearer` there is UNVERIFIED, so the sandbox holds clients to the documented scheme.
 */
function oauthToken(header: string | undefined): string | undefined {
  const match = /^OAuth\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
