import type {Logger} from '../../logging/logger.js';
import {accountFromAccessToken, accountFromApiKey} from '../../mailchimp/account.js';
import type {AccountLimiters} from '../../mailchimp/account-limiters.js';
import {MailchimpClient} from '../../mailchimp/client.js';
import type {CallEvent} from '../../mailchimp/transport.js';
import {mailchimpAccountKey, type Connection, type ConnectionsRepository} from '../../store/connections-repository.js';

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
  /**
   * Mailchimp answered 401 to a client of this registry: the connection's credentials (`accountKey`, see
   * mailchimpAccountKey) were revoked or are invalid. The composition root marks the connection reconnect needed.
   */
  onCredentialsRefused?: (refusal: CredentialsRefusal) => Promise<void>;
}

/** A 401 from Mailchimp, tied to the exact credentials of the client that got it (never the credential itself). */
export interface CredentialsRefusal {
  connectionId: string;
  /** mailchimpAccountKey of the refused credentials. */
  accountKey: string;
  method: string;
  route: string;
}

interface CachedClient {
  client: MailchimpClient;
  /** mailchimpAccountKey of the credentials the client was built with. */
  accountKey: string;
}

/**
 * One Mailchimp client per connection's account (over the process-wide limiters), and the connection's target.
 *
 * A cached client is dropped when Mailchimp refuses its credentials (401) and rebuilt when the connection's stored
 * credentials change (a reconnect: `connection.mailchimpAccount` differs from the client's, or forget()), so a new
 * token is used at once, in this process and, by the comparison, in every other one.
 */
export class ClientRegistry implements ConnectionTargets {
  private readonly clients = new Map<string, CachedClient>();
  /** The reconnect-needed marks under way after a 401, by connection (settled() waits for them). */
  private readonly refusals = new Map<string, Promise<void>>();

  constructor(private readonly options: ClientRegistryOptions) {}

  /** Drops the cached client of a connection (its credentials changed). */
  forget(connectionId: string): void {
    this.clients.delete(connectionId);
  }

  /** Resolves when the handling of the connection's latest 401 (its reconnect-needed mark) is done. */
  async refusalSettled(connectionId: string): Promise<void> {
    await this.refusals.get(connectionId);
  }

  async target(connectionId: string): Promise<ConnectionTarget> {
    const connection = await this.options.connections.byId(connectionId);
    if (!connection) throw new Error(`connection ${connectionId} no longer exists`);
    if (!connection.mailchimpListId)
      throw new Error(`connection ${connection.shopDomain} has no Mailchimp audience (MAILCHIMP_LIST_ID)`);
    const client = await this.clientFor(connection);
    return {connection, client, listId: connection.mailchimpListId, storeId: connection.mailchimpStoreId};
  }

  async clientFor(connection: Connection): Promise<MailchimpClient> {
    const cached = this.clients.get(connection.id);
    // The stored credentials changed since the client was built (a reconnect, maybe by another process): rebuild.
    if (cached && (!connection.mailchimpAccount || cached.accountKey === connection.mailchimpAccount))
      return cached.client;
    const credentials = await this.options.connections.mailchimpCredentials(connection.id);
    const accountKey = mailchimpAccountKey(credentials);
    const account =
      credentials.kind === 'api_key'
        ? accountFromApiKey(credentials.apiKey, {baseUrl: credentials.baseUrl})
        : accountFromAccessToken(credentials.accessToken, credentials.dc, {baseUrl: credentials.baseUrl});
    const client: MailchimpClient = new MailchimpClient({
      account,
      limiters: this.options.limiters,
      timeoutMs: this.options.timeoutMs,
      retry: this.options.retry,
      logger: this.options.logger.child({module: 'mailchimp'}),
      onCall: (event) => {
        this.options.onCall?.(event);
        if (event.status === 401)
          this.refused(client, {connectionId: connection.id, accountKey, method: event.method, route: event.route});
      },
    });
    this.clients.set(connection.id, {client, accountKey});
    return client;
  }

  /** A 401 (called before the error reaches the caller): drop the client and start the reconnect-needed mark. */
  private refused(client: MailchimpClient, refusal: CredentialsRefusal): void {
    if (this.clients.get(refusal.connectionId)?.client === client) this.clients.delete(refusal.connectionId);
    const hook = this.options.onCredentialsRefused;
    if (!hook) return;
    const previous = this.refusals.get(refusal.connectionId) ?? Promise.resolve();
    const done = previous
      .then(() => hook(refusal))
      .catch((err: unknown) =>
        this.options.logger.error(
          {err, connectionId: refusal.connectionId},
          'marking Mailchimp reconnect needed failed',
        ),
      );
    this.refusals.set(refusal.connectionId, done);
    void done.finally(() => {
      if (this.refusals.get(refusal.connectionId) === done) this.refusals.delete(refusal.connectionId);
    });
  }
}
