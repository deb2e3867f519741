import {buildRequestSchemas} from './schema-builder.js';
import {RequestChecker} from './request-checker.js';
import type {SchemaOverride} from './overrides.js';

/** A miniature description in the codegen's style: spaces in component names, x-oneOf unions, a bare-name $ref. */
const doc = {
  openapi: '3.0.1',
  info: {title: 'Mini', version: '1.0'},
  paths: {
    '/things/{thing_id}': {
      put: {
        operationId: 'putThing',
        parameters: [
          {name: 'thing_id', in: 'path', required: true, schema: {type: 'string'}},
          {name: 'dry_run', in: 'query', schema: {type: 'boolean'}},
          {name: 'fields', in: 'query', schema: {type: 'array', items: {type: 'string'}}},
        ],
        requestBody: {required: true, content: {'application/json': {schema: {$ref: '#/components/schemas/A Thing'}}}},
      },
      get: {
        operationId: 'getThing',
        parameters: [{name: 'count', in: 'query', schema: {type: 'integer', maximum: 1000}}],
      },
    },
    '/parts': {
      post: {requestBody: {content: {'application/json': {schema: {$ref: '#/components/schemas/Part'}}}}},
    },
    '/verify': {
      post: {requestBody: {content: {'application/json': {schema: {$ref: 'Bare Name'}}}}},
    },
  },
  components: {
    schemas: {
      'A Thing': {
        title: 'A Thing',
        type: 'object',
        required: ['name', 'id'],
        additionalProperties: false,
        properties: {
          id: {type: 'string', readOnly: true, description: 'set by the server'},
          name: {type: 'string', format: 'uri', example: 'x'},
          note: {type: 'string', nullable: true},
          parts: {type: 'array', items: {$ref: '#/components/schemas/Part'}},
          rules: {
            type: 'array',
            items: {
              type: 'object',
              'x-oneOf': [
                {
                  type: 'object',
                  required: ['value'],
                  properties: {kind: {type: 'string', enum: ['Size'], 'x-value': 'Size'}, value: {type: 'integer'}},
                },
                {
                  type: 'object',
                  properties: {kind: {type: 'string', enum: ['Color']}, value: {type: 'string', enum: ['red', 'blue']}},
                },
              ],
              'x-discriminator': {propertyName: 'kind'},
            },
          },
        },
      },
      Part: {type: 'object', required: ['sku'], properties: {sku: {type: 'string', maxLength: 5}}},
      'Bare Name': {type: 'object', required: ['code'], properties: {code: {type: 'string'}}},
      Unused: {type: 'object'},
    },
  },
};

