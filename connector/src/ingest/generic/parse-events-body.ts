import type {z} from 'zod';
import {NUL_MESSAGE, nulCharacterPaths} from '../../http/nul-characters.js';
import {currencyDigits} from '../../model/money.js';
import {
  MAX_EVENTS_PER_REQUEST,
  bodySchema,
  dataSchemasFor,
  eventEnvelopeSchema,
  isIngestEventType,
  isKnownCurrency,
  type ParsedIngestEvent,
} from './schemas.js';

/** One problem in a request body. `field` is a JSON-pointer-like path without the leading slash (`events/3/data/lines/0/price`); `''` is the body itself. */
export interface FieldError {
  field: string;
  message: string;
}

export type ParseEventsResult = {ok: true; events: ParsedIngestEvent[]} | {ok: false; errors: FieldError[]};

/** More problems than this are summarised in one last entry, so that a 1 MB body of garbage gets a short answer. */
export const MAX_REPORTED_ERRORS = 100;

type Path = Array<string | number>;

/**
 * Validates a `POST /v1/events` body (already JSON-parsed). Every problem is reported at once, one entry each; an
 * event whose `type` is unknown has its `data` left unchecked (there is no schema to check it against). The body is
 * all or nothing: one invalid event rejects the request. Never throws.
 */
export function parseEventsBody(body: unknown): ParseEventsResult {
  try {
    return parseBody(body);
  } catch {
    // Unreachable for JSON input; the contract is a result, never an exception (e.g. for exotic objects).
    return {ok: false, errors: [{field: '', message: 'the body could not be validated'}]};
  }
}

function parseBody(body: unknown): ParseEventsResult {
  if (!isRecord(body)) return {ok: false, errors: [{field: '', message: 'must be a JSON object {"events": [...]}'}]};

  const errors: FieldError[] = [];
  const envelope = bodySchema.safeParse(body, {error: requiredWhenMissing});
  if (!envelope.success) errors.push(...issuesToErrors(envelope.error.issues, []));
  const rawEvents = body.events;
  if (!Array.isArray(rawEvents)) return {ok: false, errors: capped(errors)};

  if (rawEvents.length === 0) errors.push({field: 'events', message: 'must contain at least 1 event'});
  if (rawEvents.length > MAX_EVENTS_PER_REQUEST) {
    errors.push({
      field: 'events',
      message: `must contain at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${rawEvents.length})`,
    });
  }

  const events: ParsedIngestEvent[] = [];
  rawEvents.forEach((raw: unknown, index) => {
    const event = parseEvent(raw, ['events', index], errors);
    if (event) events.push(event);
  });
  // NUL characters are refused in every text field and key, whatever its schema says (http/nul-characters.ts); a
  // field with one is named once, for that.
  const nul = nulCharacterPaths(body).map((path) => ({field: pointer(path), message: NUL_MESSAGE}));
  const named = new Set(nul.map((e) => e.field));
  const all = [...nul, ...errors.filter((e) => !named.has(e.field))];
  return all.length > 0 ? {ok: false, errors: capped(all)} : {ok: true, events};
}

function parseEvent(raw: unknown, path: Path, errors: FieldError[]): ParsedIngestEvent | undefined {
  const envelope = eventEnvelopeSchema.safeParse(raw, {error: requiredWhenMissing});
  if (!envelope.success) errors.push(...issuesToErrors(envelope.error.issues, path));
  // Without a known type there is no schema for `data`; a missing `data` is already reported by the envelope.
  if (!isRecord(raw) || !isIngestEventType(raw.type) || raw.data === undefined) return undefined;

  // Money precision depends on the entity's currency: choose the schemas for its number of digits.
  const currency = isRecord(raw.data) && isKnownCurrency(raw.data.currency) ? raw.data.currency : undefined;
  const schema: z.ZodType = dataSchemasFor(currency === undefined ? undefined : currencyDigits(currency))[raw.type];
  const data = schema.safeParse(raw.data, {error: requiredWhenMissing});
  if (!data.success) errors.push(...issuesToErrors(data.error.issues, [...path, 'data']));

  if (!envelope.success || !data.success) return undefined;
  // The cast pairs `type` with its `data`: TypeScript cannot correlate the two through the schema table.
  return {
    id: envelope.data.id,
    type: envelope.data.type,
    occurred_at: envelope.data.occurred_at,
    data: data.data,
  } as ParsedIngestEvent;
}

function requiredWhenMissing(issue: {code?: string; input?: unknown}): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;
}

function issuesToErrors(issues: readonly z.core.$ZodIssue[], prefix: Path): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({field: pointer([...path, key]), message: unknownFieldMessage(key)});
    } else if (issue.code === 'invalid_key') {
      errors.push({field: pointer(path), message: issue.issues[0]?.message ?? issue.message});
    } else {
      errors.push({field: pointer(path), message: issue.message});
    }
  }
  return errors;
}

function unknownFieldMessage(key: string): string {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return snake !== key ? `unknown field (field names are snake_case: did you mean "${snake}"?)` : 'unknown field';
}

/** JSON Pointer escaping (RFC 6901) of each segment, joined without the leading slash. */
function pointer(path: Path): string {
  return path.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function capped(errors: FieldError[]): FieldError[] {
  if (errors.length <= MAX_REPORTED_ERRORS) return errors;
  return [
    ...errors.slice(0, MAX_REPORTED_ERRORS),
    {field: '', message: `${errors.length - MAX_REPORTED_ERRORS} more problems not listed`},
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
