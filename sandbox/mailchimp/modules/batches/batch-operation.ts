import type {RecordedRequest} from '../../core/recorder.js';
import type {HttpMethod, RouteTable} from '../../core/routes.js';
import {MailchimpProblem, problems} from '../../core/problem.js';
import type {BatchOperationInput, SandboxState} from '../../core/state.js';

/** One entry of a results file: `response` is the operation's JSON body as a string, as Mailchimp writes it. */
export interface BatchOperationResult {
  status_code: number;
  operation_id: string | null;
  response: string;
}

/**
 * Runs one batch operation through the same route table as HTTP calls: `params` become the query, `body` (a JSON
 * string) is parsed as a request body would be. Returns the result entry and what to record for the conformance run.
 */
export async function runBatchOperation(
  table: RouteTable,
  state: SandboxState,
  op: BatchOperationInput,
  now: () => Date = () => new Date(),
): Promise<{result: BatchOperationResult; recorded: RecordedRequest}> {
  const started = now();
  const {path, query} = splitTarget(op.path, op.params);
  const method = op.method.toUpperCase() as HttpMethod;
  let body: unknown;
  let status: number;
  let responseBody: unknown;
  try {
    body = parseBody(op.body);
    const response = await table.dispatch(state, {method, path, query, body, via: 'batch'});
    status = response.status;
    responseBody = response.body;
  } catch (err) {
    const problem = err instanceof MailchimpProblem ? err : problems.internal();
    status = problem.status;
    responseBody = problem.toBody();
  }
  const recorded: RecordedRequest = {
    time: started.toISOString(),
    method,
    path,
    template: table.templateFor(method, path),
    query,
    body,
    status,
    durationMs: now().getTime() - started.getTime(),
    via: 'batch',
  };
  const result: BatchOperationResult = {
    status_code: status,
    operation_id: op.operation_id ?? null,
    response: responseBody === undefined ? '' : JSON.stringify(responseBody),
  };
  return {result, recorded};
}

function parseBody(raw: string | undefined): unknown {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw problems.jsonParse();
  }
}

/** `lists/abc?count=5` or `/3.0/lists/abc` → path below /3.0 plus the query (`params` win over the path's). */
export function splitTarget(
  rawPath: string,
  params: Record<string, unknown> = {},
): {path: string; query: Record<string, string>} {
  const [pathPart = '', search = ''] = rawPath.split('?', 2);
  let path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  if (path === '/3.0' || path.startsWith('/3.0/')) path = path.slice(4) || '/';
  const query: Record<string, string> = Object.fromEntries(new URLSearchParams(search));
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    query[key] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {path, query};
}
