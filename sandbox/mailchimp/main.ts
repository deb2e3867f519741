import {parseArgs} from 'node:util';
import {accessTokenOf} from './core/credentials.js';
import {createMailchimpSandbox} from './index.js';
import {OAUTH_METADATA_PATH} from './modules/oauth.js';
import {connectorEnvBlock, createStartupAudience, STARTUP_AUDIENCE_NAME} from './startup.js';

/**
 * `npm run sandbox -- --port 4010 [--latency-ms 50] [--api-key KEY] [--seed N] [--double-opt-in]
 * [--oauth-client-id ID --oauth-client-secret SECRET [--auto-approve]]`
 */
const {values} = parseArgs({
  options: {
    port: {type: 'string', default: '4010'},
    'latency-ms': {type: 'string'},
    'api-key': {type: 'string'},
    seed: {type: 'string'},
    'no-record': {type: 'boolean', default: false},
    'double-opt-in': {type: 'boolean', default: false},
    'oauth-client-id': {type: 'string'},
    'oauth-client-secret': {type: 'string'},
    'auto-approve': {type: 'boolean', default: false},
  },
});

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
