import fc from 'fast-check';
import {DEFINITIONS_PREFIX, type JsonSchema, type RequestSchemaSet} from './json-schema.js';
import {loadRequestSchemas, validateRequest} from './request-validator.js';

/**
 * Bodies generated to satisfy an operation's schema (its required fields, types, enums, limits and discriminated
 * unions, plus optional fields and unknown extra properties) must pass, for every operation in the extract.
 */

const set: RequestSchemaSet = loadRequestSchemas();

function resolve(schema: JsonSchema): JsonSchema {
  let current = schema;
  while (current.$ref) current = set.definitions[current.$ref.slice(DEFINITIONS_PREFIX.length)]!;
  return current;
}

// Names no operation declares, so that an extra property never collides with a declared one.
const extraKey = fc.stringMatching(/^x_[a-z]{1,6}$/);

function valueFor(input: JsonSchema): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const union = schema.allOf?.filter((b) => b.if && b.then);
  if (union && union.length > 0) {
    // A discriminated union (segment conditions): pick a branch and set its discriminator.
    return fc.oneof(
      ...union.map((branch) => {
        const [tag, tagSchema] = Object.entries(branch.if!.properties!)[0]!;
        return valueFor(branch.then!).map((v) => ({...(v as Record<string, unknown>), [tag]: tagSchema.const}));
      }),
    );
  }
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => valueFor({...schema, type})));
  switch (types[0]) {
    case 'object':
      return objectFor(schema);
    case 'array':
      return fc.array(valueFor(schema.items ?? {}), {maxLength: 3});
    case 'string':
      return fc.string({maxLength: schema.maxLength ?? 20});
    case 'integer':
      return fc.integer({min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000});
    case 'number':
      return fc.double({noNaN: true, noDefaultInfinity: true, min: schema.minimum, max: schema.maximum});
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({maxDepth: 2});
  }
}

function objectFor(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const declared = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, prop]) => [name, valueFor(prop)])),
    {requiredKeys: (schema.required ?? []).filter((name) => name in properties)},
  );
  const values = schema.additionalProperties ? valueFor(schema.additionalProperties) : fc.jsonValue({maxDepth: 1});
  const extra = fc.dictionary(extraKey, values, {maxKeys: 2});
  // Required names the schema does not describe (none in 3.0.76, but allowed by JSON Schema) get any value.
  const undescribed = (schema.required ?? []).filter((name) => !(name in properties));
  const forced = fc.record(Object.fromEntries(undescribed.map((name) => [name, fc.jsonValue({maxDepth: 1})])));
  return fc.tuple(declared, extra, forced).map(([d, e, f]) => ({...e, ...d, ...f}));
}

function templateOf(key: string): [string, string] {
  const space = key.indexOf(' ');
  return [key.slice(0, space), key.slice(space + 1)];
}

const withBodies = Object.entries(set.operations).filter(([, op]) => op.body);

describe('request validation (property)', () => {
  it.each(withBodies.map(([key]) => [key]))('accepts generated valid bodies for %s', (key) => {
    const [method, template] = templateOf(key);
    fc.assert(
      fc.property(valueFor(set.operations[key]!.body!), (body) => {
        expect(validateRequest(method, template, {}, body)).toEqual([]);
      }),
      {numRuns: 25},
    );
  });

  const withRequired = withBodies.filter(([, op]) => (resolve(op.body!).required ?? []).length > 0);

  it('reports a removed required field as missing on the body', () => {
    expect(withRequired.length).toBeGreaterThan(30);
    const cases = fc.constantFrom(...withRequired.map(([key]) => key)).chain((key) => {
      const schema = resolve(set.operations[key]!.body!);
      return fc.tuple(fc.constant(key), valueFor(schema), fc.constantFrom(...schema.required!));
    });
    fc.assert(
      fc.property(cases, ([key, body, field]) => {
        const [method, template] = templateOf(key);
        const broken = {...(body as Record<string, unknown>)};
        delete broken[field];
        const errors = validateRequest(method, template, {}, broken);
        const missing = errors.find(
          (e) => e.field === '' && e.message.startsWith('Required fields were not provided: '),
        );
        expect(missing?.message.slice('Required fields were not provided: '.length).split(', ')).toContain(field);
      }),
      {numRuns: 300},
    );
  });
});
