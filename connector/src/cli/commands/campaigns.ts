import type {CliCommand} from '../cli-command.js';
import {operatorOptions, OPERATOR_USAGE, operatorRequest} from '../operator-request.js';

/** GET /v1/campaigns (stored; --refresh pulls from Mailchimp first). */
export const campaignsCommand: CliCommand = {
  name: 'campaigns',
  summary: "the audience's campaigns with their stored reports (--refresh pulls them from Mailchimp first)",
  usage: `campaigns [--refresh] ${OPERATOR_USAGE}`,
  options: {...operatorOptions, refresh: {type: 'boolean'}},
  run: (values, io) =>
    operatorRequest(values, io, 'campaigns', {
      method: 'GET',
      path: '/v1/campaigns',
      query: {refresh: values.refresh === true ? '1' : undefined},
    }),
};
