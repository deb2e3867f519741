/**
 * Money as integer minor units plus an ISO 4217 currency: never floats, so cents are never lost. Shopify sends
 * decimal strings ("12.30"); Mailchimp wants decimal numbers, produced only at the edge by `toDecimal`.
 */
export interface Money {
  minor: number;
  currency: string;
}

const DIGITS = new Map<string, number>();

/** Number of minor-unit digits for a currency (JPY 0, EUR 2, KWD 3), from the platform's ICU data. */
export function currencyDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    // Building an Intl.NumberFormat costs ~60 µs, most of a mapper's time when done per amount: once per code.
    if (DIGITS.size < 1_000) DIGITS.set(currency, digits);
  }
  return digits;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string or number into minor units. Extra digits beyond the currency's precision are rounded
 * half away from zero (Shopify never sends them for prices, but computed amounts may carry them).
 */
export function parseMoney(value: string | number, currency: string): Money {
  const digits = currencyDigits(currency);
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ''] = match;
  const padded = (fraction + '0'.repeat(digits + 1)).slice(0, digits + 1);
  let minor = Number(whole) * 10 ** digits + Number(padded.slice(0, digits) || '0');
  if (Number(padded[digits] ?? '0') >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount out of range: ${JSON.stringify(value)}`);
  return {minor: sign && minor !== 0 ? -minor : minor, currency};
}

export function zero(currency: string): Money {
  return {minor: 0, currency};
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return {minor: a.minor + b.minor, currency: a.currency};
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return {minor: a.minor - b.minor, currency: a.currency};
}

export function sum(items: Money[], currency: string): Money {
  return items.reduce((acc, m) => add(acc, m), zero(currency));
}

/** The decimal number Mailchimp expects (e.g. 12.3 for 1230 minor units of USD). */
export function toDecimal(money: Money): number {
  const digits = currencyDigits(money.currency);
  return Number((money.minor / 10 ** digits).toFixed(digits));
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite amount: ${n}`);
  // toFixed(10) avoids exponent notation for small/large values; trailing zeros are harmless.
  return n.toFixed(10);
}
