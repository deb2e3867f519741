import type {SandboxState} from './state.js';
import {MailchimpProblem, problems, type FieldError} from './problem.js';
import {applyFieldSelection} from './collection.js';

export type RequestValidator = (
  method: string,
  template: string,
  query: Record<string, string>,
  body: unknown,
) => FieldError[];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler sees: the same for a real HTTP call and for an operation run inside a batch. */
export interface SandboxRequest {
  method: HttpMethod;
  /** Path below /3.0, e.g. `/lists/abc/members/0f3...`. */
  path: string;
  /** The route template that matched, e.g. `/lists/{list_id}/members/{subscriber_hash}` (OpenAPI style). */
  template: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** 'api' for HTTP calls and batch operations. */
  via: 'http' | 'batch';
}

export interface SandboxResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: SandboxRequest, state: SandboxState) => SandboxResponse | Promise<SandboxResponse>;

export interface RouteDef {
  method: HttpMethod;
  /** OpenAPI-style template below /3.0: `/lists/{list_id}/members`. */
  path: string;
  handler: RouteHandler;
}

interface CompiledRoute extends RouteDef {
  segments: string[];
}

/**
 * Matches request paths against the route templates. Literal segments win over parameters
 * (so `/lists/{id}/members/{hash}/tags` and `/lists/{id}/members/{hash}/actions/delete-permanent` both resolve).
 */
export class RouteTable {
  private readonly routes: CompiledRoute[] = [];

  /** `validate` checks request bodies against the OpenAPI description before a handler runs. */
  constructor(private readonly validate?: RequestValidator) {}

  add(...defs: RouteDef[]): void {
    for (const def of defs) this.routes.push({...def, segments: splitPath(def.path)});
    // More literal segments first, so that specific routes beat parameterised ones of the same length.
    this.routes.sort((a, b) => literalScore(b) - literalScore(a));
  }

  /** The route for method + path, or a 404/405 problem. */
  resolve(method: string, path: string): {route: RouteDef; params: Record<string, string>} {
    const parts = splitPath(path);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return {route, params};
      allowed.push(route.method);
    }
    if (allowed.length > 0) throw problems.methodNotAllowed([...new Set(allowed)]);
    throw problems.notFound();
  }

  async dispatch(state: SandboxState, input: Omit<SandboxRequest, 'params' | 'template'>): Promise<SandboxResponse> {
    try {
      const {route, params} = this.resolve(input.method, input.path);
      if (this.validate && (input.method === 'POST' || input.method === 'PUT' || input.method === 'PATCH')) {
        const errors = this.validate(input.method, route.path, input.query, input.body);
        if (errors.length > 0) throw problems.invalidResource(errors);
      }
      const response = await route.handler({...input, params, template: route.path}, state);
      if (response.status < 300 && response.body !== undefined && (input.query.fields || input.query.exclude_fields)) {
        return {...response, body: applyFieldSelection(response.body, input.query.fields, input.query.exclude_fields)};
      }
      return response;
    } catch (err) {
      if (err instanceof MailchimpProblem) {
        return {status: err.status, body: err.toBody(), headers: err.headers};
      }
      throw err;
    }
  }

  templateFor(method: string, path: string): string | undefined {
    try {
      return this.resolve(method, path).route.path;
    } catch {
      return undefined;
    }
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function literalScore(route: CompiledRoute): number {
  return (
    route.segments.reduce((score, seg, i) => score + (seg.startsWith('{') ? 0 : 2 ** (8 - Math.min(i, 8))), 0) +
    route.segments.length * 1000
  );
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | null {
  if (template.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const p = parts[i]!;
    if (t.startsWith('{') && t.endsWith('}')) {
      params[t.slice(1, -1)] = decodeURIComponent(p);
    } else if (t !== p) {
      return null;
    }
  }
  return params;
}
