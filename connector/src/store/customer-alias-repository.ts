import type {Kysely} from 'kysely';
import type {Database} from './schema.js';

/** Alias Mailchimp customer ids per (customer, e-mail address), after an e-mail change (customer-identity.ts). */
export class CustomerAliasRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The alias remembered for this customer and (normalised) address, if any. */
  async aliasOf(connectionId: string, customerId: string, email: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('customer_email_aliases')
      .select('alias_id')
      .where('connection_id', '=', connectionId)
      .where('customer_id', '=', customerId)
      .where('email', '=', email)
      .executeTakeFirst();
    return row?.alias_id;
  }

  /** Remembers an alias; an existing one for the same customer and address is kept. */
  async remember(alias: {connectionId: string; customerId: string; email: string; aliasId: string; now: string}) {
    await this.db
      .insertInto('customer_email_aliases')
      .values({
        connection_id: alias.connectionId,
        customer_id: alias.customerId,
        email: alias.email,
        alias_id: alias.aliasId,
        created_at: alias.now,
      })
      .onConflict((oc) => oc.columns(['connection_id', 'customer_id', 'email']).doNothing())
      .execute();
  }
}
