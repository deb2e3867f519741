import {mailchimpInboxMapper} from '../mailchimp-webhooks/inbox-mapper.js';
import {shopifyInboxMapper} from '../shopify/inbox-mapper.js';
import type {InboxEvent} from '../store/inbox-repository.js';
import {storefrontInboxMapper} from '../storefront/inbox-mapper.js';
import type {InboxMapper} from '../sync/inbox-processor.js';
import {ingestInboxMapper} from './generic/inbox-mapper.js';

/** The inbox mapper of each source; each mapper lives with its source. */
export const inboxMappers: Record<InboxEvent['source'], InboxMapper> = {
  shopify: shopifyInboxMapper,
  ingest: ingestInboxMapper,
  storefront: storefrontInboxMapper,
  mailchimp: mailchimpInboxMapper,
};
