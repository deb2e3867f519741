import type {InboxMapper} from '../sync/inbox-processor.js';
import {FOREIGN_LIST_TOPIC} from './mailchimp-webhook-routes.js';
import {webhookEventToStoreEvents} from './webhook-event-mapper.js';
import {parseWebhookBody} from './webhook-payload.js';

/** Mailchimp list-webhook deliveries, parsed again from the stored raw body (a replay goes through the same checks). */
export const mailchimpInboxMapper: InboxMapper = (event) => {
  if (event.topic === FOREIGN_LIST_TOPIC)
    return {ok: true, events: [{kind: 'ignored', reason: "webhook for another audience than the connection's"}]};
  const parsed = parseWebhookBody(event.payload);
  if (!parsed.ok) return {ok: false, error: parsed.error};
  return {ok: true, events: webhookEventToStoreEvents(parsed.event, undefined)};
};
