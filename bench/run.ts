import {readdirSync} from 'node:fs';
import {cpus} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import type {BenchmarkModule, Figure} from './harness.js';

/**
 * `npm run bench [name...]`: runs every `bench/*.bench.ts` (or the named ones) one after another and prints a table.
 * Each file exports `name`, optionally `description`, and `run(): Promise<Figure[]>`. Speed is measured here, never
 * asserted in tests.
 */

const benchDir = dirname(fileURLToPath(import.meta.url));

async function loadRegistry(): Promise<BenchmarkModule[]> {
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const modules: BenchmarkModule[] = [];
  for (const file of files) {
    const mod: Partial<BenchmarkModule> = await import(pathToFileURL(join(benchDir, file)).href);
    if (typeof mod.name !== 'string' || typeof mod.run !== 'function')
      throw new Error(`${file} must export a name and an async run()`);
    modules.push({name: mod.name, description: mod.description, run: mod.run});
  }
  return modules;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, col) => (col === 1 ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function formatValue(figure: Figure): string {
  return typeof figure.value === 'number' ? figure.value.toLocaleString('en') : figure.value;
}

async function main(): Promise<void> {
  const registry = await loadRegistry();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((n) => !registry.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${registry.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? registry.filter((b) => wanted.includes(b.name)) : registry;
  console.log(`Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'})\n`);
  for (const bench of selected) {
    console.log(`== ${bench.name}${bench.description ? `: ${bench.description}` : ''}`);
    const started = Date.now();
    const figures = await bench.run();
    const rows = [
      ['figure', 'value', 'unit', 'note'],
      ...figures.map((f) => [f.label, formatValue(f), f.unit ?? '', f.note ?? '']),
    ];
    console.log(table(rows));
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}

await main();
