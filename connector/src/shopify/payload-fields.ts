import {parseMoney, type Money} from '../model/money.js';
import {isJsonObject, JsonNumber, type JsonObject, type JsonValue} from './lossless-json.js';

/** A payload that does not have the shape a mapper needs; `field` is the dotted path (`line_items[2].price`). */
export class PayloadError extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

const DIGITS = /^\d+$/;
const SIGNED_INTEGER = /^-?\d+$/;
const GID = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/;
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Milliseconds of an ISO 8601 timestamp, or NaN. The text is rewritten to the one form whose parsing the language
 * defines (`T`, an explicit `±HH:MM` offset); a time without offset is read as UTC, never as the machine's zone.
 */
function parseTimestamp(text: string): number {
  const match = ISO_TIMESTAMP.exec(text.trim());
  if (!match) return NaN;
  const [, date, time, offset] = match;
  if (time === undefined) return Date.parse(`${date}T00:00:00Z`);
  let zone = (offset ?? 'Z').toUpperCase();
  if (zone !== 'Z') zone = `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '') || '00'}`;
  return Date.parse(`${date}T${time}${zone}`);
}

/** Decimal id text from a JSON integer, a digit string or a `gid://shopify/Type/123` string. */
export function idFromValue(value: JsonValue): string | undefined {
  if (value instanceof JsonNumber) return DIGITS.test(value.text) ? stripLeadingZeros(value.text) : undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (DIGITS.test(text)) return stripLeadingZeros(text);
    return GID.exec(text)?.[1];
  }
  return undefined;
}

function stripLeadingZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

/**
 * Typed reads from one JSON object of a payload. Every read names its field path in the error it raises, so that a
 * malformed payload is reported as `{field, message}` by `mapShopifyWebhook` instead of crashing a worker.
 * `null` and an absent key are the same thing for optional reads (Shopify sends both).
 */
export class Fields {
  private constructor(
    private readonly obj: JsonObject,
    readonly path: string,
  ) {}

  static root(value: JsonValue): Fields {
    if (!isJsonObject(value)) throw new PayloadError(undefined, `body must be a JSON object, got ${describe(value)}`);
    return new Fields(value, '');
  }

  /** The path of a key of this object. */
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  raw(key: string): JsonValue | undefined {
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  /** Present and not null. */
  has(key: string): boolean {
    const value = this.raw(key);
    return value !== undefined && value !== null;
  }

  optObject(key: string): Fields | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value)) throw new PayloadError(this.at(key), `expected an object, got ${describe(value)}`);
    return new Fields(value, this.at(key));
  }

  object(key: string): Fields {
    const fields = this.optObject(key);
    if (!fields) throw new PayloadError(this.at(key), 'required object is missing');
    return fields;
  }

  /** An array of objects; absent or null is an empty list. */
  list(key: string): Fields[] {
    const value = this.raw(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new PayloadError(this.at(key), `expected an array, got ${describe(value)}`);
    return value.map((item, index) => {
      const path = `${this.at(key)}[${index}]`;
      if (!isJsonObject(item)) throw new PayloadError(path, `expected an object, got ${describe(item)}`);
      return new Fields(item, path);
    });
  }

  /** An array of scalars (ids, codes); absent or null is an empty list. */
  values(key: string): JsonValue[] {
    const value = this.raw(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new PayloadError(this.at(key), `expected an array, got ${describe(value)}`);
    return value;
  }

  /** An array of ids (`variant_ids`, `orders_to_redact`); absent or null is an empty list. */
  ids(key: string): string[] {
    return this.values(key).map((value, index) => {
      const id = idFromValue(value);
      if (id === undefined)
        throw new PayloadError(`${this.at(key)}[${index}]`, `expected an integer id, got ${describe(value)}`);
      return id;
    });
  }

  /** A non-blank string; numbers are accepted as their source text (postal codes sent as numbers). */
  optString(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (value instanceof JsonNumber) return value.text;
    if (typeof value !== 'string') throw new PayloadError(this.at(key), `expected a string, got ${describe(value)}`);
    return value.trim() === '' ? undefined : value;
  }

  string(key: string): string {
    const value = this.optString(key);
    if (value === undefined) throw new PayloadError(this.at(key), 'required string is missing or empty');
    return value;
  }

  optId(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    const id = idFromValue(value);
    if (id === undefined) throw new PayloadError(this.at(key), `expected an integer id, got ${describe(value)}`);
    return id;
  }

  id(key: string): string {
    const id = this.optId(key);
    if (id === undefined) throw new PayloadError(this.at(key), 'required id is missing');
    return id;
  }

  /** The object's own id: `id`, or the number inside `admin_graphql_api_id` when `id` is absent. */
  entityId(): string {
    const id = this.optId('id') ?? this.optId('admin_graphql_api_id');
    if (id === undefined) throw new PayloadError(this.at('id'), 'required id is missing');
    return id;
  }

  optBool(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw new PayloadError(this.at(key), `expected a boolean, got ${describe(value)}`);
    return value;
  }

  optInt(key: string): number | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value.trim() : undefined;
    const n = text !== undefined && SIGNED_INTEGER.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n)) throw new PayloadError(this.at(key), `expected an integer, got ${describe(value)}`);
    return n;
  }

  int(key: string): number {
    const n = this.optInt(key);
    if (n === undefined) throw new PayloadError(this.at(key), 'required integer is missing');
    return n;
  }

  /** A decimal amount (string, as Shopify sends money, or number) in integer minor units of `currency`. */
  optMoney(key: string, currency: string): Money | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value : undefined;
    if (text === undefined) throw new PayloadError(this.at(key), `expected a decimal amount, got ${describe(value)}`);
    try {
      return parseMoney(text, currency);
    } catch (error) {
      throw new PayloadError(this.at(key), error instanceof Error ? error.message : String(error));
    }
  }

  money(key: string, currency: string): Money {
    const money = this.optMoney(key, currency);
    if (money === undefined) throw new PayloadError(this.at(key), 'required amount is missing');
    return money;
  }

  /** `<key>.shop_money.amount` of a Shopify money set (`price_set`, `subtotal_set`). */
  optShopMoney(key: string, currency: string): Money | undefined {
    return this.optObject(key)?.optObject('shop_money')?.optMoney('amount', currency);
  }

  /** An ISO 8601 timestamp, normalised to UTC (`2022-01-01T00:00:00.000Z`) so that versions compare as strings. */
  optTimestamp(key: string): string | undefined {
    const value = this.optString(key);
    if (value === undefined) return undefined;
    const time = parseTimestamp(value);
    if (Number.isNaN(time))
      throw new PayloadError(this.at(key), `expected an ISO 8601 timestamp, got ${JSON.stringify(value)}`);
    return new Date(time).toISOString();
  }
}

/** Normalises an ISO timestamp outside a payload (`meta.triggeredAt`). */
export function normaliseTimestamp(value: string, field: string): string {
  const time = parseTimestamp(value);
  if (Number.isNaN(time)) throw new PayloadError(field, `expected an ISO 8601 timestamp, got ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof JsonNumber) return `the number ${value.text}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
