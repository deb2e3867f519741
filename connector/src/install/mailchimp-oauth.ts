import axios from 'axios';
import type {MailchimpCredentials} from '../store/connections-repository.js';
import {fetchOAuthMetadata, type OAuthMetadata} from '../mailchimp/oauth-metadata.js';
import {scrubSecrets} from '../mailchimp/secret.js';
import {DEFAULT_USER_AGENT} from '../mailchimp/transport.js';

/**
 * Mailchimp's OAuth 2 (notes/install.md): the authorize URL, the code exchange and the token's metadata, by hand with
 * axios (`expires_in: 0` means "never expires", which generic OAuth libraries read as "expired").
 *
 * Nothing secret leaves these functions in an error: not the client secret, the code or the token.
 */
export interface MailchimpOAuthApp {
  clientId: string;
  clientSecret: string;
  /** MAILCHIMP_OAUTH_URL: `<url>/authorize`, `<url>/token`, `<url>/metadata`. */
  oauthUrl: string;
  /** `<PUBLIC_URL>/mailchimp/callback`: registered with the Mailchimp app, sent on authorize and on the exchange. */
  redirectUri: string;
  timeoutMs?: number;
}

/** A failed step of the flow, safe to log and to show (no secrets in it). */
export class MailchimpOAuthError extends Error {
  constructor(
    readonly step: 'token' | 'metadata',
    message: string,
    /** Mailchimp's HTTP status, when it answered. */
    readonly status?: number,
    /** The OAuth error code Mailchimp sent (`invalid_grant`…), when it sent one. */
    readonly oauthError?: string,
  ) {
    super(message);
    this.name = 'MailchimpOAuthError';
  }
}

/** The path of the callback under the public URL. */
export const MAILCHIMP_CALLBACK_PATH = '/mailchimp/callback';

export function mailchimpRedirectUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${MAILCHIMP_CALLBACK_PATH}`;
}

/** Where the merchant's browser is sent to approve the connector: `response_type=code`, `client_id`, `redirect_uri`, `state`. */
export function authorizeUrl(
  app: Pick<MailchimpOAuthApp, 'clientId' | 'oauthUrl' | 'redirectUri'>,
  state: string,
): string {
  const url = new URL(`${trimSlash(app.oauthUrl)}/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', app.redirectUri);
  url.searchParams.set('state', state);
  return url.toString();
}

/**
 * Exchanges an authorization code for an access token: a form-encoded POST to `<oauthUrl>/token`. Mailchimp answers
 * `{access_token, expires_in: 0, scope: null}`; the token does not expire.
 */
export async function exchangeCode(app: MailchimpOAuthApp, code: string): Promise<string> {
  const secrets = [app.clientSecret, code];
  let response;
  try {
    response = await axios.post<string>(
      `${trimSlash(app.oauthUrl)}/token`,
      new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: app.redirectUri,
        code,
      }).toString(),
      {
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'User-Agent': DEFAULT_USER_AGENT,
        },
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        timeout: app.timeoutMs ?? 10_000,
      },
    );
  } catch (error) {
    throw new MailchimpOAuthError('token', `Mailchimp's token endpoint did not answer (${networkCode(error)})`);
  }
  const body = parseJson(scrubSecrets(typeof response.data === 'string' ? response.data : '', secrets));
  const token = body?.access_token;
  if (response.status === 200 && typeof token === 'string' && token !== '') return token;
  const oauthError = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  throw new MailchimpOAuthError(
    'token',
    `Mailchimp's token endpoint answered ${response.status}${oauthError ? ` ${oauthError}` : ''}${
      description ? `: ${scrubSecrets(description, secrets)}` : response.status === 200 ? ': no access_token' : ''
    }`,
    response.status,
    oauthError,
  );
}

/** What the connector keeps of an approved token: the credentials to store and the account's name. */
export interface ConnectedAccount {
  credentials: Extract<MailchimpCredentials, {kind: 'oauth'}>;
  accountName: string;
  metadata: OAuthMetadata;
}

