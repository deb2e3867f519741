import {
  DEFINITIONS_PREFIX,
  operationKey,
  type JsonSchema,
  type JsonType,
  type OperationSchemas,
  type ParameterSpec,
  type RequestSchemaSet,
} from './json-schema.js';
import {SCHEMA_OVERRIDES, type SchemaChange, type SchemaOverride} from './overrides.js';

/**
 * Turns the OpenAPI 3.0 description (swagger-codegen output, as parsed from YAML) into what request validation needs:
 * per operation the request body schema and the query/path parameters, with the component schemas they use kept once
 * under `definitions`. Pure: the caller reads the file. Used by `extract-schemas.ts` (write operations, committed as
 * request-schemas.json) and by the conformance check (every operation, straight from the full description).
 *
 * Reductions, each because validation must not be stricter than Mailchimp:
 * - only `type`, `properties`, `required`, `items`, `additionalProperties` (as a schema), `enum`, `maxLength`,
 *   `minimum`, `maximum` and the combinators are kept; `format` is dropped (Mailchimp's own parsing of dates and URLs is
 *   not documented precisely enough to imitate), as are descriptions, examples and titles;
 * - `additionalProperties: false` is never emitted (unknown properties are ignored by Mailchimp);
 * - `readOnly` properties are dropped from request schemas (the server ignores them);
 * - `nullable: true` adds `null` to the type (the 3.0.76 request schemas declare none);
 * - the codegen's `x-oneOf` + `x-discriminator` (segment conditions) become `if`/`then` branches chosen by the
 *   discriminator's value, and the discriminator is checked against the known values; an item without the
 *   discriminator is only checked to be an object;
 * - then the documented overrides (overrides.ts) are applied.
 */

export interface BuildOptions {
  /** Upper-case methods to include; default every method. */
  methods?: readonly string[];
  /** Keep path parameters (the conformance check validates them; request validation does not need them). */
  includePathParameters?: boolean;
  overrides?: readonly SchemaOverride[];
}

type Obj = Record<string, unknown>;

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const JSON_TYPES: readonly string[] = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null'];

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function componentNameOf(ref: string, components: Obj): string {
  const prefix = '#/components/schemas/';
  if (ref.startsWith(prefix)) return decodeURIComponent(ref.slice(prefix.length));
  // The codegen output has one bare name as a $ref (POST /verified-domains/{domain_name}/actions/verify).
  if (!ref.startsWith('#') && ref in components) return ref;
  throw new Error(`Unsupported $ref "${ref}" (only ${prefix}... is used by this description)`);
}

class SchemaConverter {
  readonly definitions: Record<string, JsonSchema> = {};
  private readonly converting = new Set<string>();
  private readonly safeNames = new Map<string, string>();
  private readonly unions = new Map<string, string>();

  constructor(private readonly components: Obj) {}

  /** A `$ref` to the converted component, converting it (once) on first use. */
  ref(componentName: string): JsonSchema {
    const name = this.safeName(componentName);
    if (!(name in this.definitions) && !this.converting.has(name)) {
      const raw = this.components[componentName];
      if (!isObj(raw)) throw new Error(`$ref to missing component schema "${componentName}"`);
      this.converting.add(name);
      this.definitions[name] = this.convert(raw, componentName);
      this.converting.delete(name);
    }
    return {$ref: DEFINITIONS_PREFIX + name};
  }

