import {Ajv, type AnySchemaObject, type ValidateFunction} from 'ajv';
import type {FieldError} from '../core/problem.js';
import {toFieldErrors} from './field-errors.js';
import {
  DEFINITIONS_PREFIX,
  operationKey,
  type JsonSchema,
  type OperationSchemas,
  type ParameterSpec,
  type RequestSchemaSet,
} from './json-schema.js';

const DEFINITIONS_ID = 'mailchimp-request-definitions';

export interface QueryCheckOptions {
  /** Report parameters the operation does not describe (the conformance check does; Mailchimp ignores them). */
  reportUnknown?: boolean;
  /** Report required parameters that are absent. */
  reportMissing?: boolean;
}

/**
 * Checks requests against a set of request schemas (the committed extract or one built from the full description).
 * Body validators are compiled by ajv on first use of an operation and cached; the shared definitions are added once.
 */
export class RequestChecker {
  private ajv: Ajv | undefined;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly schemas: RequestSchemaSet) {}

  operation(method: string, template: string): OperationSchemas | undefined {
    return this.schemas.operations[operationKey(method, template)];
  }

  /** Field errors of a request body; none when the operation is unknown or takes no body (Mailchimp ignores it). */
  body(method: string, template: string, body: unknown): FieldError[] {
    const key = operationKey(method, template);
    const op = this.schemas.operations[key];
    if (!op?.body) return [];
    const validate = this.validator(key, op.body);
    // No body at all reads as an empty object, so that required fields are reported as missing.
    const data = body === undefined ? {} : body;
    return validate(data) ? [] : toFieldErrors(validate.errors, data);
  }

  /** Field errors of query parameters (strings) against the operation's parameter schemas; the field is the name. */
  query(
    method: string,
    template: string,
    query: Record<string, string>,
    options: QueryCheckOptions = {},
  ): FieldError[] {
    const op = this.operation(method, template);
    if (!op) return [];
    return checkParameters(op.query, query, options);
  }

  private validator(key: string, body: JsonSchema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.compiler().compile(pointRefsAtDefinitions(body) as AnySchemaObject);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private compiler(): Ajv {
    if (!this.ajv) {
      // allErrors: report every problem at once, like Mailchimp; verbose: keep the data for "X found instead".
      // strictTypes off: the discriminator's `if` branches constrain properties without repeating `type: object`.
      this.ajv = new Ajv({allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false});
      this.ajv.addSchema({$id: DEFINITIONS_ID, definitions: this.schemas.definitions} as AnySchemaObject);
    }
    return this.ajv;
  }
}

/** An operation's body schema refers to `#/definitions/X`; compiled on its own, that must name the shared schema. */
function pointRefsAtDefinitions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(pointRefsAtDefinitions);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(DEFINITIONS_PREFIX)) out[k] = `${DEFINITIONS_ID}${v}`;
    else if (k === 'enum' || k === 'const') out[k] = v;
    else out[k] = pointRefsAtDefinitions(v);
  }
  return out;
}

/**
 * Query and path values arrive as strings; they are checked against the parameter's declared type (integer, number,
 * boolean: `true`/`false`/`1`/`0`), its enum, and for arrays (comma-separated) each item's type and enum.
 */
export function checkParameters(
  specs: Record<string, ParameterSpec>,
  values: Record<string, string>,
  options: QueryCheckOptions = {},
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(values)) {
    const spec = specs[name];
    if (!spec) {
      if (options.reportUnknown) errors.push({field: name, message: 'Parameter is not described for this operation.'});
      continue;
    }
    const schema = spec.schema;
    const items = schema.type === 'array' ? value.split(',') : [value];
    const itemSchema = schema.type === 'array' ? (schema.items ?? {}) : schema;
    for (const item of items) {
      const problem = parameterProblem(itemSchema, item);
      if (problem) {
        errors.push({field: name, message: problem});
        break;
      }
    }
  }
  if (options.reportMissing) {
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.required && values[name] === undefined)
        errors.push({field: name, message: 'Required parameter was not provided.'});
    }
  }
  return errors;
}

function parameterProblem(schema: JsonSchema, value: string): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' && !/^-?\d+$/.test(value)) return `Data presented is not a valid integer: "${value}".`;
  if (type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value))))
    return `Data presented is not a valid number: "${value}".`;
  if (type === 'boolean' && !/^(true|false|1|0)$/i.test(value))
    return `Data presented is not a valid boolean: "${value}".`;
  if (schema.enum && !schema.enum.map(String).includes(value)) {
    return `Data presented is not one of the accepted values: ${schema.enum.map(String).join(', ')}.`;
  }
  const numeric = Number(value);
  if (schema.minimum !== undefined && numeric < schema.minimum)
    return `Data presented is less than the minimum of ${schema.minimum}.`;
  if (schema.maximum !== undefined && numeric > schema.maximum)
    return `Data presented is greater than the maximum of ${schema.maximum}.`;
  return undefined;
}
