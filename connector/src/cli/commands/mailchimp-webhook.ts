import type {CliCommand} from '../cli-command.js';
import {operatorOptions, OPERATOR_USAGE, operatorRequest} from '../operator-request.js';

/** GET /v1/mailchimp/webhook, or with --check POST /v1/mailchimp/webhook/check (register or repair now). */
export const mailchimpWebhookCommand: CliCommand = {
  name: 'mailchimp-webhook',
  summary: "the Mailchimp list webhook's state; --check registers or repairs it now",
  usage: `mailchimp-webhook [--check] ${OPERATOR_USAGE}`,
  options: {...operatorOptions, check: {type: 'boolean'}},
  run: (values, io) =>
    values.check === true
      ? operatorRequest(values, io, 'mailchimp-webhook', {method: 'POST', path: '/v1/mailchimp/webhook/check'})
      : operatorRequest(values, io, 'mailchimp-webhook', {method: 'GET', path: '/v1/mailchimp/webhook'}),
};
