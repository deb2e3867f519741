import {createHash, randomBytes} from 'node:crypto';
import type {Kysely, Selectable} from 'kysely';
import type {SecretBox} from '../security/secret-box.js';
import type {Database, MailchimpWebhooksTable} from '../store/schema.js';

export type WebhookRegistration = Selectable<MailchimpWebhooksTable>;

export const hashWebhookToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The list webhook of each connection: its secret URL token (sealed; looked up by hash when a delivery arrives) and
 * what the last registration check found.
 */
export class WebhookRegistrationsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async byToken(token: string): Promise<WebhookRegistration | undefined> {
    return this.db
      .selectFrom('mailchimp_webhooks')
      .selectAll()
      .where('token_hash', '=', hashWebhookToken(token))
      .executeTakeFirst();
  }

  async get(connectionId: string): Promise<WebhookRegistration | undefined> {
    return this.db
      .selectFrom('mailchimp_webhooks')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
  }

  /** The connection's token, made on first use; a changed audience keeps the token and updates the list id. */
  async tokenFor(connectionId: string, listId: string, now: string): Promise<string> {
    const existing = await this.get(connectionId);
    if (existing) {
      if (existing.list_id !== listId)
        await this.db
          .updateTable('mailchimp_webhooks')
          .set({list_id: listId, webhook_id: null, updated_at: now})
          .where('connection_id', '=', connectionId)
          .execute();
      return this.box.open(existing.token_sealed);
    }
    const token = randomBytes(24).toString('base64url');
    await this.db
      .insertInto('mailchimp_webhooks')
      .values({
        connection_id: connectionId,
        list_id: listId,
        token_hash: hashWebhookToken(token),
        token_sealed: this.box.seal(token),
        webhook_id: null,
        url_base: null,
        status: 'unregistered',
        last_checked_at: null,
        last_repair: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('connection_id').doNothing())
      .execute();
    // Another process may have created it first: its token wins.
    const row = (await this.get(connectionId))!;
    return this.box.open(row.token_sealed);
  }

  /**
   * Takes the connection's check lease for `holder` until `until` when nobody holds it or the holder's lease has
   * lapsed (`now` or earlier). One conditional UPDATE: concurrent takers, in this process or another, cannot both
   * succeed (Postgres re-evaluates the condition on the locked row; SQLite serialises writes). The row exists
   * (tokenFor runs first); without it nothing is taken.
   */
  async takeCheckLease(connectionId: string, holder: string, now: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable('mailchimp_webhooks')
      .set({check_holder: holder, check_lease_until: until})
      .where('connection_id', '=', connectionId)
      .where((eb) => eb.or([eb('check_lease_until', 'is', null), eb('check_lease_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Moves the holder's lease on to `until`; false when it is no longer the holder (its lease lapsed and was taken). */
  async extendCheckLease(connectionId: string, holder: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable('mailchimp_webhooks')
      .set({check_lease_until: until})
      .where('connection_id', '=', connectionId)
      .where('check_holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives the lease back, if `holder` still has it. */
  async releaseCheckLease(connectionId: string, holder: string): Promise<void> {
    await this.db
      .updateTable('mailchimp_webhooks')
      .set({check_holder: null, check_lease_until: null})
      .where('connection_id', '=', connectionId)
      .where('check_holder', '=', holder)
      .execute();
  }

  async recordCheck(
    connectionId: string,
    result: {
      status: WebhookRegistration['status'];
      webhookId?: string | null;
      urlBase?: string | null;
      repair?: string | null;
      error?: string | null;
      at: string;
    },
  ): Promise<void> {
    await this.db
      .updateTable('mailchimp_webhooks')
      .set({
        status: result.status,
        ...(result.webhookId !== undefined ? {webhook_id: result.webhookId} : {}),
        ...(result.urlBase !== undefined ? {url_base: result.urlBase} : {}),
        last_repair: result.repair ?? null,
        last_error: result.error ?? null,
        last_checked_at: result.at,
        updated_at: result.at,
      })
      .where('connection_id', '=', connectionId)
      .execute();
  }
}
