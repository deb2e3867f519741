import {readFileSync} from 'node:fs';
import type {CliCommand} from '../cli-command.js';
import {jsonArgument, operatorOptions, OPERATOR_USAGE, operatorRequest} from '../operator-request.js';

/** POST /v1/segments: from a JSON file, or from --name, --match and one --condition per condition. */
export const segmentCreateCommand: CliCommand = {
  name: 'segment-create',
  summary: 'define a segment and create it in Mailchimp; prints it with its Mailchimp id and both member counts',
  usage: `segment-create (--file segment.json | --name <name> --match all|any --condition '<json>' [--condition …]) ${OPERATOR_USAGE}`,
  options: {
    ...operatorOptions,
    file: {type: 'string'},
    name: {type: 'string'},
    match: {type: 'string'},
    condition: {type: 'string', multiple: true},
  },
  async run(values, io) {
    let body: unknown;
    if (typeof values.file === 'string') {
      body = jsonArgument(readFileSync(values.file, 'utf8'), io, 'segment-create', values.file);
      if (body === undefined) return 2;
    } else {
      const conditions = Array.isArray(values.condition) ? values.condition : [];
      if (typeof values.name !== 'string' || typeof values.match !== 'string' || conditions.length === 0) {
        io.stderr.write(
          `segment-create: give --file, or --name, --match and at least one --condition\nusage: ${segmentCreateCommand.usage}\n`,
        );
        return 2;
      }
      const parsed = conditions.map((c) => jsonArgument(String(c), io, 'segment-create', `--condition ${String(c)}`));
      if (parsed.some((c) => c === undefined)) return 2;
      body = {name: values.name, match: values.match, conditions: parsed};
    }
    return operatorRequest(values, io, 'segment-create', {method: 'POST', path: '/v1/segments', body});
  },
};