/**
 * Asks `<oauthUrl>/metadata` (`Authorization: OAuth <token>`, oauth-metadata.ts) for the token's data center and API
 * endpoint: the API base is `<api_endpoint>/3.0` (`https://<dc>.api.mailchimp.com/3.0` when none is given).
 */
export async function describeToken(
  app: Pick<MailchimpOAuthApp, 'oauthUrl' | 'timeoutMs'>,
  accessToken: string,
): Promise<ConnectedAccount> {
  let metadata: OAuthMetadata;
  try {
    metadata = await fetchOAuthMetadata(accessToken, {
      metadataUrl: `${trimSlash(app.oauthUrl)}/metadata`,
      timeoutMs: app.timeoutMs,
    });
  } catch (error) {
    const status =
      typeof (error as {status?: unknown}).status === 'number' ? (error as {status: number}).status : undefined;
    throw new MailchimpOAuthError(
      'metadata',
      `Mailchimp's metadata endpoint ${status !== undefined ? `answered ${status}` : 'did not answer'}`,
      status,
    );
  }
  const endpoint =
    typeof metadata.api_endpoint === 'string' && /^https?:\/\//.test(metadata.api_endpoint)
      ? trimSlash(metadata.api_endpoint)
      : `https://${metadata.dc}.api.mailchimp.com`;
  const login = metadata.login;
  const accountName =
    typeof metadata.accountname === 'string' && metadata.accountname !== ''
      ? metadata.accountname
      : typeof login?.email === 'string'
        ? login.email
        : metadata.dc;
  return {
    credentials: {kind: 'oauth', accessToken, dc: metadata.dc, baseUrl: `${endpoint}/3.0`},
    accountName,
    metadata,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function networkCode(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as {code?: unknown}).code === 'string'
    ? (error as {code: string}).code
    : 'network error';
}

/** What Mailchimp answered to `/ping` with a pasted key (and the account's name, when it gave it). */
export type ApiKeyCheck = {ok: true; accountName?: string} | {ok: false; status?: number; answer: string};

/**
 * Checks a pasted API key with `GET <baseUrl>/ping` (Basic auth) before it is stored, then asks the API root for the
 * account's name (best effort). `baseUrl` is the key's data center's API (`https://<dc>.api.mailchimp.com/3.0`)
 * unless MAILCHIMP_BASE_URL replaces it (the sandbox). The answer names what Mailchimp said (its problem title and
 * detail), never the key.
 */
export async function pingApiKey(apiKey: string, baseUrl: string, timeoutMs = 10_000): Promise<ApiKeyCheck> {
  const basic = `Basic ${Buffer.from(`anystring:${apiKey}`).toString('base64')}`;
  const secrets = [apiKey, basic.slice('Basic '.length)];
  const get = (path: string) =>
    axios.get<string>(`${trimSlash(baseUrl)}${path}`, {
      headers: {Authorization: basic, Accept: 'application/json', 'User-Agent': DEFAULT_USER_AGENT},
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      timeout: timeoutMs,
    });
  let response;
  try {
    response = await get('/ping');
  } catch (error) {
    return {ok: false, answer: `Mailchimp did not answer (${networkCode(error)})`};
  }
  const body = parseJson(scrubSecrets(typeof response.data === 'string' ? response.data : '', secrets));
  if (response.status !== 200) {
    const said = [body?.title, body?.detail].filter((s): s is string => typeof s === 'string' && s !== '').join(': ');
    return {
      ok: false,
      status: response.status,
      answer: `Mailchimp answered ${response.status}${said ? ` (${said})` : ''}`,
    };
  }
  try {
    const root = await get('/?fields=account_name');
    const name =
      root.status === 200 ? parseJson(typeof root.data === 'string' ? root.data : '')?.account_name : undefined;
    return typeof name === 'string' && name !== '' ? {ok: true, accountName: name} : {ok: true};
  } catch {
    return {ok: true};
  }
}
