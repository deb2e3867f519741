import type {Kysely} from 'kysely';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import type {Database} from '../../store/schema.js';
import {emailAliasCustomerId} from '../mappers/ecommerce-ids.js';

/**
 * Which Mailchimp e-commerce customer id a (customer, e-mail) pair writes to. Mailchimp binds a customer id to the
 * first address it saw and refuses another one on the customer, on orders and on carts (`email_immutable`). After
 * an e-mail change the customer continues under a deterministic alias id (emailAliasCustomerId); the alias is
 * remembered so later writes go straight to it instead of paying a refused call each time. Orders placed under
 * the old address keep their old customer: that is where Mailchimp already counted them.
 */
export class CustomerIdentities {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
  ) {}

  /** The id to write under: the alias when this address needed one, else the customer's own id. */
  async resolve(connectionId: string, customerId: string, email: string): Promise<string> {
    const row = await this.db
      .selectFrom('customer_email_aliases')
      .select('alias_id')
      .where('connection_id', '=', connectionId)
      .where('customer_id', '=', customerId)
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return row?.alias_id ?? customerId;
  }

  async remember(connectionId: string, customerId: string, email: string): Promise<string> {
    const alias = emailAliasCustomerId(customerId, email);
    await this.db
      .insertInto('customer_email_aliases')
      .values({
        connection_id: connectionId,
        customer_id: customerId,
        email: email.trim().toLowerCase(),
        alias_id: alias,
        created_at: this.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(['connection_id', 'customer_id', 'email']).doNothing())
      .execute();
    return alias;
  }

  /**
   * Runs a write that names a customer: under the resolved id, and once more under the alias when Mailchimp says
   * the customer id belongs to another address. Guest ids (derived from the address) never conflict.
   */
  async write(
    connectionId: string,
    customer: {id: string; email_address?: string},
    send: (customerId: string) => Promise<void>,
  ): Promise<void> {
    const email = customer.email_address;
    if (!email) return send(customer.id);
    const resolved = await this.resolve(connectionId, customer.id, email);
    try {
      await send(resolved);
    } catch (err) {
      if (resolved !== customer.id || !isMailchimpError(err, 'email_immutable')) throw err;
      await send(await this.remember(connectionId, customer.id, email));
    }
  }
}
