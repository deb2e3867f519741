import {problems, type FieldError} from '../../core/problem.js';

/**
 * Small readers for JSON request bodies and query strings. The OpenAPI validator checks shapes before handlers run;
 * these repeat the checks a handler depends on, with Mailchimp's messages, so that handlers stay correct without it.
 */

export type Body = Record<string, unknown>;

export function bodyObject(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw problems.invalidResource([
      {field: '', message: `Schema describes object, ${Array.isArray(body) ? 'array' : typeof body} found instead`},
    ]);
  }
  return body as Body;
}

/** Mailchimp's answer to missing required fields: one error with an empty field name listing them. */
export function requireFields(body: Body, fields: string[]): void {
  const missing = fields.filter((f) => body[f] === undefined || body[f] === null);
  if (missing.length > 0)
    throw problems.invalidResource([{field: '', message: `Required fields were not provided: ${missing.join(', ')}`}]);
}

export function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw typeError(field, 'string', value);
  return value;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw typeError(field, 'boolean', value);
  return value;
}

export function optionalObject(body: Body, field: string): Body | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeError(field, 'object', value);
  return value as Body;
}

export function optionalStringArray(body: Body, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw typeError(field, 'array of strings', value);
  return value as string[];
}

export function oneOf<T extends string>(body: Body, field: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw problems.invalidResource([{field, message: `Value must be one of: ${allowed.join(', ')} (not '${value}')`}]);
  }
  return value as T;
}

function typeError(field: string, expected: string, value: unknown): ReturnType<typeof problems.invalidResource> {
  const found = Array.isArray(value) ? 'array' : typeof value;
  const error: FieldError = {field, message: `Schema describes ${expected}, ${found} found instead`};
  return problems.invalidResource([error]);
}

/** `?flag=true` (Mailchimp's boolean query parameters). */
export function queryFlag(query: Record<string, string>, name: string): boolean {
  return query[name] === 'true' || query[name] === '1';
}
