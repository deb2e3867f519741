// Fails (exit 1) when the runtime imports of connector/src form a cycle. Plain Node, no dependency: it reads the
// relative `import … from` / `export … from` / side-effect `import '…'` of every non-test .ts file; `import type` and
// `export type` are left out (a type-only import is erased at compile time, so it is no runtime cycle).
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'connector/src');

/**
 * Cycles known and left to other work (each entry: the cycle's files, relative to the repository, in any order).
 * Keep empty when possible; every entry needs a reason.
 */
const ALLOWED = [];

function listTs(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.test\.ts$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:^|[\n;])\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g;

function runtimeImports(file) {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const deps = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[4] ?? m[5];
    if (!spec.startsWith('.')) continue;
    if (m[2]) continue; // import type / export type
    const clause = m[3] ?? '';
    // `import {type A, type B} from` is type-only too.
    const braces = clause.match(/^\{([\s\S]*)\}$/);
    if (braces) {
      const names = braces[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    deps.push(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return deps;
}

const files = listTs(srcDir);
const known = new Set(files);
const graph = new Map(files.map((f) => [f, runtimeImports(f).filter((d) => known.has(d))]));

// Tarjan's strongly connected components: every component with more than one file (or a self-import) is a cycle.
let index = 0;
const stack = [];
const onStack = new Set();
const idx = new Map();
const low = new Map();
const components = [];
function strongConnect(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v)) {
    if (!idx.has(w)) {
      strongConnect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v).includes(v)) components.push(component);
  }
}
for (const f of files) if (!idx.has(f)) strongConnect(f);

const rel = (f) => relative(root, f);
const key = (list) => [...list].sort().join('\n');
const allowed = new Set(ALLOWED.map(key));
const cycles = components.map((c) => c.map(rel).sort()).filter((c) => !allowed.has(key(c)));

if (cycles.length > 0) {
  console.error(`Import cycles in connector/src (${cycles.length}):`);
  for (const c of cycles) console.error(`  - ${c.join(' <-> ')}`);
  process.exit(1);
}
console.log(`No import cycles in connector/src (${files.length} files).`);
