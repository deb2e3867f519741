import axios from 'axios';
import {DEFAULT_USER_AGENT} from './transport.js';
import {MailchimpError} from './mailchimp-error.js';
import {classifyFailure} from './problem-classifier.js';
import {scrubSecrets} from './secret.js';

export const OAUTH_METADATA_URL = 'https://login.mailchimp.com/oauth2/metadata';

/** What login.mailchimp.com/oauth2/metadata answers for a token (only `dc` is relied on). */
export interface OAuthMetadata {
  dc: string;
  api_endpoint?: string;
  login_url?: string;
  accountname?: string;
  role?: string;
  user_id?: number;
  /** The user who approved the token (install/mailchimp-oauth.ts shows the account by name, else by this e-mail). */
  login?: {email?: string; login_id?: number | string; login_name?: string; [key: string]: unknown};
  [key: string]: unknown;
}

export interface OAuthMetadataOptions {
  /** Overridable for tests and the sandbox. */
  metadataUrl?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Asks Mailchimp which data center an OAuth 2 access token belongs to (`Authorization: OAuth <token>`).
 * Failures are MailchimpErrors (401 → kind `auth`); the token is never in them.
 */
export async function fetchOAuthMetadata(
  accessToken: string,
  options: OAuthMetadataOptions = {},
): Promise<OAuthMetadata> {
  const route = '/oauth2/metadata';
  const fail = (facts: {status?: number; body?: unknown; networkCode?: string}) =>
    new MailchimpError({
      method: 'GET',
      route,
      status: facts.status,
      code: facts.networkCode,
      classification: classifyFailure(facts),
      attempts: 1,
    });
  let response;
  try {
    response = await axios.get<string>(options.metadataUrl ?? OAUTH_METADATA_URL, {
      headers: {Authorization: `OAuth ${accessToken}`, Accept: 'application/json', 'User-Agent': DEFAULT_USER_AGENT},
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      timeout: options.timeoutMs ?? 10_000,
      ...(options.signal ? {signal: options.signal} : {}),
    });
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && typeof (error as {code?: unknown}).code === 'string'
        ? (error as {code: string}).code
        : 'ERR_NETWORK';
    throw fail({networkCode: code});
  }
  const text = scrubSecrets(typeof response.data === 'string' ? response.data : '', [accessToken]);
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: keep the text for the error
  }
  if (response.status !== 200) throw fail({status: response.status, body});
  const dc = typeof body === 'object' && body !== null ? (body as {dc?: unknown}).dc : undefined;
  if (typeof dc !== 'string' || !/^[a-z]+[0-9]+$/.test(dc)) {
    throw fail({
      status: response.status,
      body: {title: 'Unexpected metadata', detail: 'the OAuth metadata answer has no valid "dc"'},
    });
  }
  return {...(body as Record<string, unknown>), dc};
}

export async function dataCenterForAccessToken(
  accessToken: string,
  options: OAuthMetadataOptions = {},
): Promise<string> {
  return (await fetchOAuthMetadata(accessToken, options)).dc;
}
