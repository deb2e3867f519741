import type {Connection} from '../../store/connections-repository.js';

/** The store currency and name a connection's Mailchimp store is created with. */
export function storeSettings(connection: Connection): {currency: string; name?: string} {
  return {currency: connection.settings.currency ?? 'USD', name: connection.settings.storeName};
}
