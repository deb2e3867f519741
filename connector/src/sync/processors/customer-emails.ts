import type {Kysely} from 'kysely';
import {CustomerEmailRepository} from '../../store/customer-email-repository.js';
import type {Database} from '../../store/schema.js';

/**
 * The e-mail addresses the connector knows for platform customer ids (an order or cart may name a customer by id
 * only; Mailchimp needs the address to create the customer, so a customer with none cannot hold orders there).
 */
export interface EmailLookup {
  emailsOfCustomers(connectionId: string, customerIds: string[]): Promise<Map<string, string>>;
}

export class CustomerEmails implements EmailLookup {
  private readonly repository: CustomerEmailRepository;

  constructor(db: Kysely<Database>) {
    this.repository = new CustomerEmailRepository(db);
  }

  emailsOfCustomers(connectionId: string, customerIds: string[]): Promise<Map<string, string>> {
    return this.repository.emailsByCustomerId(connectionId, [...new Set(customerIds)]);
  }
}
