import type {MailchimpTransport} from '../transport.js';
import type {ListWebhook, ListWebhookCreateRequest, ListWebhooksCollection} from '../types/list-webhooks.js';
import {falseIfNotFound} from './not-found.js';

const WEBHOOKS = '/lists/{list_id}/webhooks';
const WEBHOOK = '/lists/{list_id}/webhooks/{webhook_id}';

/** Audience webhooks (Mailchimp → connector: unsubscribe, cleaned, upemail, profile …). */
export class ListWebhooksApi {
  constructor(private readonly transport: MailchimpTransport) {}

  create(listId: string, body: ListWebhookCreateRequest): Promise<ListWebhook> {
    return this.transport.request<ListWebhook, typeof WEBHOOKS>({method: 'POST', route: WEBHOOKS, params: {list_id: listId}, body});
  }

  /** A list has few webhooks; the endpoint is not paginated. */
  async list(listId: string): Promise<ListWebhook[]> {
    const page = await this.transport.request<ListWebhooksCollection, typeof WEBHOOKS>({method: 'GET', route: WEBHOOKS, params: {list_id: listId}});
    return page.webhooks;
  }

  delete(listId: string, webhookId: string): Promise<boolean> {
    return falseIfNotFound(this.transport.request({method: 'DELETE', route: WEBHOOK, params: {list_id: listId, webhook_id: webhookId}}));
  }
}
