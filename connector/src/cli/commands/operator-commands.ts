import type {CliCommand, CliIo, CliOptionValues} from '../cli-command.js';

/**
 * Operator commands are clients of the running connector's operator API (the same endpoints, the same admin token),
 * so that every operation has one implementation and works against any deployment.
 */
export const connectionOptions = {
  url: {type: 'string'},
  token: {type: 'string'},
} as const;

export const CONNECTION_USAGE = '[--url http://127.0.0.1:3000] [--token <ADMIN_TOKEN>]';

interface OperatorCall {
  method: 'GET' | 'POST';
  path: string;
}

async function callOperatorApi(values: CliOptionValues, io: CliIo, name: string, call: OperatorCall): Promise<number> {
  const base = typeof values.url === 'string' ? values.url : (io.env?.CONNECTOR_URL ?? 'http://127.0.0.1:3000');
  const token = typeof values.token === 'string' ? values.token : io.env?.ADMIN_TOKEN;
  if (!token) {
    io.stderr.write(`${name}: pass --token or set ADMIN_TOKEN\n`);
    return 2;
  }
  let response: Response;
  try {
    response = await fetch(new URL(call.path, base), {method: call.method, headers: {authorization: `Bearer ${token}`}});
  } catch (error) {
    io.stderr.write(`${name}: cannot reach the connector at ${base} (${error instanceof Error ? error.message : String(error)})\n`);
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
    const detail = typeof body === 'object' && body !== null && 'detail' in body ? String((body as {detail: unknown}).detail) : text;
    io.stderr.write(`${name}: ${response.status} ${detail}\n`);
    return 1;
  }
  io.stdout.write(`${typeof body === 'string' ? body : JSON.stringify(body, null, 2)}\n`);
  return 0;
}

function idFrom(values: CliOptionValues, io: CliIo, name: string): number | undefined {
  const id = Number(values.id);
  if (!Number.isInteger(id) || id <= 0) {
    io.stderr.write(`${name}: --id must be a positive integer\n`);
    return undefined;
  }
  return id;
}

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'sync state per entity type, inbox counts, oldest pending record and last errors',
  usage: `status ${CONNECTION_USAGE}`,
  options: connectionOptions,
  run: (values, io) => callOperatorApi(values, io, 'status', {method: 'GET', path: '/v1/sync/status'}),
};

export const deadLettersCommand: CliCommand = {
  name: 'dead-letters',
  summary: 'list unresolved dead letters with their Mailchimp problem documents',
  usage: `dead-letters ${CONNECTION_USAGE}`,
  options: connectionOptions,
  run: (values, io) => callOperatorApi(values, io, 'dead-letters', {method: 'GET', path: '/v1/dead-letters'}),
};

function deadLetterAction(action: 'retry' | 'discard'): CliCommand {
  const name = `dead-letter-${action}`;
  return {
    name,
    summary: action === 'retry' ? 'send a dead-lettered record again' : 'close a dead letter without sending',
    usage: `${name} --id <dead letter id> ${CONNECTION_USAGE}`,
    options: {...connectionOptions, id: {type: 'string'}},
    async run(values, io) {
      const id = idFrom(values, io, name);
      return id === undefined ? 2 : callOperatorApi(values, io, name, {method: 'POST', path: `/v1/dead-letters/${id}/${action}`});
    },
  };
}

export const deadLetterRetryCommand = deadLetterAction('retry');
export const deadLetterDiscardCommand = deadLetterAction('discard');

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'process a stored inbox event again',
  usage: `replay --id <inbox event id> ${CONNECTION_USAGE}`,
  options: {...connectionOptions, id: {type: 'string'}},
  async run(values, io) {
    const id = idFrom(values, io, 'replay');
    return id === undefined ? 2 : callOperatorApi(values, io, 'replay', {method: 'POST', path: `/v1/inbox/${id}/replay`});
  },
};
