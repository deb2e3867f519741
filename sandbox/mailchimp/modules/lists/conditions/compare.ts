/**
 * The comparisons segment operators make. Text comparisons ignore case, as Mailchimp's segment builder does.
 * Each negative operator is the exact complement of its positive one (`not` of `is`, `notcontain` of `contains`).
 */

export type TextOp =
  'is' | 'not' | 'contains' | 'notcontain' | 'starts' | 'ends' | 'greater' | 'less' | 'blank' | 'blank_not';

export function compareText(actual: string, op: string, expected: string): boolean {
  const a = actual.trim().toLowerCase();
  const e = expected.trim().toLowerCase();
  switch (op) {
    case 'is':
      return a === e;
    case 'not':
      return a !== e;
    case 'contains':
      return a.includes(e);
    case 'notcontain':
      return !a.includes(e);
    case 'starts':
      return a.startsWith(e);
    case 'ends':
      return a.endsWith(e);
    case 'greater':
    case 'less': {
      // Numbers compare as numbers (number merge fields), anything else alphabetically; a blank value is neither.
      if (a === '') return false;
      const an = Number(a);
      const en = Number(e);
      const order = a !== '' && e !== '' && Number.isFinite(an) && Number.isFinite(en) ? an - en : a.localeCompare(e);
      return op === 'greater' ? order > 0 : order < 0;
    }
    case 'blank':
      return a === '';
    case 'blank_not':
      return a !== '';
    default:
      return false;
  }
}

export function compareNumber(actual: number, op: string, expected: number): boolean {
  switch (op) {
    case 'is':
      return actual === expected;
    case 'not':
      return actual !== expected;
    case 'greater':
      return actual > expected;
    case 'less':
      return actual < expected;
    default:
      return false;
  }
}

/** Text operators that hold for a list of names: positive ones when any name matches, negative ones when none does. */
export function anyNameMatches(names: string[], op: string, expected: string): boolean {
  const negative: Record<string, string> = {not: 'is', notcontain: 'contains'};
  const positive = negative[op];
  if (positive) return !names.some((n) => compareText(n, positive, expected));
  return names.some((n) => compareText(n, op, expected));
}

const DAY_MS = 86_400_000;

/** The UTC day number of an instant (days since the epoch). */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function daysAgo(now: Date, days: number): number {
  return now.getTime() - days * DAY_MS;
}

/** Reads a date (`YYYY-MM-DD` or a full ISO timestamp); undefined when blank or unreadable. */
export function parseDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? `${value.trim()}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}
