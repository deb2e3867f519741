import type {CliCommand} from '../cli-command.js';
import {operatorOptions, OPERATOR_USAGE, operatorRequest} from '../operator-request.js';

/** GET /v1/campaigns/:id/report. */
export const campaignReportCommand: CliCommand = {
  name: 'campaign-report',
  summary:
    'the stored report of a campaign: sent, opens, clicks, bounces, unsubscribes, orders and revenue (--refresh pulls it first)',
  usage: `campaign-report --id <campaign id> [--refresh] ${OPERATOR_USAGE}`,
  options: {...operatorOptions, id: {type: 'string'}, refresh: {type: 'boolean'}},
  async run(values, io) {
    if (typeof values.id !== 'string' || values.id === '') {
      io.stderr.write('campaign-report: --id is required\n');
      return 2;
    }
    return operatorRequest(values, io, 'campaign-report', {
      method: 'GET',
      path: `/v1/campaigns/${encodeURIComponent(values.id)}/report`,
      query: {refresh: values.refresh === true ? '1' : undefined},
    });
  },
};
