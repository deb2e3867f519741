import type {Attribution} from './attribution.js';
import type {WidgetConfig} from './config.js';

/**
 * Calls to the connector. Nothing here throws: every failure becomes an outcome the form can show, and the beacon
 * is fire-and-forget (a checkout submit never waits for it).
 */
export type Outcome = 'subscribed' | 'pending_confirmation' | 'invalid' | 'limited' | 'failed' | 'network';

export interface ConsentBody {
  shop: string;
  email: string;
  consent_text: string;
  consent_text_version?: string;
  locale: string;
  page: string;
  attribution?: Attribution;
  request_id: string;
  first_name?: string;
  website?: string;
  checked?: true;
}

const TIMEOUT_MS = 10_000;

/** What every consent call carries: the shop, the address, the text shown and where, and the attribution. */
export function consentBody(
  config: WidgetConfig,
  attribution: Attribution,
  email: string,
  text: string,
  id: string,
): ConsentBody {
  return {
    shop: config.shop,
    email,
    consent_text: text,
    ...(config.consentVersion ? {consent_text_version: config.consentVersion} : {}),
    locale: config.lang,
    page: location.origin + location.pathname,
    ...(Object.keys(attribution).length > 0 ? {attribution} : {}),
    request_id: id,
  };
}

export async function subscribe(endpoint: string, body: ConsentBody): Promise<Outcome> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`${endpoint}/v1/subscribe`, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify(body),
      signal: abort.signal,
    });
    if (response.status === 202) {
      // The same answer for every address of the shop: `subscribed` only under single opt-in, else a confirmation.
      const {status} = (await response.json()) as {status: Outcome};
      return status === 'subscribed' ? status : 'pending_confirmation';
    }
    if (response.status === 429) return 'limited';
    if (response.status === 400) {
      const problem = (await response.json().catch(() => ({}))) as {errors?: Array<{field: string}>};
      if (problem.errors?.some((e) => e.field === 'email')) return 'invalid';
    }
    return 'failed';
  } catch {
    return 'network';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The checkbox's consent, sent while the page navigates away: `sendBeacon` (text/plain, which needs no preflight),
 * else a keepalive fetch.
 */
export function beacon(endpoint: string, body: ConsentBody): void {
  const url = `${endpoint}/v1/consent`;
  const data = JSON.stringify(body);
  try {
    if (navigator.sendBeacon?.(url, data)) return;
  } catch {
    /* fall through to fetch */
  }
  fetch(url, {
    method: 'POST',
    mode: 'cors',
    credentials: 'omit',
    keepalive: true,
    headers: {'content-type': 'text/plain'},
    body: data,
  }).catch(() => undefined);
}

/** A request id per submission: a retry of the same submission is stored once. */
export function requestId(): string {
  return typeof crypto !== 'undefined' && crypto.randomUUID
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

export const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
