import type {Logger} from '../../logging/logger.js';
import {accountFromAccessToken, accountFromApiKey} from '../../mailchimp/account.js';
import type {AccountLimiters} from '../../mailchimp/account-limiters.js';
import {MailchimpClient} from '../../mailchimp/client.js';
import type {CallEvent} from '../../mailchimp/transport.js';
import type {Connection, ConnectionsRepository} from '../../store/connections-repository.js';

/** What a processor works with for one connection. */
export interface ConnectionTarget {
  connection: Connection;
  client: MailchimpClient;
  listId: string;
  storeId: string;
}

/** Where a processor gets a connection's Mailchimp side. */
export interface ConnectionTargets {
  target(connectionId: string): Promise<ConnectionTarget>;
}

export interface ClientRegistryOptions {
  connections: ConnectionsRepository;
  limiters: AccountLimiters;
  logger: Logger;
  timeoutMs?: number;
  retry?: ConstructorParameters<typeof MailchimpClient>[0]['retry'];
  onCall?: (event: CallEvent) => void;
}

/** One Mailchimp client per connection's account (over the process-wide limiters), and the connection's target. */
export class ClientRegistry implements ConnectionTargets {
  private readonly clients = new Map<string, MailchimpClient>();

  constructor(private readonly options: ClientRegistryOptions) {}

  async target(connectionId: string): Promise<ConnectionTarget> {
    const connection = await this.options.connections.byId(connectionId);
    if (!connection) throw new Error(`connection ${connectionId} no longer exists`);
    if (!connection.mailchimpListId)
      throw new Error(`connection ${connection.shopDomain} has no Mailchimp audience (MAILCHIMP_LIST_ID)`);
    const client = await this.clientFor(connection);
    return {connection, client, listId: connection.mailchimpListId, storeId: connection.mailchimpStoreId};
  }

  async clientFor(connection: Connection): Promise<MailchimpClient> {
    let client = this.clients.get(connection.id);
    if (!client) {
      const credentials = await this.options.connections.mailchimpCredentials(connection.id);
      const account =
        credentials.kind === 'api_key'
          ? accountFromApiKey(credentials.apiKey, {baseUrl: credentials.baseUrl})
          : accountFromAccessToken(credentials.accessToken, credentials.dc, {baseUrl: credentials.baseUrl});
      client = new MailchimpClient({
        account,
        limiters: this.options.limiters,
        timeoutMs: this.options.timeoutMs,
        retry: this.options.retry,
        logger: this.options.logger.child({module: 'mailchimp'}),
        onCall: this.options.onCall,
      });
      this.clients.set(connection.id, client);
    }
    return client;
  }
}
