import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse} from 'smol-toml';
import {APP_TOML_SCOPES, appTomlTopics, COMPLIANCE_TOPICS, rewriteAppTomlTopics} from './app-toml.js';
import {SUPPORTED_TOPICS} from './topics.js';

const text = readFileSync(join(__dirname, '..', '..', '..', 'shopify.app.toml'), 'utf8');

interface Subscription {
  topics?: string[];
  compliance_topics?: string[];
  uri?: string;
}

function subscriptions(): Subscription[] {
  const webhooks = parse(text).webhooks as {api_version?: string; subscriptions?: Subscription[]};
  return webhooks.subscriptions ?? [];
}

describe('shopify.app.toml', () => {
  it('subscribes to exactly the topics of the topic table (run `npm run shopify:toml` when this fails)', () => {
    const declared = subscriptions().flatMap((s) => s.topics ?? []);
    expect(declared).toEqual(appTomlTopics());
  });

  it('declares the three compliance topics as compliance_topics, and together they are the whole table', () => {
    const compliance = subscriptions().flatMap((s) => s.compliance_topics ?? []);
    expect(compliance).toEqual([...COMPLIANCE_TOPICS]);
    const all = [...subscriptions().flatMap((s) => s.topics ?? []), ...compliance];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...SUPPORTED_TOPICS].sort());
    expect(all).toContain('app/uninstalled');
  });

  it('delivers every subscription to the Shopify webhook route', () => {
    expect(subscriptions().length).toBeGreaterThan(0);
    for (const s of subscriptions()) expect(s.uri).toBe('/webhooks/shopify');
  });

  it('is a standalone app with the scopes the Admin API documents need', () => {
    const config = parse(text) as {
      embedded?: boolean;
      access_scopes?: {scopes?: string};
      webhooks?: {api_version?: string};
    };
    expect(config.embedded).toBe(false);
    expect(config.webhooks?.api_version).toBe('2026-01');
    const scopes = (config.access_scopes?.scopes ?? '').split(',');
    for (const scope of ['read_customers', 'write_customers', 'read_orders', 'read_all_orders', 'read_products']) {
      expect(scopes).toContain(scope);
    }
    expect(scopes).toEqual(expect.arrayContaining(['read_discounts', 'write_discounts']));
    // An install without SHOPIFY_SCOPES asks for exactly these (install/shopify-app.ts).
    expect(scopes).toEqual([...APP_TOML_SCOPES]);
  });

  it('is what `npm run shopify:toml` would write (the rewrite keeps the rest of the file)', () => {
    expect(rewriteAppTomlTopics(text)).toBe(text);
    const emptied = rewriteAppTomlTopics(text, []);
    expect(emptied).toContain('topics = []');
    expect(rewriteAppTomlTopics(emptied)).toBe(text);
  });

  it('refuses a file without a topics array', () => {
    expect(() => rewriteAppTomlTopics('name = "x"\n')).toThrow(/no `topics/);
  });
});
