import {parseSearchQuery, type SearchNode, type TermNode} from './search-query.js';

/**
 * Turns a parsed search into a predicate over one kind of record, given the fields that kind can be searched by.
 * A field the kind does not know becomes a warning (Shopify: "Invalid search field for this query.", reported under
 * `extensions.search`) and the term is ignored, as Shopify ignores it.
 * Top-level range terms on date and number fields are also returned as bounds, so that a caller holding an index
 * sorted by that field can jump to the range instead of scanning (the predicate still checks every candidate).
 */

export type SearchValue = string | number | boolean | null | readonly string[];

export interface SearchField<R> {
  kind: 'date' | 'number' | 'string' | 'boolean' | 'list';
  get(record: R): SearchValue;
}

export interface SearchSchema<R> {
  fields: Readonly<Record<string, SearchField<R>>>;
  /** Values a free-text word is matched against (case-insensitive substring). */
  text(record: R): Array<string | null>;
}

export interface SearchWarning {
  field: string;
  message: string;
  code: string;
}

export interface Bound {
  value: number;
  inclusive: boolean;
}

export interface FieldRange {
  lo?: Bound;
  hi?: Bound;
}

export interface CompiledSearch<R> {
  matches(record: R): boolean;
  warnings: SearchWarning[];
  /** Bounds implied by top-level AND terms, per field. */
  ranges: ReadonlyMap<string, FieldRange>;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch ms of a search date (a date is midnight UTC; a time without zone is UTC), or NaN. */
export function parseSearchDate(value: string): number {
  const text = value.trim();
  if (DATE_ONLY.test(text)) return Date.parse(`${text}T00:00:00Z`);
  if (!ISO.test(text)) return Number.NaN;
  const normalised = text.replace(' ', 'T');
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(normalised) ? normalised : `${normalised}Z`);
}

/** A search number: plain digits or a gid (`id:gid://shopify/Order/123` works like `id:123`). */
function parseSearchNumber(value: string): number {
  const gid = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)$/.exec(value.trim());
  return Number(gid ? gid[1] : value.trim());
}

type Compiled<R> = (record: R) => boolean;

function compareNumbers(actual: number, comparator: TermNode['comparator'], expected: number): boolean {
  switch (comparator) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case ':':
      return actual === expected;
  }
}

function textMatches(actual: string, term: TermNode): boolean {
  const a = actual.toLowerCase();
  const e = term.value.toLowerCase();
  if (term.prefix) return a.startsWith(e);
  switch (term.comparator) {
    case ':':
      return a === e;
    case '<':
      return a < e;
    case '<=':
      return a <= e;
    case '>':
      return a > e;
    case '>=':
      return a >= e;
  }
}

function compileTerm<R>(term: TermNode, schema: SearchSchema<R>, warnings: SearchWarning[]): Compiled<R> {
  if (term.field === undefined) {
    const word = term.value.toLowerCase();
    return (record) =>
      schema.text(record).some(
        (text) =>
          text !== null &&
          (term.prefix
            ? text
                .toLowerCase()
                .split(/\s+/)
                .some((w) => w.startsWith(word))
            : text.toLowerCase().includes(word)),
      );
  }
  const field = Object.prototype.hasOwnProperty.call(schema.fields, term.field) ? schema.fields[term.field] : undefined;
  if (!field) {
    warnings.push({field: term.field, message: 'Invalid search field for this query.', code: 'invalid_field'});
    return () => true;
  }
  if (term.exists) {
    return (record) => {
      const value = field.get(record);
      return value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
    };
  }
  switch (field.kind) {
    case 'date': {
      const at = parseSearchDate(term.value);
      if (Number.isNaN(at)) {
        warnings.push({
          field: term.field,
          message: `Invalid timestamp for query filter \`${term.field}\`.`,
          code: 'invalid_value',
        });
        return () => true;
      }
      // `created_at:2024-01-01` is the whole day; with a time it is that instant.
      if (term.comparator === ':' && DATE_ONLY.test(term.value.trim())) {
        return (record) => {
          const value = field.get(record);
          return typeof value === 'number' && value >= at && value < at + DAY_MS;
        };
      }
      return (record) => {
        const value = field.get(record);
        return typeof value === 'number' && compareNumbers(value, term.comparator, at);
      };
    }
    case 'number': {
      const expected = parseSearchNumber(term.value);
      if (Number.isNaN(expected)) {
        warnings.push({
          field: term.field,
          message: `Invalid value for query filter \`${term.field}\`.`,
          code: 'invalid_value',
        });
        return () => true;
      }
      return (record) => {
        const value = field.get(record);
        return typeof value === 'number' && compareNumbers(value, term.comparator, expected);
      };
    }
    case 'boolean': {
      const expected = term.value.toLowerCase() === 'true';
      return (record) => field.get(record) === expected;
    }
    case 'list':
      return (record) => {
        const value = field.get(record);
        return Array.isArray(value) && value.some((item: string) => textMatches(item, term));
      };
    case 'string':
      return (record) => {
        const value = field.get(record);
        return typeof value === 'string' && textMatches(value, term);
      };
  }
}