describe('buildRequestSchemas', () => {
  const set = buildRequestSchemas(doc, 'mini.yaml', 'abc', {includePathParameters: true, overrides: []});
  const checker = new RequestChecker(set);

  it('keeps what validation needs and nothing else', () => {
    expect(set.source).toEqual({file: 'mini.yaml', title: 'Mini', version: '1.0', sha256: 'abc'});
    expect(set.operations['PUT /things/{thing_id}']).toMatchObject({
      operationId: 'putThing',
      body: {$ref: '#/definitions/A_Thing'},
      bodyRequired: true,
      query: {
        dry_run: {schema: {type: 'boolean'}, required: false},
        fields: {schema: {type: 'array', items: {type: 'string'}}, required: false},
      },
      path: {thing_id: {schema: {type: 'string'}, required: true}},
    });
    const thing = set.definitions.A_Thing!;
    // readOnly `id` is gone (also from `required`), `additionalProperties: false` is not kept, format/example dropped.
    expect(thing.required).toEqual(['name']);
    expect(thing.additionalProperties).toBeUndefined();
    expect(thing.properties?.name).toEqual({type: 'string'});
    expect(thing.properties?.note).toEqual({type: ['string', 'null']});
    expect(Object.keys(set.definitions).sort()).toEqual(['A_Thing', 'Bare_Name', 'Part', 'Union_by_kind']);
  });

  it('reads a bare component name as a $ref (a codegen slip in the real description)', () => {
    expect(set.operations['POST /verify']!.body).toEqual({$ref: '#/definitions/Bare_Name'});
    expect(checker.body('POST', '/verify', {})).toEqual([
      {field: '', message: 'Required fields were not provided: code'},
    ]);
  });

  it('validates x-oneOf items by their discriminator and accepts unknown properties', () => {
    expect(
      checker.body('PUT', '/things/{thing_id}', {
        name: 'n',
        extra: 1,
        rules: [{kind: 'Size', value: 3}, {kind: 'Color', value: 'red'}, {other: true}],
      }),
    ).toEqual([]);
    expect(
      checker.body('PUT', '/things/{thing_id}', {
        name: 'n',
        note: null,
        rules: [{kind: 'Size'}, {kind: 'Color', value: 'green'}, {kind: 'Shape'}],
      }),
    ).toEqual([
      {field: 'rules.item:0', message: 'Required fields were not provided: value'},
      {field: 'rules.item:1.value', message: 'Data presented is not one of the accepted values: red, blue.'},
      {field: 'rules.item:2.kind', message: 'Data presented is not one of the accepted values: Size, Color.'},
    ]);
    expect(checker.body('PUT', '/things/{thing_id}', {name: 'n', parts: [{sku: 'toolong'}]})).toEqual([
      {field: 'parts.item:0.sku', message: 'Data presented is longer than the maximum of 5 characters.'},
    ]);
  });

  it('checks query parameters given as strings', () => {
    expect(checker.query('GET', '/things/{thing_id}', {count: '10'})).toEqual([]);
    expect(checker.query('GET', '/things/{thing_id}', {count: 'ten'})).toEqual([
      {field: 'count', message: 'Data presented is not a valid integer: "ten".'},
    ]);
    expect(checker.query('GET', '/things/{thing_id}', {count: '5000'})).toEqual([
      {field: 'count', message: 'Data presented is greater than the maximum of 1000.'},
    ]);
    expect(checker.query('PUT', '/things/{thing_id}', {dry_run: 'TRUE', fields: 'a,b', typo: '1'})).toEqual([]);
    expect(checker.query('PUT', '/things/{thing_id}', {typo: '1'}, {reportUnknown: true})).toEqual([
      {field: 'typo', message: 'Parameter is not described for this operation.'},
    ]);
  });

  it('filters by method', () => {
    const writes = buildRequestSchemas(doc, 'mini.yaml', 'abc', {methods: ['PUT', 'POST'], overrides: []});
    expect(Object.keys(writes.operations)).toEqual(['PUT /things/{thing_id}', 'POST /parts', 'POST /verify']);
    expect(writes.operations['PUT /things/{thing_id}']!.path).toBeUndefined();
  });

  describe('overrides', () => {
    const build = (...overrides: SchemaOverride[]) => buildRequestSchemas(doc, 'mini.yaml', 'abc', {overrides});

    it('apply to a copy of a shared definition, so other operations keep the original', () => {
      const relaxed = build({
        operation: 'PUT /things/{thing_id}',
        at: 'parts[]',
        change: {kind: 'notRequired', fields: ['sku']},
        why: 'test',
      });
      const body = relaxed.operations['PUT /things/{thing_id}']!.body!;
      expect(body.$ref).toBeUndefined();
      expect(body.properties?.parts?.items).toEqual({
        type: 'object',
        properties: {sku: {type: 'string', maxLength: 5}},
      });
      expect(relaxed.definitions.Part).toEqual({
        type: 'object',
        required: ['sku'],
        properties: {sku: {type: 'string', maxLength: 5}},
      });
      expect(new RequestChecker(relaxed).body('PUT', '/things/{thing_id}', {name: 'n', parts: [{}]})).toEqual([]);
      expect(new RequestChecker(relaxed).body('POST', '/parts', {})).toEqual([
        {field: '', message: 'Required fields were not provided: sku'},
      ]);
    });

    it('fail the build when they no longer match the description', () => {
      expect(() => build({operation: 'PUT /nowhere', at: '', change: {kind: 'anyValues'}, why: 'test'})).toThrow(
        /no such operation/,
      );
      expect(() =>
        build({operation: 'PUT /things/{thing_id}', at: 'missing', change: {kind: 'anyValues'}, why: 'test'}),
      ).toThrow(/no property "missing"/);
      expect(() =>
        build({
          operation: 'PUT /things/{thing_id}',
          at: '',
          change: {kind: 'notRequired', fields: ['note']},
          why: 'test',
        }),
      ).toThrow(/note not required there/);
      expect(() =>
        build({operation: 'PUT /things/{thing_id}', at: 'rules', change: {kind: 'unwrapNestedArray'}, why: 'test'}),
      ).toThrow(/not an array of arrays/);
    });
  });
});
