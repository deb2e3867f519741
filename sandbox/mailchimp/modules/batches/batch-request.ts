import type {FieldError} from '../../core/problem.js';
import type {BatchOperationInput} from '../../core/state.js';
import {schemaMismatch} from './schema-type.js';

export const BATCH_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export type BatchRequestResult = {ok: true; operations: BatchOperationInput[]} | {ok: false; errors: FieldError[]};

/**
 * Checks a POST /batches body the way Mailchimp does: the operations wrapped in `{operations: [...]}`, each with a
 * method and a path, `params` an object and `body` a JSON *string* (an object there is the classic mistake).
 * Field names follow Mailchimp's errors: `operations.item:N` (`.body`, `.method`, ... for one property).
 */
export function parseBatchRequest(body: unknown): BatchRequestResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {ok: false, errors: [{field: '', message: schemaMismatch('object', body)}]};
  }
  const operations = (body as {operations?: unknown}).operations;
  if (!Array.isArray(operations)) {
    return {ok: false, errors: [{field: 'operations', message: schemaMismatch('array', operations)}]};
  }
  const errors: FieldError[] = [];
  const parsed: BatchOperationInput[] = [];
  operations.forEach((item: unknown, index) => {
    const problem = operationProblem(item);
    if (problem)
      errors.push({
        field: `operations.item:${index}${problem.property ? `.${problem.property}` : ''}`,
        message: problem.message,
      });
    else parsed.push(normalise(item as RawOperation));
  });
  return errors.length > 0 ? {ok: false, errors} : {ok: true, operations: parsed};
}

interface RawOperation {
  method: string;
  path: string;
  params?: Record<string, unknown>;
  body?: string;
  operation_id?: string;
}

/** The first thing wrong with an operation, and which of its properties (none: the item itself). */
function operationProblem(item: unknown): {property?: string; message: string} | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return {message: schemaMismatch('object', item)};
  const op = item as Record<string, unknown>;
  const missing = ['method', 'path'].filter((k) => op[k] === undefined);
  if (missing.length > 0) return {message: `Required fields were not provided: ${missing.join(', ')}`};
  if (typeof op.method !== 'string') return {property: 'method', message: schemaMismatch('string', op.method)};
  if (!(BATCH_METHODS as readonly string[]).includes(op.method.toUpperCase())) {
    return {
      property: 'method',
      message: `Data presented is not one of the accepted values: ${BATCH_METHODS.join(', ')}.`,
    };
  }
  if (typeof op.path !== 'string') return {property: 'path', message: schemaMismatch('string', op.path)};
  if (op.params !== undefined && (typeof op.params !== 'object' || op.params === null || Array.isArray(op.params))) {
    return {property: 'params', message: schemaMismatch('object', op.params)};
  }
  if (op.body !== undefined && typeof op.body !== 'string')
    return {property: 'body', message: schemaMismatch('string', op.body)};
  if (op.operation_id !== undefined && op.operation_id !== null && typeof op.operation_id !== 'string') {
    return {property: 'operation_id', message: schemaMismatch('string', op.operation_id)};
  }
  return undefined;
}

function normalise(op: RawOperation): BatchOperationInput {
  const out: BatchOperationInput = {method: op.method.toUpperCase(), path: op.path};
  if (op.params !== undefined) out.params = op.params;
  if (op.body !== undefined) out.body = op.body;
  if (typeof op.operation_id === 'string') out.operation_id = op.operation_id;
  return out;
}
