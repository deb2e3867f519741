// `npm run shopify:toml`: rewrites the webhook topics of shopify.app.toml from the connector's topic table
// (connector/src/shopify/topics.ts), keeping the rest of the file, then checks that the result parses.
import {readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse} from 'smol-toml';
import {appTomlTopics, rewriteAppTomlTopics} from '../connector/src/shopify/app-toml.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'shopify.app.toml');
const before = readFileSync(file, 'utf8');
const after = rewriteAppTomlTopics(before, appTomlTopics());
parse(after);
if (after === before) {
  process.stdout.write('shopify.app.toml: topics already match connector/src/shopify/topics.ts\n');
} else {
  writeFileSync(file, after);
  process.stdout.write(`shopify.app.toml: ${appTomlTopics().length} topics written\n`);
}
