/**
 * How Shopify writes ids, times and money: `gid://shopify/<Type>/<id>`, ISO DateTimes without milliseconds,
 * `Decimal` amounts with at least one fraction digit ("10.0", "29.99") and `Money` strings with the currency's
 * digits ("10.00").
 */

export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

/** The numeric id of a gid of the expected type (any type when none is given), or undefined. */
export function parseGid(value: unknown, type?: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = GID.exec(value.trim());
  if (!match || (type !== undefined && match[1] !== type)) return undefined;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? id : undefined;
}

export function gidType(value: string): string | undefined {
  return GID.exec(value.trim())?.[1];
}

export function isoTime(ms: number): string {
  // Shopify's DateTime has no milliseconds.
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}

const digitsCache = new Map<string, number>();

export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

function fixed(minor: number, digits: number): string {
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : text.slice(-digits);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** `Money` scalar: "10.00" (JPY "1500"). */
export function moneyString(minor: number, currency: string): string {
  return fixed(minor, currencyDigits(currency));
}

/** `Decimal` scalar as Shopify prints it: trailing zeros dropped but one fraction digit kept ("10.0", "29.9"). */
export function decimalString(minor: number, currency: string): string {
  const text = fixed(minor, currencyDigits(currency));
  if (!text.includes('.')) return `${text}.0`;
  const trimmed = text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? `${trimmed}0` : trimmed;
}

/** Parses a `Decimal`/`Money` input ("12.5", "12") to minor units; NaN for anything else. */
export function parseAmount(value: unknown, currency: string): number {
  if (typeof value !== 'string' && typeof value !== 'number') return Number.NaN;
  const text = String(value).trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return Number.NaN;
  const digits = currencyDigits(currency);
  const fraction = ((match[2] ?? '') + '0'.repeat(digits)).slice(0, digits);
  return Number(match[1]) * 10 ** digits + Number(fraction || '0');
}

export function moneyV2(minor: number, currency: string): {amount: string; currencyCode: string} {
  return {amount: decimalString(minor, currency), currencyCode: currency};
}

export function moneyBag(
  minor: number,
  currency: string,
): {shopMoney: {amount: string; currencyCode: string}; presentmentMoney: {amount: string; currencyCode: string}} {
  const money = moneyV2(minor, currency);
  return {shopMoney: money, presentmentMoney: money};
}
