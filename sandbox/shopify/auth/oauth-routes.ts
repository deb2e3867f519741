import express, {type Request, type Response, type Router} from 'express';
import {signQuery, type AppAuth} from './app-auth.js';

/**
 * Shopify's authorization code grant on the shop's domain: `GET /admin/oauth/authorize` (the merchant's consent,
 * then a redirect to the app with a signed `code`) and `POST /admin/oauth/access_token` (code or refresh token for
 * tokens). Without `--api-key`/`--api-secret` every client is unknown.
 */

export interface OAuthDependencies {
  auth?: AppAuth;
  shopDomain: string;
  now: () => number;
  /** Redirect at once instead of showing the consent page (`--auto-approve`). */
  autoApprove: boolean;
}

type Params = Record<string, string>;

function stringParams(source: unknown): Params {
  const params: Params = {};
  if (!source || typeof source !== 'object') return params;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') params[key] = value[0];
    else if (typeof value === 'number') params[key] = String(value);
  }
  return params;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!);

export function oauthRouter(deps: OAuthDependencies): Router {
  const router = express.Router();

  /** The authorize request's problem, as the text of Shopify's "Oauth error" page (wording UNVERIFIED). */
  function problem(params: Params): string | undefined {
    if (!deps.auth || params.client_id !== deps.auth.app.apiKey)
      return 'Oauth error invalid_request: The client_id is invalid or unknown';
    if (!params.redirect_uri) return 'Oauth error invalid_request: The redirect_uri is missing';
    try {
      new URL(params.redirect_uri);
    } catch {
      return 'Oauth error invalid_request: The redirect_uri is not a valid URL';
    }
    return undefined;
  }

  function redirectToApp(params: Params, res: Response): void {
    const auth = deps.auth!;
    const callback: Params = {
      code: auth.issueCode(params.scope ?? ''),
      host: Buffer.from(`${deps.shopDomain}/admin`, 'utf8').toString('base64url'),
      shop: deps.shopDomain,
      ...(params.state !== undefined ? {state: params.state} : {}),
      timestamp: String(Math.floor(deps.now() / 1000)),
    };
    const url = new URL(params.redirect_uri!);
    for (const [key, value] of Object.entries(callback)) url.searchParams.set(key, value);
    url.searchParams.set('hmac', signQuery(callback, auth.app.apiSecret));
    res.redirect(302, url.toString());
  }

  function consentPage(params: Params, res: Response): void {
    const hidden = ['client_id', 'scope', 'redirect_uri', 'state', 'grant_options[]']
      .filter((key) => params[key] !== undefined)
      .map((key) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(params[key]!)}">`)
      .join('\n      ');
    const scopes = (params.scope ?? '')
      .split(',')
      .filter(Boolean)
      .map((scope) => `<li>${escapeHtml(scope.trim())}</li>`)
      .join('');
    res
      .status(200)
      .type('html')
      .send(
        `<!doctype html>
<html>
  <head><title>Install app</title></head>
  <body>
    <h1>Install app on ${escapeHtml(deps.shopDomain)}</h1>
    <p>The app asks for:</p>
    <ul>${scopes}</ul>
    <form method="post" action="/admin/oauth/authorize">
      ${hidden}
      <button type="submit" name="approve" value="1">Install</button>
    </form>
  </body>
</html>
`,
      );
  }

  const authorize = (params: Params, res: Response, approved: boolean) => {
    const message = problem(params);
    if (message) return void res.status(400).type('text/plain').send(message);
    if (approved) redirectToApp(params, res);
    else consentPage(params, res);
  };

  router.get('/admin/oauth/authorize', (req: Request, res: Response) => {
    authorize(stringParams(req.query), res, deps.autoApprove);
  });
  router.post('/admin/oauth/authorize', express.urlencoded({extended: false}), (req: Request, res: Response) => {
    authorize(stringParams(req.body), res, true);
  });

  router.post(
    '/admin/oauth/access_token',
    express.json(),
    express.urlencoded({extended: false}),
    (req: Request, res: Response) => {
      const params = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const auth = deps.auth;
      if (!auth) {
        res.status(400).json({error: 'invalid_client', error_description: 'Client authentication failed'});
        return;
      }
      const grantType = params.grant_type ?? (params.code !== undefined ? 'authorization_code' : undefined);
      const result =
        grantType === 'refresh_token'
          ? auth.refresh(params)
          : grantType === 'authorization_code'
            ? auth.exchangeCode(params)
            : // UNVERIFIED: Shopify's answer to a grant the stand-in does not model (token exchange, client credentials).
              {status: 400, error: 'unsupported_grant_type', error_description: 'The grant type is not supported'};
      if ('status' in result) {
        res.status(result.status).json({error: result.error, error_description: result.error_description});
        return;
      }
      res.status(200).json(result);
    },
  );
  return router;
}
