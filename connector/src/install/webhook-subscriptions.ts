import type {Logger} from '../logging/logger.js';
import type {ShopifyAdminClient} from '../shopify-admin/admin-client.js';
import {ShopifyUserErrors} from '../shopify-admin/admin-errors.js';
import {
  WEBHOOK_SUBSCRIPTION_CREATE,
  WEBHOOK_SUBSCRIPTIONS_PAGE,
  WEBHOOK_SUBSCRIPTIONS_PAGE_SIZE,
} from '../shopify-admin/documents/webhook-documents.js';
import {appTomlTopics} from '../shopify/app-toml.js';
import type {ConnectionsRepository, ShopifyWebhooksState} from '../store/connections-repository.js';

/**
 * The topics an installed shop needs a per-shop subscription for: every topic the connector handles except the
 * three compliance topics (`customers/data_request`, `customers/redact`, `shop/redact`). Those exist only as
 * app-level subscriptions (`compliance_topics` in shopify.app.toml, set in the Partner Dashboard / `shopify app
 * deploy`): `webhookSubscriptionCreate` has no topic for them (neither has the stand-in's enum).
 */
export function shopWebhookTopics(): string[] {
  return appTomlTopics();
}

/** `customers_email_marketing_consent/update` → `CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE` (the GraphQL enum). */
export function topicEnum(topic: string): string {
  return topic.replace(/\//g, '_').toUpperCase();
}

export interface EnsureWebhooksOptions {
  client: ShopifyAdminClient;
  connections: ConnectionsRepository;
  connectionId: string;
  /** `<PUBLIC_URL>/webhooks/shopify`. */
  callbackUrl: string;
  now: () => Date;
  logger: Logger;
}

/**
 * Makes sure the shop has a subscription to `callbackUrl` for every topic (at install, then periodically): lists
 * the shop's subscriptions (all pages), creates the missing ones, and records the outcome on the connection.
 * Subscriptions of other addresses (another app, an older URL of this one) are left alone. Never throws for a
 * Shopify failure: the state records it (`error`, `missing`) and the next check tries again.
 */
const CREATE_CONCURRENCY = 4;

export async function ensureWebhookSubscriptions(options: EnsureWebhooksOptions): Promise<ShopifyWebhooksState> {
  const {client, callbackUrl} = options;
  const wanted = shopWebhookTopics();
  const subscribed = new Set<string>();
  const created: string[] = [];
  const missing: string[] = [];
  let error: string | undefined;
  try {
    const present = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const page: {
        webhookSubscriptions: {
          nodes: {topic: string; uri: string}[];
          pageInfo: {hasNextPage: boolean; endCursor: string | null};
        };
      } = await client.query(WEBHOOK_SUBSCRIPTIONS_PAGE, {first: WEBHOOK_SUBSCRIPTIONS_PAGE_SIZE, after});
      for (const node of page.webhookSubscriptions.nodes) if (node.uri === callbackUrl) present.add(node.topic);
      const {hasNextPage, endCursor} = page.webhookSubscriptions.pageInfo;
      if (!hasNextPage || !endCursor) break;
      after = endCursor;
    }
    const toCreate = wanted.filter((topic) => {
      if (present.has(topicEnum(topic))) subscribed.add(topic);
      return !present.has(topicEnum(topic));
    });
    // A few creations at a time (the install callback waits for them; one by one they would take ~17 round trips),
    // well inside the cost bucket: a mutation costs 10 points.
    let next = 0;
    const createNext = async (): Promise<void> => {
      while (next < toCreate.length) {
        const topic = toCreate[next++]!;
        try {
          await client.mutate(
            WEBHOOK_SUBSCRIPTION_CREATE,
            {topic: topicEnum(topic), uri: callbackUrl},
            'webhookSubscriptionCreate',
          );
          subscribed.add(topic);
          created.push(topic);
        } catch (err) {
          if (!(err instanceof ShopifyUserErrors)) throw err;
          missing.push(topic);
          error = err.message;
        }
      }
    };
    const results = await Promise.allSettled(
      Array.from({length: Math.min(CREATE_CONCURRENCY, toCreate.length)}, createNext),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    for (const topic of wanted) if (!subscribed.has(topic) && !missing.includes(topic)) missing.push(topic);
  }
  const state: ShopifyWebhooksState = {
    checkedAt: options.now().toISOString(),
    callbackUrl,
    subscribed: wanted.filter((topic) => subscribed.has(topic)),
    created: wanted.filter((topic) => created.includes(topic)),
    missing: wanted.filter((topic) => missing.includes(topic)),
    ...(error ? {error} : {}),
  };
  await options.connections.recordShopifyWebhooks(options.connectionId, state);
  if (created.length > 0 || missing.length > 0)
    options.logger.info(
      {connectionId: options.connectionId, created, missing, error},
      missing.length > 0 ? 'Shopify webhook subscriptions incomplete' : 'Shopify webhook subscriptions repaired',
    );
  return state;
}
