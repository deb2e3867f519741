import type {SandboxRequest} from './routes.js';
import {problems} from './problem.js';

/**
 * A page of a collection as Mailchimp pages it: `count` (default 10, at most 1000) records after `offset` records.
 * Answers 400 for counts above 1000, as Mailchimp does.
 */
export function paginate<T>(items: readonly T[], query: SandboxRequest['query']): {page: T[]; total_items: number} {
  const count = query.count === undefined ? 10 : Number(query.count);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  if (!Number.isInteger(count) || count < 0 || count > 1000) {
    throw problems.invalidResource([{field: 'count', message: 'Must be an integer between 0 and 1000.'}]);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw problems.invalidResource([{field: 'offset', message: 'Must be a non-negative integer.'}]);
  }
  return {page: items.slice(offset, offset + count), total_items: items.length};
}

/** `fields` / `exclude_fields`: comma-separated dot paths, applied through arrays (`members.email_address`). */
export function applyFieldSelection(body: unknown, fields?: string, exclude?: string): unknown {
  let out = body;
  if (fields)
    out = pick(
      out,
      fields
        .split(',')
        .map((f) => f.trim().split('.'))
        .filter((p) => p[0]),
    );
  if (exclude) for (const path of exclude.split(',').map((f) => f.trim().split('.'))) out = omit(out, path);
  return out;
}

function pick(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, paths));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const groups = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (!head) continue;
    const list = groups.get(head) ?? [];
    list.push(rest);
    groups.set(head, list);
  }
  for (const [key, rests] of groups) {
    if (!(key in source)) continue;
    out[key] = rests.some((r) => r.length === 0) ? source[key] : pick(source[key], rests);
  }
  return out;
}

function omit(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => omit(v, path));
  if (typeof value !== 'object' || value === null || path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = {...(value as Record<string, unknown>)};
  if (!head || !(head in copy)) return copy;
  if (rest.length === 0) delete copy[head];
  else copy[head] = omit(copy[head], rest);
  return copy;
}

/** Mailchimp's `_links` entry; modules use it to keep responses shaped like the real ones. */
export function link(rel: string, href: string, method = 'GET'): {rel: string; href: string; method: string} {
  return {rel, href, method};
}
