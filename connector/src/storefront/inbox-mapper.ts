import type {InboxMapper} from '../sync/inbox-processor.js';
import {parseStorefrontPayload, storefrontStoreEvent} from './storefront-consent.js';

/** Inbox mapper of the `storefront` source. */
export const storefrontInboxMapper: InboxMapper = (event) => {
  const parsed = parseStorefrontPayload(event.payload);
  return parsed.ok
    ? {ok: true, events: [storefrontStoreEvent(parsed.payload, event.id)]}
    : {ok: false, error: parsed.error};
};
