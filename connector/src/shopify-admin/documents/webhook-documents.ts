import {defineDocument, type PageInfo} from './admin-document.js';
import type {MutationPayload} from './mutation-documents.js';

/** A per-shop webhook subscription as the install's check reads it (`uri`: its HTTPS address). */
export interface WebhookSubscriptionNode {
  id: string;
  /** The GraphQL enum value, e.g. `CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE`. */
  topic: string;
  uri: string;
}

export const WEBHOOK_SUBSCRIPTIONS_PAGE_SIZE = 100;

/** The shop's per-shop subscriptions (those of the TOML are not listed), a page at a time. */
export const WEBHOOK_SUBSCRIPTIONS_PAGE = defineDocument<
  {webhookSubscriptions: {nodes: WebhookSubscriptionNode[]; pageInfo: PageInfo}},
  {first: number; after?: string | null}
>(`
  query WebhookSubscriptionsPage($first: Int!, $after: String) {
    webhookSubscriptions(first: $first, after: $after) {
      nodes { id topic uri }
      pageInfo { hasNextPage endCursor }
    }
  }`);

export const WEBHOOK_SUBSCRIPTION_CREATE = defineDocument<
  {
    webhookSubscriptionCreate: (MutationPayload & {webhookSubscription: WebhookSubscriptionNode | null}) | null;
  },
  {topic: string; uri: string}
>(`
  mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) {
      webhookSubscription { id topic uri }
      userErrors { field message }
    }
  }`);
