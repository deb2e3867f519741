/**
 * The credentials of the sandbox's one account. Mailchimp API keys end in their data center (`…-us6`, Fundamentals
 * page); OAuth access tokens carry none, the OAuth metadata endpoint tells it. Besides the tokens its OAuth flow issues
 * (oauth-grants.ts), the sandbox takes its key without the `-dc` suffix as a standing access token of its account, so a
 * connector set up for OAuth (MAILCHIMP_ACCESS_TOKEN) can run against it without going through the flow.
 */
import type {OAuthGrants} from './oauth-grants.js';

const DC_SUFFIX = /-([a-z]+[0-9]+)$/;

/** The data center a key names; `us1` for a key without the suffix (the sandbox accepts any key it is given). */
export function dataCenterOf(apiKey: string): string {
  return DC_SUFFIX.exec(apiKey)?.[1] ?? 'us1';
}

/** The access token the sandbox accepts besides its key: the key without its `-dc` suffix. */
export function accessTokenOf(apiKey: string): string {
  return apiKey.replace(DC_SUFFIX, '');
}

/** Whether a token sent as `Bearer`/`OAuth` is this account's: its key, or the access token derived from it. */
export function isAccountToken(apiKey: string, presented: string): boolean {
  return presented === apiKey || presented === accessTokenOf(apiKey);
}

/**
 * Whether a token sent as `Bearer`/`OAuth` is accepted: the key itself, a token the OAuth flow issued, or the
 * standing access token; the last two until revoked.
 */
export function isAcceptedToken(apiKey: string, grants: OAuthGrants, presented: string): boolean {
  if (presented === apiKey) return true;
  if (grants.isIssued(presented)) return true;
  return isAccountToken(apiKey, presented) && !grants.isRevoked(presented);
}
