import {decodeCursor, encodeCursor, type SortValue} from './cursor.js';

/**
 * One page of a Relay connection over records kept sorted by (sort value, id). Cursors are found by binary search
 * and only as many records are examined as the page needs (plus one, to know whether there is a next page), so
 * paging through n records costs O(n) in total, never O(n²), whatever the filter.
 */

export interface Keyed {
  id: number;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Page<R> {
  items: R[];
  /** The cursor of `items[index]` (computed on demand: most queries never ask for cursors). */
  cursorAt(index: number): string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

function compare(aValue: SortValue, aId: number, bValue: SortValue, bId: number): number {
  if (aValue < bValue) return -1;
  if (aValue > bValue) return 1;
  return aId - bId;
}

/** First index whose (value, id) is ≥ the given one (`strict`: >). */
export function seek<R extends Keyed>(
  sorted: readonly R[],
  key: (record: R) => SortValue,
  value: SortValue,
  id: number,
  strict: boolean,
): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const record = sorted[mid]!;
    const c = compare(key(record), record.id, value, id);
    if (c < 0 || (strict && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `sorted` is ascending by (key, id); `window` limits the scan to an index range (from a range filter on the sort
 * field); `matches` is the rest of the filter.
 */
export function keysetPage<R extends Keyed>(
  sorted: readonly R[],
  key: (record: R) => SortValue,
  valueType: 'number' | 'string',
  matches: (record: R) => boolean,
  args: PageArgs,
  window: {lo: number; hi: number} = {lo: 0, hi: sorted.length},
): Page<R> {
  let lo = window.lo;
  let hi = window.hi;
  const reverse = args.reverse === true;
  const after = args.after != null ? decodeCursor(args.after, valueType) : undefined;
  const before = args.before != null ? decodeCursor(args.before, valueType) : undefined;
  // In ascending order "after" means larger; reversed it means smaller.
  if (after) {
    if (reverse) hi = Math.min(hi, seek(sorted, key, after.value, after.id, false));
    else lo = Math.max(lo, seek(sorted, key, after.value, after.id, true));
  }
  if (before) {
    if (reverse) lo = Math.max(lo, seek(sorted, key, before.value, before.id, true));
    else hi = Math.min(hi, seek(sorted, key, before.value, before.id, false));
  }

  const items: R[] = [];
  let more = false;
  const fromStart = args.first != null || args.last == null;
  const limit = args.first ?? args.last ?? 0;
  // Walk in traversal order from the start (first) or from the end (last).
  const forward = fromStart !== reverse;
  for (let i = forward ? lo : hi - 1; forward ? i < hi : i >= lo; i += forward ? 1 : -1) {
    const record = sorted[i]!;
    if (!matches(record)) continue;
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(record);
  }
  if (!fromStart) items.reverse();
  return {
    items,
    cursorAt: (index) => encodeCursor({id: items[index]!.id, value: key(items[index]!)}),
    hasNextPage: fromStart ? more : before !== undefined,
    hasPreviousPage: fromStart ? after !== undefined : more,
  };
}
