import {JsonNumber, parseLossless} from './lossless-json.js';
import {Fields, idFromValue, normaliseTimestamp, PayloadError} from './payload-fields.js';

function fieldsOf(raw: string): Fields {
  const parsed = parseLossless(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return Fields.root(parsed.value);
}

function errorOf(read: () => unknown): PayloadError {
  try {
    read();
  } catch (error) {
    if (error instanceof PayloadError) return error;
    throw error;
  }
  throw new Error('expected a PayloadError');
}

describe('idFromValue', () => {
  it('reads integers, digit strings and gids; rejects everything else', () => {
    expect(idFromValue(new JsonNumber('820982911946154508'))).toBe('820982911946154508');
    expect(idFromValue('820982911946154508')).toBe('820982911946154508');
    expect(idFromValue('gid://shopify/Customer/115310627314723954')).toBe('115310627314723954');
    expect(idFromValue('gid://shopify/Customer/115310627314723954?foo=bar')).toBe('115310627314723954');
    expect(idFromValue('007')).toBe('7');
    expect(idFromValue(new JsonNumber('1.5'))).toBeUndefined();
    expect(idFromValue(new JsonNumber('-3'))).toBeUndefined();
    expect(idFromValue(new JsonNumber('1e21'))).toBeUndefined();
    expect(idFromValue('abc')).toBeUndefined();
    expect(idFromValue(true)).toBeUndefined();
    expect(idFromValue(null)).toBeUndefined();
  });
});

describe('Fields', () => {
  it('names the path of a bad field', () => {
    const fields = fieldsOf('{"line_items": [{"price": "1.00"}, {"price": "abc"}]}');
    const lines = fields.list('line_items');
    const error = errorOf(() => lines[1]?.money('price', 'USD'));
    expect(error.field).toBe('line_items[1].price');
    expect(error.message).toMatch(/not a decimal amount/);
  });

  it('treats null and absent alike for optional reads, and blank strings as absent', () => {
    const fields = fieldsOf('{"a": null, "b": "", "c": "  ", "d": "x", "zip": 40003}');
    expect(fields.optString('a')).toBeUndefined();
    expect(fields.optString('b')).toBeUndefined();
    expect(fields.optString('c')).toBeUndefined();
    expect(fields.optString('d')).toBe('x');
    expect(fields.optString('zip')).toBe('40003');
    expect(fields.optString('missing')).toBeUndefined();
    expect(fields.list('a')).toEqual([]);
  });

  it('does not read inherited properties', () => {
    const fields = fieldsOf('{}');
    expect(fields.raw('constructor')).toBeUndefined();
    expect(fields.raw('toString')).toBeUndefined();
  });

  it('reads money from strings and exact JSON numbers', () => {
    const fields = fieldsOf('{"a": "19.99", "b": 89.99, "c": "-10.00", "d": "1500", "e": true}');
    expect(fields.money('a', 'USD')).toEqual({minor: 1999, currency: 'USD'});
    expect(fields.money('b', 'USD')).toEqual({minor: 8999, currency: 'USD'});
    expect(fields.money('c', 'USD')).toEqual({minor: -1000, currency: 'USD'});
    expect(fields.money('d', 'JPY')).toEqual({minor: 1500, currency: 'JPY'});
    expect(errorOf(() => fields.money('e', 'USD')).field).toBe('e');
  });

  it('normalises timestamps to UTC and rejects non-ISO text', () => {
    const fields = fieldsOf('{"t": "2021-12-31T19:00:00-05:00", "bad": "yesterday", "n": 5}');
    expect(fields.optTimestamp('t')).toBe('2022-01-01T00:00:00.000Z');
    expect(errorOf(() => fields.optTimestamp('bad')).field).toBe('bad');
    expect(errorOf(() => fields.optTimestamp('n')).field).toBe('n');
    expect(normaliseTimestamp('2025-07-10T16:15:47.000000Z', 'meta.triggeredAt')).toBe('2025-07-10T16:15:47.000Z');
    // Forms a database may hand back: space separator, short or colon-less offsets, no offset at all (read as UTC).
    expect(normaliseTimestamp('2025-07-10 16:15:47.123+00', 'x')).toBe('2025-07-10T16:15:47.123Z');
    expect(normaliseTimestamp('2025-07-10T16:15:47+02', 'x')).toBe('2025-07-10T14:15:47.000Z');
    expect(normaliseTimestamp('2025-07-10T16:15:47-0500', 'x')).toBe('2025-07-10T21:15:47.000Z');
    expect(normaliseTimestamp('2025-07-10 16:15:47', 'x')).toBe('2025-07-10T16:15:47.000Z');
    expect(normaliseTimestamp('2025-07-10', 'x')).toBe('2025-07-10T00:00:00.000Z');
    expect(() => normaliseTimestamp('2025-13-45T99:99:99Z', 'x')).toThrow(PayloadError);
  });

  it('reads integers only when exact and safe', () => {
    const fields = fieldsOf('{"q": 2, "f": 1.5, "big": 9007199254740993, "s": "3"}');
    expect(fields.int('q')).toBe(2);
    expect(fields.int('s')).toBe(3);
    expect(errorOf(() => fields.int('f')).field).toBe('f');
    expect(errorOf(() => fields.int('big')).field).toBe('big');
  });

  it('takes the id from admin_graphql_api_id when id is absent', () => {
    expect(fieldsOf('{"admin_graphql_api_id": "gid://shopify/Order/820982911946154508"}').entityId()).toBe(
      '820982911946154508',
    );
    expect(errorOf(() => fieldsOf('{"name": "x"}').entityId()).field).toBe('id');
  });

  it('rejects a body that is not an object', () => {
    expect(errorOf(() => fieldsOf('[1, 2]')).message).toBe('body must be a JSON object, got an array');
    expect(errorOf(() => fieldsOf('"text"')).message).toMatch(/got the string/);
    expect(errorOf(() => fieldsOf('null')).message).toMatch(/got null/);
  });
});
