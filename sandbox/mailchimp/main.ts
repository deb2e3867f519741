import {parseArgs} from 'node:util';
import {accessTokenOf} from './core/credentials.js';
import {createMailchimpSandbox} from './index.js';
import {OAUTH_METADATA_PATH} from './modules/oauth.js';

/** `npm run sandbox -- --port 4010 [--latency-ms 50] [--api-key KEY] [--seed N]` */
const {values} = parseArgs({
  options: {
    port: {type: 'string', default: '4010'},
    'latency-ms': {type: 'string'},
    'api-key': {type: 'string'},
    seed: {type: 'string'},
    'no-record': {type: 'boolean', default: false},
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

const sandbox = createMailchimpSandbox({
  apiKey: values['api-key'],
  latencyMs: intOption('latency-ms', values['latency-ms']),
  seed: intOption('seed', values.seed),
  recordRequests: !values['no-record'],
});
const baseUrl = await sandbox.listen(intOption('port', values.port));
console.log(`Mailchimp sandbox listening`);
console.log(`  base URL: ${baseUrl}`);
console.log(`  API key:  ${sandbox.apiKey}`);
console.log(`  OAuth:    token ${accessTokenOf(sandbox.apiKey)}, metadata ${sandbox.origin()}${OAUTH_METADATA_PATH}`);
console.log(`  controls: ${sandbox.origin()}/__sandbox/ (reset, faults, requests, stats)`);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
