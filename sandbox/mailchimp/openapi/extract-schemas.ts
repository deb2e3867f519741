import {writeFileSync} from 'node:fs';
import {relative} from 'node:path';
import {buildRequestSchemas} from './schema-builder.js';
import {loadSpec, SPEC_PATH} from './spec-file.js';
import {REQUEST_SCHEMAS_PATH} from './request-validator.js';
import type {RequestSchemaSet} from './json-schema.js';

/** The methods the sandbox validates bodies for (RouteTable runs the validator for these only). */
export const VALIDATED_METHODS = ['POST', 'PUT', 'PATCH'] as const;

/** What request-schemas.json holds: the write operations, without path parameters. */
export function extractRequestSchemas(specPath: string = SPEC_PATH): RequestSchemaSet {
  const spec = loadSpec(specPath);
  return buildRequestSchemas(spec.doc, spec.file, spec.sha256, {methods: VALIDATED_METHODS});
}

/** One operation or definition per line: compact, yet a regenerated file gives a readable diff. */
export function serializeRequestSchemas(set: RequestSchemaSet): string {
  const block = (entries: Record<string, unknown>) =>
    Object.entries(entries)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(',\n');
  return (
    '{\n' +
    `  "source": ${JSON.stringify(set.source)},\n` +
    `  "operations": {\n${block(set.operations)}\n  },\n` +
    `  "definitions": {\n${block(set.definitions)}\n  }\n` +
    '}\n'
  );
}

function main(): void {
  const specPath = process.argv[2] ?? SPEC_PATH;
  const set = extractRequestSchemas(specPath);
  const text = serializeRequestSchemas(set);
  writeFileSync(REQUEST_SCHEMAS_PATH, text);
  const bodies = Object.values(set.operations).filter((op) => op.body).length;
  process.stdout.write(
    `${relative(process.cwd(), REQUEST_SCHEMAS_PATH)}: ${Object.keys(set.operations).length} operations (${bodies} with a body), ` +
      `${Object.keys(set.definitions).length} definitions, ${(text.length / 1024).toFixed(0)} KiB, from ${set.source.file} ${set.source.version}\n`,
  );
}

// Run as a script (`npm run openapi:extract [path/to/spec.yaml]`), not when imported by the conformance check.
if (process.argv[1]?.endsWith('extract-schemas.ts')) main();
