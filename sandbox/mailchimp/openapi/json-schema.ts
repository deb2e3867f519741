/**
 * The subset of JSON Schema (draft-07, as ajv reads it) that request validation uses. The OpenAPI description's
 * schemas are reduced to this by `schema-builder.ts`: descriptions, examples, titles and formats are dropped, and the
 * codegen's `x-oneOf` + `x-discriminator` unions become `if`/`then` branches.
 */
export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** Only ever a schema here: `false` is never emitted, because Mailchimp ignores properties it does not know. */
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
}

/** A query or path parameter: its schema (string values are checked against it) and whether it must be present. */
export interface ParameterSpec {
  schema: JsonSchema;
  required: boolean;
}

/** What validation needs to know about one operation (`"PUT /lists/{list_id}/members/{subscriber_hash}"`). */
export interface OperationSchemas {
  operationId: string;
  /** Absent when the operation takes no request body. */
  body?: JsonSchema;
  bodyRequired?: boolean;
  query: Record<string, ParameterSpec>;
  /** Path parameters; only the conformance check needs them, so the committed extract leaves them out. */
  path?: Record<string, ParameterSpec>;
}

export interface RequestSchemaSet {
  source: {file: string; title: string; version: string; sha256: string};
  /** Keyed by `"<METHOD> <path template>"`, path templates as in the description (below /3.0). */
  operations: Record<string, OperationSchemas>;
  /** Shared schemas, referenced as `#/definitions/<name>` (the description's component schemas, renamed). */
  definitions: Record<string, JsonSchema>;
}

export const DEFINITIONS_PREFIX = '#/definitions/';

export function operationKey(method: string, template: string): string {
  return `${method.toUpperCase()} ${template}`;
}
