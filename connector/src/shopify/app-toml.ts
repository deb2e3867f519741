import {SUPPORTED_TOPICS} from './topics.js';

/** The mandatory privacy webhooks: declared in `shopify.app.toml` as `compliance_topics`, not as `topics`. */
export const COMPLIANCE_TOPICS: readonly string[] = Object.freeze([
  'customers/data_request',
  'customers/redact',
  'shop/redact',
]);

/**
 * The access scopes an install asks for when SHOPIFY_SCOPES is unset: the `[access_scopes] scopes` of
 * shopify.app.toml (app-toml.test.ts keeps them equal).
 */
export const APP_TOML_SCOPES: readonly string[] = Object.freeze([
  'read_customers',
  'write_customers',
  'read_products',
  'read_orders',
  'read_all_orders',
  'read_discounts',
  'write_discounts',
]);

/** The ordinary topics of `shopify.app.toml`: every topic the connector maps except the compliance ones. */
export function appTomlTopics(): string[] {
  return SUPPORTED_TOPICS.filter((topic) => !COMPLIANCE_TOPICS.includes(topic));
}

/** Matches the first `topics = [...]` line of the file (possibly spread over several lines). */
const TOPICS_ARRAY = /^topics\s*=\s*\[[^\]]*\]/m;

/**
 * `shopify.app.toml` with its `topics = [...]` array replaced by `topics` (one per line), everything else kept
 * byte for byte. Throws when the file has no such array.
 */
export function rewriteAppTomlTopics(text: string, topics: readonly string[] = appTomlTopics()): string {
  if (!TOPICS_ARRAY.test(text)) throw new Error('shopify.app.toml: no `topics = [...]` array to rewrite');
  const array = topics.length === 0 ? '[]' : `[\n${topics.map((topic) => `  ${JSON.stringify(topic)},`).join('\n')}\n]`;
  return text.replace(TOPICS_ARRAY, () => `topics = ${array}`);
}
