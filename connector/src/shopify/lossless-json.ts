import {parse} from 'lossless-json';

/**
 * Raw webhook bodies parsed without losing digits. Shopify ids are 64-bit integers and the sample payloads use
 * 18-digit ids that `JSON.parse` silently rounds (820982911946154508 → 820982911946154500). Every JSON number is
 * therefore kept as its exact source text in a `JsonNumber`; the field readers turn ids into decimal strings and
 * amounts into integer minor units from that text, never through a float.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type LosslessParseResult = {ok: true; value: JsonValue} | {ok: false; message: string};

/** Parses JSON text; never throws. Keys such as `__proto__` become own properties, never prototypes. */
export function parseLossless(text: string): LosslessParseResult {
  try {
    // The library types its result as `unknown`; with this number parser every value is a JsonValue.
    const value = parse(text, null, (digits: string) => new JsonNumber(digits)) as JsonValue;
    return {ok: true, value};
  } catch (error) {
    return {ok: false, message: error instanceof Error ? error.message : String(error)};
  }
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
