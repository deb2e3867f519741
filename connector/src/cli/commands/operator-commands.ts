import type {CliCommand} from '../cli-command.js';
import {operatorRequest, positiveInt} from '../operator-request.js';

/**
 * Operator commands are clients of the running connector's operator API (the same endpoints, the same admin token),
 * so that every operation has one implementation and works against any deployment.
 */
export const connectionOptions = {
  url: {type: 'string'},
  token: {type: 'string'},
} as const;

export const CONNECTION_USAGE = '[--url <connector URL>] [--token <ADMIN_TOKEN>]';

export const statusCommand: CliCommand = {
  name: 'status',
  summary:
    "sync state per entity type, inbox counts, oldest pending record, last errors and the Mailchimp store's currency",
  usage: `status ${CONNECTION_USAGE}`,
  options: connectionOptions,
  run: (values, io) => operatorRequest(values, io, 'status', {method: 'GET', path: '/v1/sync/status'}),
};

export const readinessCommand: CliCommand = {
  name: 'readiness',
  summary: 'run the start-up checks now (Mailchimp key, list, store, Shopify token) and print what is not ready',
  usage: `readiness ${CONNECTION_USAGE}`,
  options: connectionOptions,
  run: (values, io) => operatorRequest(values, io, 'readiness', {method: 'POST', path: '/v1/readiness/check'}),
};

export const deadLettersCommand: CliCommand = {
  name: 'dead-letters',
  summary: 'list unresolved dead letters with their Mailchimp problem documents',
  usage: `dead-letters ${CONNECTION_USAGE}`,
  options: connectionOptions,
  run: (values, io) => operatorRequest(values, io, 'dead-letters', {method: 'GET', path: '/v1/dead-letters'}),
};

function deadLetterAction(action: 'retry' | 'discard'): CliCommand {
  const name = `dead-letter-${action}`;
  return {
    name,
    summary: action === 'retry' ? 'send a dead-lettered record again' : 'close a dead letter without sending',
    usage: `${name} --id <dead letter id> ${CONNECTION_USAGE}`,
    options: {...connectionOptions, id: {type: 'string'}},
    async run(values, io) {
      const id = positiveInt(values, io, name, 'id');
      return id === undefined
        ? 2
        : operatorRequest(values, io, name, {method: 'POST', path: `/v1/dead-letters/${id}/${action}`});
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
    const id = positiveInt(values, io, 'replay', 'id');
    return id === undefined
      ? 2
      : operatorRequest(values, io, 'replay', {method: 'POST', path: `/v1/inbox/${id}/replay`});
  },
};
