import type {CliCommand} from '../cli-command.js';
import {operatorOptions, OPERATOR_USAGE, operatorRequest} from '../operator-request.js';

/** GET /v1/audience/stats. */
export const audienceStatsCommand: CliCommand = {
  name: 'audience-stats',
  summary: 'audience members by status and their growth between snapshots (--refresh takes a snapshot first)',
  usage: `audience-stats [--refresh] ${OPERATOR_USAGE}`,
  options: {...operatorOptions, refresh: {type: 'boolean'}},
  run: (values, io) =>
    operatorRequest(values, io, 'audience-stats', {
      method: 'GET',
      path: '/v1/audience/stats',
      query: {refresh: values.refresh === true ? '1' : undefined},
    }),
};
