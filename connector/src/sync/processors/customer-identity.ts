import type {Kysely} from 'kysely';
import {isMailchimpError} from '../../mailchimp/mailchimp-error.js';
import {CustomerAliasRepository} from '../../store/customer-alias-repository.js';
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
  private readonly aliases: CustomerAliasRepository;

  constructor(
    db: Kysely<Database>,
    private readonly now: () => Date,
  ) {
    this.aliases = new CustomerAliasRepository(db);
  }

  /** The id to write under: the alias when this address needed one, else the customer's own id. */
  async resolve(connectionId: string, customerId: string, email: string): Promise<string> {
    return (await this.aliases.aliasOf(connectionId, customerId, email.trim().toLowerCase())) ?? customerId;
  }

  async remember(connectionId: string, customerId: string, email: string): Promise<string> {
    const alias = emailAliasCustomerId(customerId, email);
    await this.aliases.remember({
      connectionId,
      customerId,
      email: email.trim().toLowerCase(),
      aliasId: alias,
      now: this.now().toISOString(),
    });
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
