import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {segmentConditionSchema} from './segment-definition.js';

/** The condition kinds the parser accepts, read from the schema itself (nested unions, e.g. last_purchase, included). */
function kindsOf(schema: unknown): string[] {
  const node = schema as {options?: unknown[]; shape?: {type?: {value?: unknown}}};
  if (node.shape?.type?.value !== undefined) return [String(node.shape.type.value)];
  return (node.options ?? []).flatMap(kindsOf);
}

/** The README's "Segment conditions" section, up to the next heading. */
function readmeSection(): string {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const start = readme.indexOf('### Segment conditions\n');
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n#', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('the README documents the segment condition language', () => {
  const kinds = [...new Set(kindsOf(segmentConditionSchema))];
  const examples = [...readmeSection().matchAll(/`(\{"type":[^`]*\})`/g)].map((m) => m[1]!);

  it('reads the kinds from the parser', () => {
    expect(kinds).toEqual(expect.arrayContaining(['tag', 'total_spent', 'last_purchase', 'subscribed']));
  });

  it('has an example of every kind the parser accepts, and no other', () => {
    const documented = new Set(examples.map((e) => (JSON.parse(e) as {type: string}).type));
    expect([...documented].sort()).toEqual([...kinds].sort());
  });

  it('gives examples the parser accepts', () => {
    for (const example of examples) {
      const parsed = segmentConditionSchema.safeParse(JSON.parse(example));
      expect({example, ok: parsed.success}).toEqual({example, ok: true});
    }
  });
});
