import type {CliCommand} from '../cli-command.js';
import {operatorOptions, OPERATOR_USAGE, operatorRequest} from '../operator-request.js';

/** GET /v1/segments. */
export const segmentsCommand: CliCommand = {
  name: 'segments',
  summary: 'list the segments with the counts taken last',
  usage: `segments ${OPERATOR_USAGE}`,
  options: operatorOptions,
  run: (values, io) => operatorRequest(values, io, 'segments', {method: 'GET', path: '/v1/segments'}),
};
