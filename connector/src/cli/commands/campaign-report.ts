import type {CliCommand} from '../cli-command.js';
import {cliWording, missingReportDetail} from '../../campaigns/missing-report.js';
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
    const id = values.id;
    return operatorRequest(values, io, 'campaign-report', {
      method: 'GET',
      path: `/v1/campaigns/${encodeURIComponent(id)}/report`,
      query: {refresh: values.refresh === true ? '1' : undefined},
      // The API words "no report yet" with ?refresh=1; here the same facts name the --refresh flag.
      explainProblem: (doc) =>
        typeof doc.type === 'string' && doc.type.endsWith('/report-not-found')
          ? missingReportDetail(
              {
                campaignId: id,
                status: typeof doc.campaign_status === 'string' ? doc.campaign_status : undefined,
                refreshed: doc.refreshed === true,
              },
              cliWording(id),
            )
          : undefined,
    });
  },
};
