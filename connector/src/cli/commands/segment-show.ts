import type {CliCommand} from '../cli-command.js';
import {operatorOptions, OPERATOR_USAGE, operatorRequest, positiveInt} from '../operator-request.js';

/** GET /v1/segments/:id: the segment with a fresh preview (local count next to Mailchimp's). */
export const segmentShowCommand: CliCommand = {
  name: 'segment-show',
  summary: "a segment with a fresh preview: the expected member count from local data next to Mailchimp's",
  usage: `segment-show --id <segment id> ${OPERATOR_USAGE}`,
  options: {...operatorOptions, id: {type: 'string'}},
  async run(values, io) {
    const id = positiveInt(values, io, 'segment-show', 'id');
    return id === undefined
      ? 2
      : operatorRequest(values, io, 'segment-show', {method: 'GET', path: `/v1/segments/${id}`});
  },
};
