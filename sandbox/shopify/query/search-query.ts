/**
 * Shopify's search syntax (the `query:` argument of `products`, `orders`, …; shopify.dev "Search syntax"):
 * whitespace-separated terms joined by an implicit AND, explicit `AND` / `OR` (AND binds tighter), `NOT` or a `-`
 * prefix, parentheses, `field:value` with the comparators `:<`, `:<=`, `:>`, `:>=`, quoted values ("…" or '…'
 * with backslash escapes), `field:*` (the field exists) and `value*` (prefix). A bare word is free text.
 *
 * Pure: text in, tree out. The parser never throws; text it cannot make sense of (an unmatched parenthesis, a
 * dangling operator) is read the forgiving way Shopify reads it: as free text or ignored.
 */

export type Comparator = ':' | '<' | '<=' | '>' | '>=';

export interface TermNode {
  type: 'term';
  /** Undefined for free text. Lower-cased. */
  field?: string;
  comparator: Comparator;
  value: string;
  /** `value*`: matches values starting with `value`. */
  prefix?: boolean;
  /** `field:*`: the field has a value. */
  exists?: boolean;
}

export type SearchNode =
  | TermNode
  | {type: 'and'; children: SearchNode[]}
  | {type: 'or'; children: SearchNode[]}
  | {type: 'not'; child: SearchNode};

type Token =
  | {kind: 'lparen'}
  | {kind: 'rparen'}
  | {kind: 'and'}
  | {kind: 'or'}
  | {kind: 'not'}
  | {kind: 'term'; term: TermNode; negated: boolean};

const COMPARATORS: Comparator[] = ['<=', '>=', '<', '>'];
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function readQuoted(text: string, start: number): {value: string; end: number} {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    value += text[i];
    i += 1;
  }
  return {value, end: Math.min(i + 1, text.length)};
}

function readBare(text: string, start: number): {value: string; end: number} {
  let i = start;
  while (i < text.length && !/\s/.test(text[i]!) && text[i] !== '(' && text[i] !== ')') {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    i += 1;
  }
  return {value: text.slice(start, i).replace(/\\(.)/g, '$1'), end: i};
}

function readValue(text: string, start: number): {value: string; end: number; quoted: boolean} {
  if (text[start] === '"' || text[start] === "'") return {...readQuoted(text, start), quoted: true};
  return {...readBare(text, start), quoted: false};
}

