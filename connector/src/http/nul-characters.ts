/**
 * NUL characters (U+0000) in request text: Postgres cannot store them in a text column, logs and terminals cut
 * strings at them, and no person types one. Every text field of the storefront requests and the generic ingest is
 * refused when it holds one, by this one walk over the parsed JSON (values and object keys alike), so a field a
 * schema forgets is covered too.
 */

export const NUL_MESSAGE = 'must not contain NUL characters (U+0000)';

/** The paths (JSON segments) of every string value or object key holding a NUL character, in document order. */
export function nulCharacterPaths(
  value: unknown,
  path: Array<string | number> = [],
  found: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulCharacterPaths(item, [...path, index], found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push([...path, key]);
      else nulCharacterPaths(item, [...path, key], found);
    }
  }
  return found;
}
