import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import {dataCenterForAccessToken, OAUTH_METADATA_URL} from '../../mailchimp/oauth-metadata.js';
import type {CliCommand} from '../cli-command.js';

/** Prints the data center (e.g. us6) of an OAuth access token, for MAILCHIMP_DC. */
export const mailchimpDcCommand: CliCommand = {
  name: 'mailchimp-dc',
  summary: 'print the Mailchimp data center of an OAuth access token',
  // The sandbox serves the same endpoint at <its origin>/oauth2/metadata (npm run sandbox prints it and its token).
  usage: `mailchimp-dc --token <access token> [--metadata-url <url>]   (default ${OAUTH_METADATA_URL}; the sandbox: http://127.0.0.1:<port>/oauth2/metadata)`,
  options: {
    token: {type: 'string'},
    'metadata-url': {type: 'string'},
  },
  async run(values, io) {
    const token = values.token;
    if (typeof token !== 'string' || token === '') {
      io.stderr.write('mailchimp-dc: --token is required\n');
      return 2;
    }
    const metadataUrl = values['metadata-url'];
    try {
      const dc = await dataCenterForAccessToken(token, typeof metadataUrl === 'string' ? {metadataUrl} : {});
      io.stdout.write(`${dc}\n`);
      return 0;
    } catch (error) {
      const reason = isMailchimpError(error, 'auth')
        ? 'the token was refused'
        : error instanceof Error
          ? error.message
          : String(error);
      io.stderr.write(`mailchimp-dc: ${reason}\n`);
      return 1;
    }
  },
};
