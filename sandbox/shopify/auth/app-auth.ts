import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto';

/**
 * The app's side of the shop: authorization codes and the access and refresh tokens issued for them, as Shopify's
 * authorization code grant hands them out (shopify.dev, "Authorization code grant"; expiring offline tokens since
 * 2025-12-10). Times come from the stand-in's clock, so `/__sandbox/clock` can move a token past its expiry.
 */

export interface AppCredentials {
  apiKey: string;
  apiSecret: string;
}

/** Shopify's expiring offline access tokens live 60 minutes. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** UNVERIFIED: the lifetime Shopify gives a refresh token; 90 days here. */
export const REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 3600;
/** UNVERIFIED: how long Shopify keeps an authorization code; "short-lived", 10 minutes here. */
export const CODE_TTL_SECONDS = 600;

export interface TokenGrant {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

/** The error answer of the token endpoint: `{error, error_description}` with HTTP 400. */
export interface TokenError {
  status: number;
  error: string;
  error_description: string;
}

interface CodeRecord {
  scope: string;
  expiresAt: number;
}

interface RefreshRecord {
  scope: string;
  expiresAt: number;
  /** The refresh token this one replaced: it stays usable until this one is used (Shopify, 2026-08-28). */
  previous?: string;
  revoked: boolean;
}

const token = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

/**
 * Shopify's signature of OAuth callback (and app proxy-less admin) query strings: every parameter but `hmac`,
 * sorted by key, `key=value` joined with `&`, HMAC-SHA256 with the app secret, lowercase hex.
 */
export function signQuery(params: Record<string, string>, secret: string): string {
  const message = Object.keys(params)
    .filter((key) => key !== 'hmac' && key !== 'signature')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

export function verifyQuery(params: Record<string, string>, secret: string): boolean {
  const given = Buffer.from(params.hmac ?? '', 'utf8');
  const expected = Buffer.from(signQuery(params, secret), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class AppAuth {
  private readonly codes = new Map<string, CodeRecord>();
  /** Access token → expiry (epoch ms), `null` for a non-expiring offline token. */
  private readonly accessTokens = new Map<string, number | null>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(
    readonly app: AppCredentials,
    private readonly now: () => number,
  ) {}

  issueCode(scope: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, {scope, expiresAt: this.now() + CODE_TTL_SECONDS * 1000});
    return code;
  }

  /** Whether the Admin API accepts this token now (issued here and not expired). */
  accepts(accessToken: string): boolean {
    const expiresAt = this.accessTokens.get(accessToken);
    if (expiresAt === undefined) return false;
    return expiresAt === null || this.now() < expiresAt;
  }

  private checkClient(clientId: unknown, clientSecret: unknown): TokenError | undefined {
    if (clientId !== this.app.apiKey || clientSecret !== this.app.apiSecret)
      // UNVERIFIED: Shopify's wording for a wrong client_id / client_secret.
      return {status: 400, error: 'invalid_client', error_description: 'Client authentication failed'};
    return undefined;
  }

  /** `POST /admin/oauth/access_token` with a code; `expiring` asks for a 60-minute token and a refresh token. */
  exchangeCode(params: Record<string, unknown>): TokenGrant | TokenError {
    const clientError = this.checkClient(params.client_id, params.client_secret);
    if (clientError) return clientError;
    const code = typeof params.code === 'string' ? params.code : '';
    const record = this.codes.get(code);
    // Codes are single-use: gone once tried, whatever the outcome.
    this.codes.delete(code);
    if (!record || this.now() >= record.expiresAt) {
      return {
        status: 400,
        error: 'invalid_request',
        error_description: 'The authorization code was not found or was already used',
      };
    }
    const expiring = params.expiring === 1 || params.expiring === '1' || params.expiring === true;
    return expiring ? this.issueExpiring(record.scope) : this.issueOffline(record.scope);
  }

  /**
   * `grant_type=refresh_token`: a new access token and a new refresh token. The refresh token used stays valid
   * until its replacement is used (Shopify changelog 2026-08-28, "More resilient refreshes"); from then on it is
   * refused with `invalid_grant`.
   */
  refresh(params: Record<string, unknown>): TokenGrant | TokenError {
    const clientError = this.checkClient(params.client_id, params.client_secret);
    if (clientError) return clientError;
    const used = typeof params.refresh_token === 'string' ? params.refresh_token : '';
    const record = this.refreshTokens.get(used);
    if (!record || record.revoked || this.now() >= record.expiresAt) {
      // The shape {error: "invalid_grant", error_description} is reported for Shopify by third parties (nango.dev
      // blog); the description's wording is UNVERIFIED.
      return {status: 400, error: 'invalid_grant', error_description: 'Token has been expired or revoked.'};
    }
    if (record.previous !== undefined) {
      const previous = this.refreshTokens.get(record.previous);
      if (previous) previous.revoked = true;
      record.previous = undefined;
    }
    return this.issueExpiring(record.scope, used);
  }

  private issueOffline(scope: string): TokenGrant {
    const accessToken = token('shpat_');
    this.accessTokens.set(accessToken, null);
    return {access_token: accessToken, scope};
  }

  private issueExpiring(scope: string, previous?: string): TokenGrant {
    const now = this.now();
    const accessToken = token('shpat_');
    const refreshToken = token('shprt_');
    this.accessTokens.set(accessToken, now + ACCESS_TOKEN_TTL_SECONDS * 1000);
    this.refreshTokens.set(refreshToken, {
      scope,
      expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
      previous,
      revoked: false,
    });
    return {
      access_token: accessToken,
      scope,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    };
  }
}
