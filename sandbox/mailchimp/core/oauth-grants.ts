import {randomBytes} from 'node:crypto';

/** An OAuth client (a registered Mailchimp app) the sandbox's authorize and token endpoints accept. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

/**
 * How long an authorization code can be exchanged. Mailchimp's lifetime is UNVERIFIED; RFC 6749 §4.1.2 recommends at
 * most 10 minutes.
 */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60_000;

/** Why a code exchange failed, as an RFC 6749 §5.2 error code. */
export type TokenExchangeError = 'invalid_client' | 'invalid_grant';

/**
 * The sandbox's OAuth 2 grants: its registered clients, the authorization codes handed out (single-use, short-lived,
 * bound to client and redirect_uri) and the access tokens issued for them. Every token belongs to the sandbox's one
 * account (what the API key sees). Tokens never expire (notes/install.md) until revoked through
 * `POST /__sandbox/oauth/revoke`, which stands for the user removing the app. Grants survive `/__sandbox/reset`, like
 * the API key.
 */
export class OAuthGrants {
  private readonly clients = new Map<string, OAuthClient>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly issued = new Set<string>();
  private readonly revoked = new Set<string>();

  constructor(
    clients: readonly OAuthClient[],
    private readonly now: () => number,
  ) {
    for (const client of clients) this.clients.set(client.clientId, client);
  }

  hasClient(clientId: string): boolean {
    return this.clients.has(clientId);
  }

  /** A new authorization code for a known client, to be exchanged at the token endpoint with the same redirect_uri. */
  issueCode(clientId: string, redirectUri: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, {clientId, redirectUri, expiresAt: this.now() + AUTHORIZATION_CODE_TTL_MS});
    return code;
  }

  /**
   * Exchanges a code for a new access token. Once its client is authenticated, a code is used up by the attempt,
   * successful or not (a wrong redirect_uri burns it too).
   */
  exchange(input: {
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    code: string;
  }): {token: string} | {error: TokenExchangeError} {
    const client = this.clients.get(input.clientId);
    if (!client || client.clientSecret !== input.clientSecret) return {error: 'invalid_client'};
    const pending = this.codes.get(input.code);
    if (!pending) return {error: 'invalid_grant'};
    this.codes.delete(input.code);
    if (pending.clientId !== input.clientId || pending.redirectUri !== input.redirectUri)
      return {error: 'invalid_grant'};
    if (this.now() > pending.expiresAt) return {error: 'invalid_grant'};
    const token = randomBytes(16).toString('hex');
    this.issued.add(token);
    return {token};
  }

  /** Whether a token was issued here and not revoked. */
  isIssued(token: string): boolean {
    return this.issued.has(token) && !this.revoked.has(token);
  }

  isRevoked(token: string): boolean {
    return this.revoked.has(token);
  }

  /** Revokes a token; false when it was never issued and is not `alsoRevocable` (the account's static token). */
  revoke(token: string, alsoRevocable: (token: string) => boolean): boolean {
    if (!this.issued.has(token) && !alsoRevocable(token)) return false;
    this.revoked.add(token);
    return true;
  }
}
