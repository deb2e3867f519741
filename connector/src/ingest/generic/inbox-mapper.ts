import type {InboxMapper} from '../../sync/inbox-processor.js';
import {withShopCurrency} from '../stated-shop-currency.js';
import {parseEventsBody} from './parse-events-body.js';
import {toStoreEvent} from './to-store-events.js';

/** Generic ingest: one validated event per inbox row, validated again so that a replay cannot bypass the schema. */
export const ingestInboxMapper: InboxMapper = (event) => {
  const parsed = parseEventsBody({events: [JSON.parse(event.payload) as unknown]});
  if (!parsed.ok) return {ok: false, error: parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ')};
  const events = parsed.events.map(toStoreEvent);
  // A generic-ingest product states the currency of its prices (required), so it tells the shop's currency too.
  return withShopCurrency({ok: true, events}, events, {products: true});
};
