import {load, save} from './storage.js';

/**
 * Campaign attribution: `mc_cid` (campaign), `mc_eid` (recipient) and UTM parameters, captured from the landing URL
 * and kept for 30 days, so that the order placed later (maybe after browsing, maybe in another tab) is attributed.
 * Handed to the order path as hidden `attributes[_mc_cid]`… fields of the checkout form (Shopify cart forms turn
 * them into cart attributes), through `/cart/update.js` on Shopify, and with the consent calls.
 */
export type Attribution = Record<string, string>;

const KEYS = ['mc_cid', 'mc_eid', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
const STORE = 'msb:attr';
const TTL_MS = 30 * 864e5;

/** The attribution in the landing URL, if any (no storage touched: this runs while the page is still parsing). */
export function fromUrl(search: string): Attribution {
  const query = new URLSearchParams(search);
  const fresh: Attribution = {};
  for (const key of KEYS) {
    const value = query.get(key);
    if (value) fresh[key] = value.slice(0, 200);
  }
  return fresh;
}

/** Keeps a fresh attribution for 30 days, or returns the one kept from an earlier landing. */
export function remember(fresh: Attribution, now: number): Attribution {
  if (Object.keys(fresh).length > 0) {
    save(STORE, JSON.stringify({at: now, v: fresh}));
    return fresh;
  }
  try {
    const kept = JSON.parse(load(STORE) ?? 'null') as {at: number; v: Attribution} | null;
    if (kept && now - kept.at < TTL_MS && typeof kept.v === 'object') return kept.v;
  } catch {
    /* unreadable: nothing kept */
  }
  return {};
}

/** Shopify: the cart carries the attribution to the order as hidden (underscore) cart attributes. */
export function sendToShopifyCart(attribution: Attribution): void {
  const attributes: Attribution = {};
  for (const key in attribution) attributes[`_${key}`] = attribution[key]!;
  fetch('/cart/update.js', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({attributes}),
  }).catch(() => undefined);
}
