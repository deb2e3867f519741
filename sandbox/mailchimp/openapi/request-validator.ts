import type {FieldError} from '../core/problem.js';

// Placeholder until the schemas extracted from the OpenAPI description are in place: accepts everything.
export function validateRequest(_method: string, _template: string, _query: Record<string, string>, _body: unknown): FieldError[] {
  return [];
}
