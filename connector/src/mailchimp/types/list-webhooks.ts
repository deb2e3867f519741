import type {CollectionMeta, Link} from './common.js';

export interface ListWebhookEvents {
  subscribe?: boolean;
  unsubscribe?: boolean;
  profile?: boolean;
  cleaned?: boolean;
  upemail?: boolean;
  campaign?: boolean;
}

export interface ListWebhookSources {
  user?: boolean;
  admin?: boolean;
  api?: boolean;
}

/**
 * POST /lists/{list_id}/webhooks. Mailchimp GETs the URL first and refuses it unless it answers 200; put a secret
 * in the URL, deliveries are not signed.
 */
export interface ListWebhookCreateRequest {
  url: string;
  events?: ListWebhookEvents;
  sources?: ListWebhookSources;
}

export interface ListWebhook {
  id: string;
  url: string;
  events: Required<ListWebhookEvents>;
  sources: Required<ListWebhookSources>;
  list_id: string;
  _links?: Link[];
}

export interface ListWebhooksCollection extends CollectionMeta {
  webhooks: ListWebhook[];
  list_id: string;
}
