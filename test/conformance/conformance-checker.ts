import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {RecordedRequest} from '../../sandbox/mailchimp/core/recorder.js';
import {operationKey, type RequestSchemaSet} from '../../sandbox/mailchimp/openapi/json-schema.js';
import {checkParameters, RequestChecker} from '../../sandbox/mailchimp/openapi/request-checker.js';

/**
 * Checks requests the sandbox received (recorded by the test runs) against the full OpenAPI description: the path
 * and method are a described operation, the sandbox matched the same path template, path and query parameters fit
 * their schemas (unknown and missing required query parameters included), and the body fits the request schema
 * (required fields, types, enums, with the overrides of sandbox/mailchimp/openapi/overrides.ts).
 */

export interface RecordedEntry {
  file: string;
  line: number;
  entry: RecordedRequest;
}

export interface Violation {
  method: string;
  path: string;
  template?: string;
  via: RecordedRequest['via'];
  status: number;
  file: string;
  problem: string;
}

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Which recorded requests are held to the description. Requests the sandbox refused as bad input (400, 401, 405, 422)
 * or could not route at all (404 without a template) come from negative tests that send non-conforming requests on
 * purpose; everything else is checked, including requests answered by injected faults (429, 403, 5xx, resets): the
 * client sent them as real calls.
 */
export function isChecked(entry: RecordedRequest): boolean {
  if ([400, 401, 405, 422].includes(entry.status)) return false;
  if (entry.status === 404 && !entry.template) return false;
  return true;
}

export function readRecordedRequests(dir: string): RecordedEntry[] {
  if (!existsSync(dir)) return [];
  const out: RecordedEntry[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (text.trim().length === 0) return;
      // Written by test/support/sandbox.ts from RecordedRequest objects.
      out.push({file, line: i + 1, entry: JSON.parse(text) as RecordedRequest});
    });
  }
  return out;
}

interface TemplateMatch {
  template: string;
  params: Record<string, string>;
}

export class ConformanceChecker {
  private readonly checker: RequestChecker;
  /** Described path templates (split into segments) and the methods each has. */
  private readonly templates: Array<{template: string; segments: string[]; methods: string[]}> = [];

  constructor(private readonly schemas: RequestSchemaSet) {
    this.checker = new RequestChecker(schemas);
    const byTemplate = new Map<string, string[]>();
    for (const key of Object.keys(schemas.operations)) {
      const space = key.indexOf(' ');
      const template = key.slice(space + 1);
      byTemplate.set(template, [...(byTemplate.get(template) ?? []), key.slice(0, space)]);
    }
    for (const [template, methods] of byTemplate) this.templates.push({template, segments: split(template), methods});
  }

  /** The problems of one recorded request (empty when it conforms). */
  problems(entry: RecordedRequest): string[] {
    const method = entry.method.toUpperCase();
    if (!HTTP_METHODS.has(method)) return [`${entry.method} is not an HTTP method the API uses`];
    const normalized = normalizePath(entry.path, entry.via);
    if ('problem' in normalized) return [normalized.problem];
    const query = {...normalized.query, ...stringValues(entry.query ?? {})};

    const match = this.match(normalized.path);
    if (!match) return ['no operation in the description has this path'];
    const described = this.templates.find((t) => t.template === match.template)!.methods;
    if (!described.includes(method))
      return [`${method} is not described for ${match.template} (described: ${described.join(', ')})`];

    const problems: string[] = [];
    if (entry.template && entry.template !== match.template) {
      problems.push(
        `the sandbox routed it as ${entry.template}, the description's template is ${match.template} (request validation looks schemas up by template)`,
      );
    }
    const op = this.schemas.operations[operationKey(method, match.template)]!;
    for (const e of checkParameters(op.path ?? {}, match.params))
      problems.push(`path parameter ${e.field}: ${e.message}`);
    for (const e of checkParameters(op.query, query, {reportUnknown: true, reportMissing: true}))
      problems.push(`query parameter ${e.field}: ${e.message}`);

    const body = parseBody(entry.body);
    if ('problem' in body) {
      problems.push(body.problem);
    } else if (op.body) {
      if (body.value === undefined && op.bodyRequired) problems.push('request body is required but none was sent');
      for (const e of this.checker.body(method, match.template, body.value))
        problems.push(`body ${e.field === '' ? '(root)' : e.field}: ${e.message}`);
    } else if (!isEmptyBody(body.value)) {
      problems.push('the operation takes no request body, but one was sent');
    }
    return problems;
  }

