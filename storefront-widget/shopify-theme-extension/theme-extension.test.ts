import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {WIDGET_DATA_ATTRIBUTES} from '../src/config.js';

/**
 * The Shopify theme app extension, checked the way Shopify's CLI would refuse it: one valid schema per block, known
 * setting types, ranges Shopify accepts, no reference to a setting that does not exist, and only data attributes
 * the widget reads.
 */

const DIR = join(process.cwd(), 'storefront-widget', 'shopify-theme-extension');
const SETTING_TYPES = new Set([
  'text',
  'textarea',
  'checkbox',
  'select',
  'range',
  'color',
  'number',
  'radio',
  'url',
  'richtext',
  'header',
  'paragraph',
]);

interface Setting {
  type: string;
  id?: string;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  options?: Array<{value: string}>;
}

function readBlock(file: string): {liquid: string; schema: {name: string; target: string; settings: Setting[]}} {
  const liquid = readFileSync(join(DIR, 'blocks', file), 'utf8');
  const schemas = [...liquid.matchAll(/{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/g)];
  expect(schemas).toHaveLength(1);
  return {liquid, schema: JSON.parse(schemas[0]![1]!) as {name: string; target: string; settings: Setting[]}};
}

const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('Shopify theme app extension', () => {
  const blocks = readdirSync(join(DIR, 'blocks')).filter((f) => f.endsWith('.liquid'));

  it('is a theme extension with an app embed and an app block', () => {
    const toml = readFileSync(join(DIR, 'shopify.extension.toml'), 'utf8');
    expect(toml).toMatch(/^type = "theme"$/m);
    expect(toml).toMatch(/^name = "[^"]{1,50}"$/m);
    expect(blocks.sort()).toEqual(['app-embed.liquid', 'subscribe-form.liquid']);
    expect(readBlock('app-embed.liquid').schema.target).toBe('body');
    expect(readBlock('subscribe-form.liquid').schema.target).toBe('section');
  });

  it.each(['app-embed.liquid', 'subscribe-form.liquid'])(
    '%s has a schema Shopify accepts, and uses only its own settings',
    (file) => {
      const {liquid, schema} = readBlock(file);
      expect(schema.name.length).toBeLessThanOrEqual(25);
      const ids = schema.settings.filter((s) => s.id !== undefined).map((s) => s.id!);
      expect(new Set(ids).size).toBe(ids.length);
      for (const setting of schema.settings) {
        expect(SETTING_TYPES.has(setting.type)).toBe(true);
        if (setting.type === 'range') {
          const {min = 0, max = 0, step = 1} = setting;
          expect((max - min) / step).toBeLessThanOrEqual(100);
          expect(Number(setting.default)).toBeGreaterThanOrEqual(min);
          expect(Number(setting.default)).toBeLessThanOrEqual(max);
        }
        if (setting.type === 'select') expect(setting.options?.map((o) => o.value)).toContain(setting.default);
        if (setting.type === 'color') expect(setting.default).toMatch(/^#[0-9a-f]{6}$/i);
      }
      const used = [...liquid.matchAll(/block\.settings\.([a-z_]+)/g)].map((m) => m[1]!);
      for (const id of used) expect(ids).toContain(id);
    },
  );

  it('configures the widget only through data attributes it reads', () => {
    const {liquid} = readBlock('app-embed.liquid');
    const attributes = [...liquid.matchAll(/\sdata-([a-z-]+)=/g)].map((m) => camel(m[1]!));
    expect(attributes.length).toBeGreaterThan(10);
    for (const attribute of attributes) expect(WIDGET_DATA_ATTRIBUTES).toContain(attribute);
    expect(attributes).toEqual(expect.arrayContaining(['shop', 'mode', 'platform']));
    // The block the inline form goes into is the embed's target.
    expect(liquid).toContain('data-target="[data-msb-inline]"');
    expect(readBlock('subscribe-form.liquid').liquid).toContain('<div data-msb-inline');
  });
});
