import type {Kysely} from 'kysely';
import type {Database} from './schema.js';

/** The e-mail addresses of known people by platform customer id. */
export class CustomerEmailRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async emailsByCustomerId(connectionId: string, customerIds: readonly string[]): Promise<Map<string, string>> {
    if (customerIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('people')
      .select(['customer_id', 'email'])
      .where('connection_id', '=', connectionId)
      .where('customer_id', 'in', [...customerIds])
      .execute();
    return new Map(rows.filter((r) => r.customer_id !== null).map((r) => [r.customer_id!, r.email]));
  }
}
