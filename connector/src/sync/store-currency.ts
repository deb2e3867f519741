import type {Connection, ConnectionCurrency, ShopCurrencySource} from '../store/connections-repository.js';

/**
 * Which currency is which (issue #11, "the store's currency is the shop's currency"):
 * - the **shop's** currency: what the shop sells in, from Shopify's Admin API (`shop { currencyCode }`) or from the
 *   first order (or, for the generic ingest, product) payload that states it;
 * - **STORE_CURRENCY**: an explicit override of the Mailchimp store's currency (a mismatch with the shop's is
 *   warned about once and shown in `/v1/sync/status`);
 * - the **Mailchimp store's** currency: the override, else the shop's. A store that has the wrong one is corrected
 *   only while it holds no orders (Mailchimp does not convert amounts: orders already there keep the currency they
 *   were sent with, and the store's reports would mix them).
 */

/** Mailchimp's own default, used only when nothing says what the shop sells in. */
export const FALLBACK_CURRENCY = 'USD';

/** The currency the Mailchimp store should have, when it is known: STORE_CURRENCY, else the shop's. */
export function wantedStoreCurrency(currency: ConnectionCurrency): string | undefined {
  return currency.configured ?? currency.shop;
}

/** The store currency for store-level figures (reports, promo amounts): wanted, else what Mailchimp has, else USD. */
export function storeCurrencyOf(connection: Pick<Connection, 'currency'>): string {
  return wantedStoreCurrency(connection.currency) ?? connection.currency.mailchimp ?? FALLBACK_CURRENCY;
}

/**
 * The currency the shop's own amounts are in (Shopify product payloads carry prices without one): the shop's, else
 * STORE_CURRENCY, else what the Mailchimp store has, else USD.
 */
export function shopMoneyCurrencyOf(connection: Pick<Connection, 'currency'>): string {
  const {shop, configured, mailchimp} = connection.currency;
  return shop ?? configured ?? mailchimp ?? FALLBACK_CURRENCY;
}

/** STORE_CURRENCY set and different from the shop's currency. */
export function overridesShopCurrency(currency: ConnectionCurrency): boolean {
  return currency.configured !== undefined && currency.shop !== undefined && currency.configured !== currency.shop;
}

export function keptCurrencyNote(mailchimp: string, wanted: string, orders: number): string {
  return (
    `The Mailchimp store's currency stays ${mailchimp}, not ${wanted}: it already holds ${orders} order${orders === 1 ? '' : 's'}, ` +
    `and Mailchimp does not convert amounts, so changing it now would mix currencies in its reports. ` +
    `To use ${wanted}, delete the Mailchimp store and run a backfill (or set STORE_CURRENCY=${mailchimp} to accept it).`
  );
}

export function fallbackCurrencyNote(currency: string, waitedSeconds: number): string {
  return (
    `The Mailchimp store was created in ${currency} because the shop's currency was not known after ${waitedSeconds} s ` +
    `(no Admin API answer, no order yet); the first order that states the shop's currency corrects it while the store holds no orders.`
  );
}

/** The `store.currency` object of `/v1/sync/status`. */
export interface StoreCurrencyStatus {
  /** STORE_CURRENCY, if set. */
  configured: string | null;
  /** The shop's currency, once known, and how it was learned. */
  shop: string | null;
  shopSource: ShopCurrencySource | null;
  /** The Mailchimp store's currency as last read or written (null before the store exists). */
  mailchimp: string | null;
  /** The shop's currency is known and STORE_CURRENCY or the Mailchimp store says another one. */
  mismatch: boolean;
  note: string | null;
}

export function storeCurrencyStatus(currency: ConnectionCurrency): StoreCurrencyStatus {
  const {configured, shop, mailchimp} = currency;
  const mismatch =
    shop !== undefined &&
    ((configured !== undefined && configured !== shop) || (mailchimp !== undefined && mailchimp !== shop));
  const notes: string[] = [];
  if (overridesShopCurrency(currency)) {
    notes.push(
      `STORE_CURRENCY=${configured} overrides the shop's currency ${shop}: Mailchimp reports the shop's ${shop} amounts as ${configured}.`,
    );
  }
  if (currency.note) notes.push(currency.note);
  if (shop === undefined && configured === undefined) {
    notes.push(
      "The shop's currency is not known yet: it comes from the Admin API (SHOPIFY_ACCESS_TOKEN) or the first order.",
    );
  }
  return {
    configured: configured ?? null,
    shop: shop ?? null,
    shopSource: currency.shopSource ?? null,
    mailchimp: mailchimp ?? null,
    mismatch,
    note: notes.length > 0 ? notes.join(' ') : null,
  };
}
