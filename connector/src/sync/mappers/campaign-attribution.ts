/**
 * Campaign attribution: the Mailchimp campaign id (`mc_cid`) a buyer arrived with, parsed from the order's or
 * cart's attributes and landing site. This only parses and checks the shape; the sync engine checks that the
 * campaign exists and belongs to the connected audience before sending it, and drops it when Mailchimp says
 * otherwise (notes §9.11; a stale id must never block an order).
 *
 * Shape: Mailchimp campaign ids are 10 lower-case hexadecimal characters (spec examples `839488a60b`,
 * `355a72bfc3`; the same form appears in campaign URLs). The spec declares a plain string without a pattern, so
 * this is a deliberate filter: anything else (placeholders like `*|CAMPAIGN_UID|*`, truncated or tampered values)
 * is dropped here instead of costing a failed order call. Upper-case input is accepted and lower-cased.
 */

export const CAMPAIGN_ID_PATTERN = /^[0-9a-f]{10}$/;

/** Attribute keys that may carry the campaign id: the storefront widget writes `_mc_cid` (hidden cart attribute). */
const ATTRIBUTE_KEYS = ['mc_cid', '_mc_cid'];

export interface AttributionSource {
  landingSite?: string;
  attributes: Readonly<Record<string, string>>;
}

/** A validated campaign id, or undefined. Never throws, whatever the input. */
export function normaliseCampaignId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim().toLowerCase();
  return CAMPAIGN_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * `mc_cid` from attributes first (captured by the widget on landing, survives cross-device checkout), then from the
 * landing site's query string. `utm_*` parameters are not attribution to a campaign id and are ignored.
 */
export function extractCampaignId(source: AttributionSource): string | undefined {
  const attributes = source.attributes ?? {};
  for (const [key, value] of Object.entries(attributes)) {
    if (ATTRIBUTE_KEYS.includes(key.trim().toLowerCase())) {
      const id = normaliseCampaignId(value);
      if (id) return id;
    }
  }
  return typeof source.landingSite === 'string' ? campaignIdFromUrl(source.landingSite) : undefined;
}

/**
 * `mc_cid` from a URL or a bare path with a query (`/products/x?mc_cid=…`), as Shopify's `landing_site` is. Parsed
 * by hand: no base URL is needed and malformed escapes are skipped instead of throwing.
 */
export function campaignIdFromUrl(url: string): string | undefined {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return undefined;
  let query = url.slice(queryStart + 1);
  const hash = query.indexOf('#');
  if (hash >= 0) query = query.slice(0, hash);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = safeDecode(pair.slice(0, eq));
    if (key?.trim().toLowerCase() !== 'mc_cid') continue;
    const id = normaliseCampaignId(safeDecode(pair.slice(eq + 1)));
    if (id) return id;
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