  convert(s: Obj, where: string): JsonSchema {
    if (typeof s.$ref === 'string') return this.ref(componentNameOf(s.$ref, this.components));
    if (Array.isArray(s['x-oneOf'])) return this.union(s, s['x-oneOf'], where);
    const out: JsonSchema = {};
    if (typeof s.type === 'string' && JSON_TYPES.includes(s.type)) {
      out.type = s.nullable === true ? [s.type as JsonType, 'null'] : (s.type as JsonType);
    }
    const readOnly = new Set<string>();
    if (isObj(s.properties)) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, prop] of Object.entries(s.properties)) {
        if (!isObj(prop)) continue;
        if (prop.readOnly === true) {
          readOnly.add(name);
          continue;
        }
        properties[name] = this.convert(prop, `${where}.${name}`);
      }
      if (Object.keys(properties).length > 0) out.properties = properties;
    }
    if (Array.isArray(s.required)) {
      const required = [...new Set(s.required.filter((r): r is string => typeof r === 'string' && !readOnly.has(r)))];
      if (required.length > 0) out.required = required;
    }
    if (isObj(s.additionalProperties)) {
      const values = this.convert(s.additionalProperties, `${where}{}`);
      if (Object.keys(values).length > 0) out.additionalProperties = values;
    }
    if (isObj(s.items)) out.items = this.convert(s.items, `${where}[]`);
    if (Array.isArray(s.enum)) out.enum = s.enum.slice();
    for (const keyword of ['maxLength', 'minimum', 'maximum'] as const) {
      const value = s[keyword];
      if (typeof value === 'number') out[keyword] = value;
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = s[keyword];
      if (Array.isArray(list))
        out[keyword] = list.filter(isObj).map((b, i) => this.convert(b, `${where}.${keyword}[${i}]`));
    }
    return out;
  }

  /** A resolved schema object (following `$ref`s), for looking into union branches. */
  resolve(s: Obj): Obj {
    let current = s;
    for (let depth = 0; typeof current.$ref === 'string'; depth++) {
      if (depth > 20) throw new Error(`$ref chain too long at ${current.$ref}`);
      const target = this.components[componentNameOf(current.$ref, this.components)];
      if (!isObj(target)) throw new Error(`$ref to missing component schema "${current.$ref}"`);
      current = target;
    }
    return current;
  }

  private union(s: Obj, branches: unknown[], where: string): JsonSchema {
    const discriminator = s['x-discriminator'];
    const tag =
      isObj(discriminator) && typeof discriminator.propertyName === 'string' ? discriminator.propertyName : undefined;
    if (!tag)
      throw new Error(`x-oneOf without x-discriminator.propertyName at ${where}: add support before relying on it`);
    const values: string[] = [];
    const allOf: JsonSchema[] = [];
    branches.filter(isObj).forEach((branch, i) => {
      const resolved = this.resolve(branch);
      const tagSchema = isObj(resolved.properties) ? resolved.properties[tag] : undefined;
      const value =
        isObj(tagSchema) && Array.isArray(tagSchema.enum) && typeof tagSchema.enum[0] === 'string'
          ? tagSchema.enum[0]
          : isObj(tagSchema) && typeof tagSchema['x-value'] === 'string'
            ? tagSchema['x-value']
            : undefined;
      if (value === undefined)
        throw new Error(`x-oneOf branch ${i} at ${where} has no single value for discriminator "${tag}"`);
      if (!values.includes(value)) values.push(value);
      allOf.push({
        if: {properties: {[tag]: {const: value}}, required: [tag]},
        then: this.convert(branch, `${where}<${value}>`),
      });
    });
    const schema: JsonSchema = {type: 'object', properties: {[tag]: {type: 'string', enum: values}}, allOf};
    const key = JSON.stringify(schema);
    let name = this.unions.get(key);
    if (!name) {
      name = `Union_by_${tag}`;
      for (let n = 2; name in this.definitions; n++) name = `Union_by_${tag}_${n}`;
      this.definitions[name] = schema;
      this.unions.set(key, name);
    }
    return {$ref: DEFINITIONS_PREFIX + name};
  }

  private safeName(componentName: string): string {
    const known = this.safeNames.get(componentName);
    if (known) return known;
    const name = componentName.replace(/[^A-Za-z0-9_]+/g, '_');
    for (const [other, taken] of this.safeNames) {
      if (taken === name)
        throw new Error(`Component schemas "${other}" and "${componentName}" map to the same name "${name}"`);
    }
    this.safeNames.set(componentName, name);
    return name;
  }
}

function convertParameter(
  converter: SchemaConverter,
  raw: Obj,
  where: string,
): {name: string; in: string; spec: ParameterSpec} | undefined {
  const param = converter.resolve(raw);
  if (typeof param.name !== 'string' || typeof param.in !== 'string') return undefined;
  const schema = isObj(param.schema) ? parameterSchema(converter, param.schema, `${where} ${param.name}`) : {};
  return {name: param.name, in: param.in, spec: {schema, required: param.required === true}};
}

/**
 * Parameter schemas are scalars or arrays of scalars; they are resolved in place (a converter without components
 * refuses deeper $refs), so that checking a query string never needs the definitions.
 */
function parameterSchema(converter: SchemaConverter, raw: Obj, where: string): JsonSchema {
  const schema = converter.resolve(raw);
  const items = isObj(schema.items) ? converter.resolve(schema.items) : undefined;
  return new SchemaConverter({}).convert(items ? {...schema, items} : schema, where);
}