  /** The described template for a concrete path; literal segments win over parameters, from the left. */
  match(path: string): TemplateMatch | undefined {
    const parts = split(path);
    let best: {template: string; segments: string[]; params: Record<string, string>} | undefined;
    for (const t of this.templates) {
      if (t.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      t.segments.forEach((seg, i) => {
        if (seg.startsWith('{') && seg.endsWith('}')) params[seg.slice(1, -1)] = decodeURIComponent(parts[i]!);
        else if (seg !== parts[i]) ok = false;
      });
      if (ok && (!best || moreLiteral(t.segments, best.segments)))
        best = {template: t.template, segments: t.segments, params};
    }
    return best && {template: best.template, params: best.params};
  }
}

/** Checks every entry that `isChecked` selects; returns the violations and how many entries were checked. */
export function checkRecorded(
  checker: ConformanceChecker,
  entries: readonly RecordedEntry[],
): {checked: number; violations: Violation[]} {
  const violations: Violation[] = [];
  let checked = 0;
  for (const {file, entry} of entries) {
    if (!isChecked(entry)) continue;
    checked += 1;
    for (const problem of checker.problems(entry)) {
      violations.push({
        method: entry.method,
        path: entry.path,
        template: entry.template,
        via: entry.via,
        status: entry.status,
        file,
        problem,
      });
    }
  }
  return {checked, violations};
}

/** One line per distinct (method, template, problem), with how often it occurred and the first occurrence. */
export function formatViolations(violations: readonly Violation[]): string {
  const groups = new Map<string, {first: Violation; count: number}>();
  for (const v of violations) {
    const key = `${v.method} ${v.template ?? v.path}\u0000${v.problem}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, {first: v, count: 1});
  }
  return [...groups.values()]
    .map(
      ({first: v, count}) =>
        `  ${v.method} ${v.path} (via ${v.via}, status ${v.status}): ${v.problem}` +
        (count > 1 ? ` [${count} times; first in ${v.file}]` : ` [${v.file}]`),
    )
    .join('\n');
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function moreLiteral(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const aParam = a[i]!.startsWith('{');
    const bParam = b[i]!.startsWith('{');
    if (aParam !== bParam) return !aParam;
  }
  return false;
}

/**
 * HTTP entries carry the full path (`/3.0/lists/...`); batch operations carry the operation's path, which clients
 * write with or without the leading slash (`lists/abc/members`) and may give a query string.
 */
function normalizePath(
  raw: string,
  via: RecordedRequest['via'],
): {path: string; query: Record<string, string>} | {problem: string} {
  let path = raw;
  const query: Record<string, string> = {};
  const q = path.indexOf('?');
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(path.slice(q + 1))) query[k] = v;
    path = path.slice(0, q);
  }
  if (!path.startsWith('/')) path = `/${path}`;
  if (path === '/3.0' || path.startsWith('/3.0/')) path = path.slice('/3.0'.length) || '/';
  else if (via === 'http') return {problem: `path ${raw} is not below /3.0`};
  try {
    split(path).forEach((s) => decodeURIComponent(s));
  } catch {
    return {problem: `path ${raw} has malformed percent-encoding`};
  }
  // Segments stay encoded for matching (an encoded "/" inside a value must not split it); parameters are decoded.
  return {path, query};
}

function stringValues(query: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** Batch operations carry their body as a JSON string; HTTP entries as the parsed value. */
function parseBody(body: unknown): {value: unknown} | {problem: string} {
  if (typeof body !== 'string') return {value: body};
  if (body.trim() === '') return {value: undefined};
  try {
    return {value: JSON.parse(body)};
  } catch {
    return {problem: 'the body is not valid JSON'};
  }
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
}
