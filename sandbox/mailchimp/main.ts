import {parseSandboxArgs} from '../sandbox-args.js';
import {accessTokenOf} from './core/credentials.js';
import {createMailchimpSandbox} from './index.js';
import {OAUTH_METADATA_PATH} from './modules/oauth.js';
import {connectorEnvBlock, createStartupAudience, STARTUP_AUDIENCE_NAME} from './startup.js';

/** `npm run sandbox -- [options]`; `--help` lists them. */
const parsed = parseSandboxArgs(process.argv.slice(2), {
  command: 'npm run sandbox',
  summary:
    'Starts the Mailchimp Marketing API stand-in with an audience and prints its base URL, API key, OAuth token and\n' +
    'a connector environment block to paste.',
  options: {
    port: {type: 'string', default: '4010', value: 'port', help: 'port to listen on (0: any free port)'},
    'latency-ms': {type: 'string', value: 'ms', help: 'delay every answer by this many milliseconds'},
    'api-key': {type: 'string', value: 'key-dc', help: 'the API key to accept (default: a generated one)'},
    seed: {type: 'string', value: 'n', help: 'seed for generated ids, for repeatable runs'},
    'no-record': {type: 'boolean', default: false, help: 'do not keep the requests for /__sandbox/requests'},
    'double-opt-in': {type: 'boolean', default: false, help: 'create the start-up audience with double opt-in'},
    'oauth-client-id': {
      type: 'string',
      value: 'id',
      help: 'an OAuth app the sandbox accepts (with --oauth-client-secret)',
    },
    'oauth-client-secret': {type: 'string', value: 'secret', help: "that OAuth app's secret"},
    'auto-approve': {
      type: 'boolean',
      default: false,
      help: 'OAuth: redirect at once instead of showing the Allow page',
    },
  },
});
if (parsed.kind === 'help') {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(parsed.line);
  process.exit(2);
}
const {values} = parsed;

function intOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const clientId = values['oauth-client-id'];
const clientSecret = values['oauth-client-secret'];
if ((clientId === undefined) !== (clientSecret === undefined) || clientId === '' || clientSecret === '') {
  console.error('--oauth-client-id and --oauth-client-secret go together (both non-empty)');
  process.exit(2);
}
const oauthClient = clientId && clientSecret ? {clientId, clientSecret} : undefined;

const sandbox = createMailchimpSandbox({
  apiKey: values['api-key'],
  latencyMs: intOption('latency-ms', values['latency-ms']),
  seed: intOption('seed', values.seed),
  recordRequests: !values['no-record'],
  oauthClients: oauthClient ? [oauthClient] : [],
  oauthAutoApprove: values['auto-approve'],
});
const baseUrl = await sandbox.listen(intOption('port', values.port));
const listId = createStartupAudience(sandbox, {doubleOptIn: values['double-opt-in']});
console.log(`Mailchimp sandbox listening`);
console.log(`  base URL: ${baseUrl}`);
console.log(`  API key:  ${sandbox.apiKey}`);
console.log(
  `  audience: "${STARTUP_AUDIENCE_NAME}" ${listId} (double opt-in ${values['double-opt-in'] ? 'on' : 'off'}; /__sandbox/reset removes it)`,
);
console.log(`  OAuth:    token ${accessTokenOf(sandbox.apiKey)}, metadata ${sandbox.origin()}${OAUTH_METADATA_PATH}`);
if (oauthClient) {
  console.log(
    `            client ${oauthClient.clientId}, authorize ${sandbox.origin()}/oauth2/authorize (${values['auto-approve'] ? 'auto-approve' : 'Allow page'}), token ${sandbox.origin()}/oauth2/token`,
  );
}
console.log(`  controls: ${sandbox.origin()}/__sandbox/ (reset, faults, requests, stats, oauth/revoke)`);
console.log('');
console.log('Connector environment:');
console.log('');
process.stdout.write(connectorEnvBlock({origin: sandbox.origin(), apiKey: sandbox.apiKey, listId, oauthClient}));
const stop = () => void sandbox.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
