import type {Kysely} from 'kysely';
import type {Database} from './schema.js';

/**
 * The Mailchimp e-commerce customers made for an address a store customer had before (`customer_email_aliases`,
 * see sync/processors/customer-identity.ts). Built on the database or on the caller's transaction.
 */
export class CustomerEmailAliasesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The aliases of these (Mailchimp) customer ids, for every address they were made for. */
  async ofCustomers(
    connectionId: string,
    customerIds: string[],
  ): Promise<Array<{customer_id: string; email: string; alias_id: string}>> {
    return this.db
      .selectFrom('customer_email_aliases')
      .select(['customer_id', 'email', 'alias_id'])
      .where('connection_id', '=', connectionId)
      .where('customer_id', 'in', customerIds)
      .execute();
  }
}