/** Builds the request schemas of the description's operations (see the file comment). */
export function buildRequestSchemas(
  doc: unknown,
  file: string,
  sha256: string,
  options: BuildOptions = {},
): RequestSchemaSet {
  if (!isObj(doc) || !isObj(doc.paths)) throw new Error('Not an OpenAPI description: no "paths"');
  const components = isObj(doc.components) && isObj(doc.components.schemas) ? doc.components.schemas : {};
  const info = isObj(doc.info) ? doc.info : {};
  const converter = new SchemaConverter(components);
  const methods = options.methods?.map((m) => m.toLowerCase());
  const operations: Record<string, OperationSchemas> = {};
  const described = new Set<string>();

  for (const [template, item] of Object.entries(doc.paths)) {
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters.filter(isObj) : [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const key = operationKey(method, template);
      described.add(key);
      if (methods && !methods.includes(method)) continue;
      const entry: OperationSchemas = {
        operationId: typeof op.operationId === 'string' ? op.operationId : key,
        query: {},
      };
      const params = [...shared, ...(Array.isArray(op.parameters) ? op.parameters.filter(isObj) : [])];
      for (const raw of params) {
        const param = convertParameter(converter, raw, key);
        if (!param) continue;
        if (param.in === 'query') entry.query[param.name] = param.spec;
        else if (param.in === 'path' && options.includePathParameters) (entry.path ??= {})[param.name] = param.spec;
      }
      if (isObj(op.requestBody)) {
        if (typeof op.requestBody.$ref === 'string') throw new Error(`${key}: requestBody $ref is not supported`);
        const content = isObj(op.requestBody.content) ? op.requestBody.content : {};
        const json = content['application/json'];
        if (isObj(json) && isObj(json.schema)) {
          entry.body = converter.convert(json.schema, key);
          entry.bodyRequired = op.requestBody.required === true;
        }
      }
      operations[key] = entry;
    }
  }

  for (const override of options.overrides ?? SCHEMA_OVERRIDES) {
    if (!described.has(override.operation))
      throw new Error(`Override for ${override.operation}: no such operation in the description`);
    const entry = operations[override.operation];
    if (!entry) continue; // excluded by `methods`
    if (!entry.body) throw new Error(`Override for ${override.operation}: the operation has no request body`);
    entry.body = applyOverride(entry.body, override, converter.definitions);
  }

  return {
    source: {file, title: String(info.title ?? ''), version: String(info.version ?? ''), sha256},
    operations,
    definitions: reachableDefinitions(operations, converter.definitions),
  };
}

/** A deep copy of `node` with the `$ref` (if any) replaced by a copy of its definition, so that a change stays local. */
function materialize(node: JsonSchema, definitions: Record<string, JsonSchema>): JsonSchema {
  let current = node;
  for (let depth = 0; current.$ref; depth++) {
    const target = definitions[current.$ref.slice(DEFINITIONS_PREFIX.length)];
    if (!target || depth > 20) throw new Error(`Cannot resolve ${current.$ref}`);
    current = target;
  }
  return structuredClone(current);
}

function applyOverride(
  body: JsonSchema,
  override: SchemaOverride,
  definitions: Record<string, JsonSchema>,
): JsonSchema {
  const fail = (problem: string) =>
    new Error(`Override for ${override.operation} at "${override.at}": ${problem} (is it still needed?)`);
  const root = materialize(body, definitions);
  let target = root;
  const steps =
    override.at === ''
      ? []
      : override.at
          .replace(/\[\]/g, '.[]')
          .split('.')
          .filter((s) => s.length > 0);
  for (const step of steps) {
    if (step === '[]') {
      if (!target.items) throw fail('no array items there');
      target = target.items = materialize(target.items, definitions);
    } else {
      const child = target.properties?.[step];
      if (!child || !target.properties) throw fail(`no property "${step}"`);
      target = target.properties[step] = materialize(child, definitions);
    }
  }
  changeSchema(target, override.change, fail);
  return root;
}

function changeSchema(target: JsonSchema, change: SchemaChange, fail: (problem: string) => Error): void {
  switch (change.kind) {
    case 'notRequired': {
      const required = target.required ?? [];
      const missing = change.fields.filter((f) => !required.includes(f));
      if (missing.length > 0) throw fail(`${missing.join(', ')} not required there`);
      const rest = required.filter((f) => !change.fields.includes(f));
      if (rest.length > 0) target.required = rest;
      else delete target.required;
      return;
    }
    case 'anyValues':
      if (!target.additionalProperties) throw fail('no additionalProperties schema there');
      delete target.additionalProperties;
      return;
    case 'noMaxLength':
      if (target.maxLength === undefined) throw fail('no maxLength there');
      delete target.maxLength;
      return;
    case 'unwrapNestedArray':
      if (target.type !== 'array' || target.items?.type !== 'array' || !target.items.items)
        throw fail('not an array of arrays');
      target.items = target.items.items;
      return;
  }
}

function collectRefs(schema: unknown, into: Set<string>): void {
  if (Array.isArray(schema)) {
    for (const s of schema) collectRefs(s, into);
  } else if (isObj(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string') into.add(v.slice(DEFINITIONS_PREFIX.length));
      else if (k !== 'enum' && k !== 'const') collectRefs(v, into);
    }
  }
}

function reachableDefinitions(
  operations: Record<string, OperationSchemas>,
  definitions: Record<string, JsonSchema>,
): Record<string, JsonSchema> {
  const reached = new Set<string>();
  const queue: string[] = [];
  for (const op of Object.values(operations)) {
    const refs = new Set<string>();
    collectRefs(op.body, refs);
    queue.push(...refs);
  }
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (reached.has(name)) continue;
    reached.add(name);
    const refs = new Set<string>();
    collectRefs(definitions[name], refs);
    queue.push(...refs);
  }
  return Object.fromEntries([...reached].sort().map((name) => [name, definitions[name]!]));
}
