import type {MailchimpTransport} from '../transport.js';
import type {ListWebhook, ListWebhookCreateRequest, ListWebhooksCollection} from '../types/list-webhooks.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';

const WEBHOOKS = '/lists/{list_id}/webhooks';
const WEBHOOK = '/lists/{list_id}/webhooks/{webhook_id}';

/** Audience webhooks (Mailchimp → connector: unsubscribe, cleaned, upemail, profile …). */
export class ListWebhooksApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(listId: string, body: ListWebhookCreateRequest): Promise<ListWebhook> {
    return this.transport.request<ListWebhook, typeof WEBHOOKS>({
      method: 'POST',
      route: WEBHOOKS,
      params: {list_id: listId},
      body,
    });
  }

  /** A list has few webhooks; the endpoint is not paginated. */
  async list(listId: string): Promise<ListWebhook[]> {
    const page = await this.transport.request<ListWebhooksCollection, typeof WEBHOOKS>({
      method: 'GET',
      route: WEBHOOKS,
      params: {list_id: listId},
    });
    return page.webhooks;
  }

  get(listId: string, webhookId: string): Promise<ListWebhook | null> {
    return nullIfNotFound(
      this.transport.request<ListWebhook, typeof WEBHOOK>({
        method: 'GET',
        route: WEBHOOK,
        params: {list_id: listId, webhook_id: webhookId},
      }),
    );
  }

  /** PATCH: url, events and sources; a changed URL is validated again with a GET. */
  update(listId: string, webhookId: string, body: Partial<ListWebhookCreateRequest>): Promise<ListWebhook> {
    return this.transport.request<ListWebhook, typeof WEBHOOK>({
      method: 'PATCH',
      route: WEBHOOK,
      params: {list_id: listId, webhook_id: webhookId},
      body,
    });
  }

  delete(listId: string, webhookId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: WEBHOOK, params: {list_id: listId, webhook_id: webhookId}}),
    );
  }
}
