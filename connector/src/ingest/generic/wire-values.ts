import {parseMoney, type Money} from '../../model/money.js';

/** The canonical form of an ISO 8601 timestamp with offset: UTC, milliseconds, `Z`. */
export function normaliseTimestamp(value: string): string {
  return new Date(value).toISOString();
}

/**
 * "12.5" (percent) → 0.125, computed as one division of two integers so that the result is the double nearest to
 * the exact decimal fraction (no accumulated float error).
 */
export function percentToFraction(percent: string): number {
  const [whole = '0', fraction = ''] = percent.split('.');
  const decimals = fraction.length;
  return Number(whole + fraction) / 10 ** (decimals + 2);
}

export function money(amount: string, currency: string): Money {
  return parseMoney(amount, currency);
}

export function text(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function timestamp(value: string | undefined): string | undefined {
  return value === undefined ? undefined : normaliseTimestamp(value);
}

/** Drops keys whose value is `undefined`, so that canonical objects (and their hashes) carry absent fields as absent. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
