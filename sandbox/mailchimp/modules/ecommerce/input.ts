import {problems, type MailchimpProblem} from '../../core/problem.js';

/**
 * Typed reads of request bodies. The OpenAPI validator normally rejects missing or mistyped fields before a handler
 * runs; these readers repeat the cheap checks so that handlers never work on `undefined`, and answer with
 * Mailchimp's own schema messages ("Required fields were not provided: id", "Schema describes number, string found
 * instead" — drewm/mailchimp-api #179, ebizmarts/mailchimp-lib #12) when the validator lets something through.
 */

export type Body = Record<string, unknown>;

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

/** The JSON type name Mailchimp's validator prints (`NULL` for null). */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMismatch(path: string, expected: JsonType, value: unknown) {
  return problems.invalidResource([
    {field: path, message: `Schema describes ${expected}, ${jsonTypeOf(value)} found instead`},
  ]);
}

function fieldPath(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/** The body as an object; anything else is an Invalid Resource. */
export function bodyObject(body: unknown, path = ''): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw typeMismatch(path, 'object', body ?? null);
  return body as Body;
}

/** Mailchimp's "Required fields were not provided: a, b" problem. */
export function missingFields(keys: readonly string[], path = ''): MailchimpProblem {
  return problems.invalidResource([{field: path, message: `Required fields were not provided: ${keys.join(', ')}`}]);
}

/** Throws `missingFields` when any of `keys` is absent or null. */
export function requireFields(body: Body, keys: readonly string[], path = ''): void {
  const missing = keys.filter((k) => body[k] === undefined || body[k] === null);
  if (missing.length > 0) throw missingFields(missing, path);
}

export function optString(body: Body, key: string, path = ''): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw typeMismatch(fieldPath(path, key), 'string', value);
  return value;
}

export function optNumber(body: Body, key: string, path = ''): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw typeMismatch(fieldPath(path, key), 'number', value);
  return value;
}

export function optInteger(body: Body, key: string, path = ''): number | undefined {
  const value = optNumber(body, key, path);
  if (value !== undefined && !Number.isInteger(value)) throw typeMismatch(fieldPath(path, key), 'integer', value);
  return value;
}

export function optBoolean(body: Body, key: string, path = ''): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw typeMismatch(fieldPath(path, key), 'boolean', value);
  return value;
}

export function optObject(body: Body, key: string, path = ''): Body | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  return bodyObject(value, fieldPath(path, key));
}

export function optArray(body: Body, key: string, path = ''): unknown[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw typeMismatch(fieldPath(path, key), 'array', value);
  return value;
}

export function optStringArray(body: Body, key: string, path = ''): string[] | undefined {
  const items = optArray(body, key, path);
  items?.forEach((item, i) => {
    if (typeof item !== 'string') throw typeMismatch(itemPath(fieldPath(path, key), i), 'string', item);
  });
  return items as string[] | undefined;
}

/** Array items are addressed as Mailchimp does: `lines.item:0`. */
export function itemPath(path: string, index: number): string {
  return `${path}.item:${index}`;
}

/** Reads a required string that `requireFields` has already checked. */
export function reqString(body: Body, key: string, path = ''): string {
  const value = optString(body, key, path);
  if (value === undefined) throw missingFields([key], path);
  return value;
}

export function reqNumber(body: Body, key: string, path = ''): number {
  const value = optNumber(body, key, path);
  if (value === undefined) throw missingFields([key], path);
  return value;
}

/** Copies the keys present in `body` onto `target` (PATCH semantics): only defined values are written. */
export function assignDefined<T extends object>(target: T, values: Partial<T>): T {
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  }
  return target;
}
