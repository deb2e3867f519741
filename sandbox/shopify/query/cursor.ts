/**
 * Opaque pagination cursors in Shopify's own form: base64 of `{"last_id":…,"last_value":…}`, the position of the
 * last record seen in the current sort order. Seeking by value (keyset) rather than by offset keeps every page
 * O(log n) and keeps pages stable when records are added or removed between requests.
 */

export type SortValue = number | string;

export interface CursorPosition {
  id: number;
  value: SortValue;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('Invalid cursor for current pagination sort.');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({last_id: position.id, last_value: position.value}), 'utf8').toString('base64');
}

/** Reads a cursor; `valueType` is the type of the current sort's values (a cursor of another sort is invalid). */
export function decodeCursor(cursor: string, valueType: 'number' | 'string'): CursorPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) throw new InvalidCursorError();
    parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError();
  const {last_id: id, last_value: value} = parsed as {last_id?: unknown; last_value?: unknown};
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof value !== valueType) throw new InvalidCursorError();
  return {id, value: value as SortValue};
}
