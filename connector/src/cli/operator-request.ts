import type {CliIo, CliOptionValues} from './cli-command.js';
import {connectorUrl} from './connector-url.js';

/**
 * A call to the running connector's operator API for a CLI command: base URL from --url / CONNECTOR_URL / HOST and
 * PORT (connector-url.ts), admin token
 * from --token / ADMIN_TOKEN, the shop from --shop when several are connected. Prints the JSON answer; a problem
 * document goes to stderr as `<status> <detail>` plus the offending fields. Resolves to the exit code.
 */
export interface OperatorRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Words a problem document in CLI terms (the API's detail speaks HTTP, e.g. `?refresh=1`); undefined keeps the
   * detail as the API wrote it.
   */
  explainProblem?: (doc: Readonly<Record<string, unknown>>) => string | undefined;
  /** A line for stderr about a successful answer the JSON on stdout does not show (e.g. from a header). */
  noteFor?: (headers: Headers) => string | undefined;
}

export const operatorOptions = {
  url: {type: 'string'},
  token: {type: 'string'},
  shop: {type: 'string'},
} as const;

export const OPERATOR_USAGE = '[--url <connector URL>] [--token <ADMIN_TOKEN>] [--shop <shop domain>]';

/** Where the connector is and the admin token, from the options or the environment. */
export function operatorTarget(values: CliOptionValues, io: CliIo): {base: string; token: string | undefined} {
  return {
    base: connectorUrl(typeof values.url === 'string' ? values.url : undefined, io.env),
    token: typeof values.token === 'string' ? values.token : io.env?.ADMIN_TOKEN,
  };
}

export async function operatorRequest(
  values: CliOptionValues,
  io: CliIo,
  name: string,
  request: OperatorRequest,
): Promise<number> {
  const {base, token} = operatorTarget(values, io);
  if (!token) {
    io.stderr.write(`${name}: pass --token or set ADMIN_TOKEN\n`);
    return 2;
  }
  const url = new URL(request.path, base);
  for (const [key, value] of Object.entries({
    ...request.query,
    shop: typeof values.shop === 'string' ? values.shop : undefined,
  })) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.body !== undefined ? {'content-type': 'application/json'} : {}),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch (error) {
    io.stderr.write(
      `${name}: cannot reach the connector at ${base} (${error instanceof Error ? error.message : String(error)})\n`,
    );
    return 1;
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: print as is */
  }
  if (!response.ok) {
    const doc =
      typeof body === 'object' && body !== null
        ? (body as {detail?: unknown; errors?: Array<{field: string; message: string}>})
        : {};
    const explained = typeof body === 'object' && body !== null ? request.explainProblem?.(doc) : undefined;
    io.stderr.write(
      `${name}: ${response.status} ${explained ?? (doc.detail !== undefined ? String(doc.detail) : text)}\n`,
    );
    for (const e of doc.errors ?? []) io.stderr.write(`  ${e.field}: ${e.message}\n`);
    return 1;
  }
  io.stdout.write(`${typeof body === 'string' ? body : JSON.stringify(body, null, 2)}\n`);
  const note = request.noteFor?.(response.headers);
  if (note !== undefined) io.stderr.write(`${name}: ${note}\n`);
  return 0;
}

/** A positive integer option, or undefined after saying what is wrong. */
export function positiveInt(values: CliOptionValues, io: CliIo, name: string, option: string): number | undefined {
  const n = Number(values[option]);
  if (!Number.isInteger(n) || n <= 0) {
    io.stderr.write(`${name}: --${option} must be a positive integer\n`);
    return undefined;
  }
  return n;
}

/** Parses JSON given on the command line or read from a file, or undefined after saying what is wrong. */
export function jsonArgument(text: string, io: CliIo, name: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    io.stderr.write(`${name}: ${what} is not JSON (${error instanceof Error ? error.message : String(error)})\n`);
    return undefined;
  }
}