function makeTerm(field: string | undefined, comparator: Comparator, raw: {value: string; quoted: boolean}): TermNode {
  const term: TermNode = {type: 'term', comparator, value: raw.value};
  if (field !== undefined) term.field = field.toLowerCase();
  if (!raw.quoted && field !== undefined && comparator === ':' && raw.value === '*') {
    term.value = '';
    term.exists = true;
  } else if (!raw.quoted && raw.value.length > 1 && raw.value.endsWith('*')) {
    term.value = raw.value.slice(0, -1);
    term.prefix = true;
  }
  return term;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({kind: ch === '(' ? 'lparen' : 'rparen'});
      i += 1;
      continue;
    }
    let negated = false;
    if (ch === '-' && i + 1 < text.length && !/[\s()]/.test(text[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (text[i] === '"' || text[i] === "'") {
      const quoted = readQuoted(text, i);
      tokens.push({kind: 'term', term: makeTerm(undefined, ':', {value: quoted.value, quoted: true}), negated});
      i = quoted.end;
      continue;
    }
    // A field name runs up to the first colon; anything else is a bare word.
    let j = i;
    while (j < text.length && !/[\s():"']/.test(text[j]!)) j += 1;
    const name = text.slice(i, j);
    if (text[j] === ':' && FIELD_NAME.test(name)) {
      let k = j + 1;
      let comparator: Comparator = ':';
      for (const candidate of COMPARATORS) {
        if (text.startsWith(candidate, k)) {
          comparator = candidate;
          k += candidate.length;
          break;
        }
      }
      const value = readValue(text, k);
      tokens.push({kind: 'term', term: makeTerm(name, comparator, value), negated});
      i = value.end;
      continue;
    }
    const word = readBare(text, i);
    i = word.end;
    if (!negated && word.value === 'AND') tokens.push({kind: 'and'});
    else if (!negated && word.value === 'OR') tokens.push({kind: 'or'});
    else if (!negated && word.value === 'NOT') tokens.push({kind: 'not'});
    else if (word.value !== '')
      tokens.push({kind: 'term', term: makeTerm(undefined, ':', {value: word.value, quoted: false}), negated});
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): SearchNode | undefined {
    const parts: SearchNode[] = [];
    while (this.position < this.tokens.length) {
      const node = this.parseOr();
      if (node) parts.push(node);
      // A stray closing parenthesis is skipped rather than failing the whole search.
      else this.position += 1;
    }
    return combine('and', parts);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private parseOr(): SearchNode | undefined {
    const parts: SearchNode[] = [];
    const first = this.parseAnd();
    if (first) parts.push(first);
    while (this.peek()?.kind === 'or') {
      this.position += 1;
      const next = this.parseAnd();
      if (next) parts.push(next);
    }
    return combine('or', parts);
  }

  private parseAnd(): SearchNode | undefined {
    const parts: SearchNode[] = [];
    for (;;) {
      const token = this.peek();
      if (!token || token.kind === 'or' || token.kind === 'rparen') break;
      if (token.kind === 'and') {
        this.position += 1;
        continue;
      }
      const unary = this.parseUnary();
      if (unary) parts.push(unary);
    }
    return combine('and', parts);
  }

  private parseUnary(): SearchNode | undefined {
    const token = this.peek();
    if (!token) return undefined;
    if (token.kind === 'not') {
      this.position += 1;
      const child = this.parseUnary();
      return child ? {type: 'not', child} : undefined;
    }
    if (token.kind === 'lparen') {
      this.position += 1;
      const inner = this.parseOr();
      if (this.peek()?.kind === 'rparen') this.position += 1;
      return inner;
    }
    if (token.kind === 'term') {
      this.position += 1;
      return token.negated ? {type: 'not', child: token.term} : token.term;
    }
    this.position += 1;
    return undefined;
  }
}

function combine(type: 'and' | 'or', parts: SearchNode[]): SearchNode | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  // Flatten nested nodes of the same kind so that equal searches give equal trees.
  const children = parts.flatMap((part) => (part.type === type ? part.children : [part]));
  return {type, children};
}

/** Parses a search string; undefined for an empty search (matches everything). */
export function parseSearchQuery(text: string | null | undefined): SearchNode | undefined {
  if (text === null || text === undefined) return undefined;
  return new Parser(tokenize(text)).parseAll();
}

function quoteValue(value: string): string {
  if (
    value !== '' &&
    /^[^\s()"'\\:*]+$/.test(value) &&
    !['AND', 'OR', 'NOT'].includes(value) &&
    !/^[-<>=]/.test(value)
  ) {
    return value;
  }
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** The search string of a tree: `parseSearchQuery(printSearchQuery(node))` gives the same tree back. */
export function printSearchQuery(node: SearchNode): string {
  switch (node.type) {
    case 'term': {
      if (node.exists) return `${node.field}:*`;
      // A prefix value is printed bare, so it must not need quoting (the printer of a parsed tree never needs it).
      const value = node.prefix ? `${node.value}*` : quoteValue(node.value);
      if (node.field === undefined) return value;
      return `${node.field}:${node.comparator === ':' ? '' : node.comparator}${value}`;
    }
    case 'not':
      return `NOT ${node.child.type === 'term' ? printSearchQuery(node.child) : `(${printSearchQuery(node.child)})`}`;
    case 'and':
      return node.children
        .map((child) => (child.type === 'or' ? `(${printSearchQuery(child)})` : printSearchQuery(child)))
        .join(' AND ');
    case 'or':
      return node.children
        .map((child) => (child.type === 'and' ? `(${printSearchQuery(child)})` : printSearchQuery(child)))
        .join(' OR ');
  }
}