function compileNode<R>(node: SearchNode, schema: SearchSchema<R>, warnings: SearchWarning[]): Compiled<R> {
  switch (node.type) {
    case 'term':
      return compileTerm(node, schema, warnings);
    case 'not': {
      const child = compileNode(node.child, schema, warnings);
      return (record) => !child(record);
    }
    case 'and': {
      const children = node.children.map((child) => compileNode(child, schema, warnings));
      return (record) => children.every((child) => child(record));
    }
    case 'or': {
      const children = node.children.map((child) => compileNode(child, schema, warnings));
      return (record) => children.some((child) => child(record));
    }
  }
}

function tighten(range: FieldRange, side: 'lo' | 'hi', bound: Bound): void {
  const current = range[side];
  if (!current) {
    range[side] = bound;
    return;
  }
  const better =
    side === 'lo'
      ? bound.value > current.value || (bound.value === current.value && !bound.inclusive)
      : bound.value < current.value || (bound.value === current.value && !bound.inclusive);
  if (better) range[side] = bound;
}

function collectRanges<R>(node: SearchNode | undefined, schema: SearchSchema<R>): Map<string, FieldRange> {
  const ranges = new Map<string, FieldRange>();
  const terms = node === undefined ? [] : node.type === 'and' ? node.children : [node];
  for (const term of terms) {
    if (term.type !== 'term' || term.field === undefined || term.exists || term.prefix) continue;
    const field = Object.prototype.hasOwnProperty.call(schema.fields, term.field)
      ? schema.fields[term.field]
      : undefined;
    if (!field || (field.kind !== 'date' && field.kind !== 'number')) continue;
    const value = field.kind === 'date' ? parseSearchDate(term.value) : parseSearchNumber(term.value);
    if (Number.isNaN(value)) continue;
    const range = ranges.get(term.field) ?? {};
    ranges.set(term.field, range);
    if (term.comparator === '>' || term.comparator === '>=')
      tighten(range, 'lo', {value, inclusive: term.comparator === '>='});
    else if (term.comparator === '<' || term.comparator === '<=')
      tighten(range, 'hi', {value, inclusive: term.comparator === '<='});
    else if (field.kind === 'date' && DATE_ONLY.test(term.value.trim())) {
      tighten(range, 'lo', {value, inclusive: true});
      tighten(range, 'hi', {value: value + DAY_MS, inclusive: false});
    } else {
      tighten(range, 'lo', {value, inclusive: true});
      tighten(range, 'hi', {value, inclusive: true});
    }
  }
  return ranges;
}

export function compileSearch<R>(query: string | null | undefined, schema: SearchSchema<R>): CompiledSearch<R> {
  const tree = parseSearchQuery(query);
  const warnings: SearchWarning[] = [];
  const matches = tree === undefined ? () => true : compileNode(tree, schema, warnings);
  return {matches, warnings, ranges: collectRanges(tree, schema)};
}
