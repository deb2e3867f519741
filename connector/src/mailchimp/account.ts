import {createHash} from 'node:crypto';
import {Secret} from './secret.js';

/**
 * One Mailchimp account the connector talks to: how to authenticate, where its API lives, and a stable id that
 * keys its rate limiter. The id is the data center plus a hash of the credential, never the credential itself.
 */
export type MailchimpCredentials =
  {readonly kind: 'apiKey'; readonly apiKey: Secret} | {readonly kind: 'oauth'; readonly accessToken: Secret};

export interface MailchimpAccount {
  readonly credentials: MailchimpCredentials;
  readonly dc: string;
  /** `https://<dc>.api.mailchimp.com/3.0`, or the override (the local sandbox). No trailing slash. */
  readonly baseUrl: string;
  /** Limiter key: `<dc>-<first 16 hex of sha256(credential)>`. Safe to log. */
  readonly id: string;
}

export interface AccountOptions {
  /** The app's MAILCHIMP_BASE_URL: replaces `https://<dc>.api.mailchimp.com/3.0`. */
  baseUrl?: string;
}

export class InvalidCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCredentialsError';
  }
}

const DATA_CENTER = /^[a-z]+[0-9]+$/;
const API_KEY = /^[0-9A-Za-z]+-([a-z]+[0-9]+)$/;

/** The data center from an API key's `-usN` suffix. The error never repeats the key. */
export function dataCenterFromApiKey(apiKey: string): string {
  const match = API_KEY.exec(apiKey);
  if (!match?.[1]) {
    throw new InvalidCredentialsError(
      'Mailchimp API key must look like <key>-<data center>, i.e. letters and digits, a dash, then the data center such as us6',
    );
  }
  return match[1];
}

export function accountFromApiKey(apiKey: string, options: AccountOptions = {}): MailchimpAccount {
  const dc = dataCenterFromApiKey(apiKey);
  return {
    credentials: {kind: 'apiKey', apiKey: new Secret(apiKey)},
    dc,
    baseUrl: resolveBaseUrl(dc, options.baseUrl),
    id: accountId(dc, apiKey),
  };
}

/** An OAuth 2 token has no data center in it: ask the metadata endpoint (oauth-metadata.ts) once and store it. */
export function accountFromAccessToken(
  accessToken: string,
  dc: string,
  options: AccountOptions = {},
): MailchimpAccount {
  if (accessToken.trim() === '') throw new InvalidCredentialsError('Mailchimp access token is empty');
  if (!DATA_CENTER.test(dc))
    throw new InvalidCredentialsError(`Mailchimp data center must look like us6, got ${JSON.stringify(dc)}`);
  return {
    credentials: {kind: 'oauth', accessToken: new Secret(accessToken)},
    dc,
    baseUrl: resolveBaseUrl(dc, options.baseUrl),
    id: accountId(dc, accessToken),
  };
}

export interface MailchimpEnv {
  MAILCHIMP_API_KEY?: string | undefined;
  MAILCHIMP_ACCESS_TOKEN?: string | undefined;
  MAILCHIMP_DC?: string | undefined;
  MAILCHIMP_BASE_URL?: string | undefined;
}

/** The account the parsed config describes, or undefined when none is configured. */
export function accountFromConfig(config: MailchimpEnv): MailchimpAccount | undefined {
  const options = config.MAILCHIMP_BASE_URL ? {baseUrl: config.MAILCHIMP_BASE_URL} : {};
  if (config.MAILCHIMP_API_KEY) return accountFromApiKey(config.MAILCHIMP_API_KEY, options);
  if (config.MAILCHIMP_ACCESS_TOKEN) {
    // The config allows a token without a dc when a base URL points at the sandbox; the dc only names the limiter then.
    return accountFromAccessToken(config.MAILCHIMP_ACCESS_TOKEN, config.MAILCHIMP_DC ?? 'local0', options);
  }
  return undefined;
}

/** The Authorization header value: Basic `anystring:<key>` for keys, Bearer for OAuth tokens. */
export function authorizationHeader(credentials: MailchimpCredentials): string {
  if (credentials.kind === 'apiKey')
    return `Basic ${Buffer.from(`anystring:${credentials.apiKey.reveal()}`).toString('base64')}`;
  return `Bearer ${credentials.accessToken.reveal()}`;
}

/** Every string that would give the credential away if it showed up in an error text. */
export function credentialForms(credentials: MailchimpCredentials): string[] {
  const header = authorizationHeader(credentials);
  const raw = credentials.kind === 'apiKey' ? credentials.apiKey.reveal() : credentials.accessToken.reveal();
  return [header, header.replace(/^\S+ /, ''), raw];
}

function resolveBaseUrl(dc: string, override: string | undefined): string {
  return (override ?? `https://${dc}.api.mailchimp.com/3.0`).replace(/\/+$/, '');
}

function accountId(dc: string, credential: string): string {
  return `${dc}-${createHash('sha256').update(credential).digest('hex').slice(0, 16)}`;
}
