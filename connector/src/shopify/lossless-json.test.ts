import fc from 'fast-check';
import {isJsonObject, JsonNumber, parseLossless} from './lossless-json.js';
import {idFromValue} from './payload-fields.js';

describe('parseLossless', () => {
  it('keeps an 18-digit id that JSON.parse rounds', () => {
    const raw = '{"id": 820982911946154508, "price": "19.99", "subtotal": 89.99}';
    expect((JSON.parse(raw) as {id: number}).id).toBe(820982911946154500); // the trap
    const parsed = parseLossless(raw);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || !isJsonObject(parsed.value)) throw new Error('not an object');
    expect(parsed.value.id).toEqual(new JsonNumber('820982911946154508'));
    expect(parsed.value.price).toBe('19.99');
    expect(parsed.value.subtotal).toEqual(new JsonNumber('89.99'));
  });

  it('reports invalid JSON instead of throwing', () => {
    for (const raw of ['', 'not json', '{"id": 1', '{"a":1} trailing', '{"a":1,"a":2}']) {
      const parsed = parseLossless(raw);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).not.toBe('');
    }
  });

  it('never turns __proto__ into a prototype', () => {
    const parsed = parseLossless('{"__proto__": {"polluted": true}, "id": 1}');
    if (!parsed.ok || !isJsonObject(parsed.value)) throw new Error('not an object');
    expect(Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('round-trips any integer digit string id exactly (property)', () => {
    const digitStrings = fc.oneof(
      fc.bigInt({min: 0n, max: 2n ** 64n - 1n}).map(String),
      fc.stringMatching(/^[1-9][0-9]{0,40}$/),
    );
    fc.assert(
      fc.property(digitStrings, (digits) => {
        const parsed = parseLossless(`{"id": ${digits}, "ids": [${digits}], "gid": "gid://shopify/Order/${digits}"}`);
        if (!parsed.ok || !isJsonObject(parsed.value)) return false;
        const ids = parsed.value.ids;
        const gid = parsed.value.gid;
        return (
          parsed.value.id instanceof JsonNumber &&
          parsed.value.id.text === digits &&
          idFromValue(parsed.value.id) === digits &&
          Array.isArray(ids) &&
          ids[0] !== undefined &&
          idFromValue(ids[0]) === digits &&
          gid !== undefined &&
          idFromValue(gid) === digits
        );
      }),
      {numRuns: 500},
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseLossless(text);
        return typeof parsed.ok === 'boolean';
      }),
    );
  });
});
