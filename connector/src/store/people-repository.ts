import type {Kysely, Selectable} from 'kysely';
import {nextOptInSources, type Consent, type ConsentSource} from '../model/consent.js';
import type {Order} from '../model/entities.js';
import {stableStringify} from '../sync/stable-json.js';
import type {Engine} from './database.js';
import type {Database, PeopleTable} from './schema.js';

export type PersonRow = Selectable<PeopleTable>;

export interface PersonFacts {
  customerId?: string;
  firstName?: string;
  lastName?: string;
}

/**
 * What the connector knows of the people of a connection (`people`: address, store customer, names, newest consent)
 * and their purchases (`purchases`). Built on the database or on the caller's transaction.
 */
export class PeopleRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  /** Updates what we know of a person; a consent only replaces an older one (late webhook retries carry old payloads). */
  async remember(
    connectionId: string,
    emailRaw: string,
    facts: PersonFacts,
    consent: Consent | undefined,
    options: {fillOnly?: boolean; now: string},
  ): Promise<void> {
    const email = emailRaw.toLowerCase();
    // Several processes may project events of one person at once (Postgres): make sure the row exists, then lock it,
    // so that each transaction merges into what the other committed instead of racing it to an insert.
    await this.db
      .insertInto('people')
      .values({
        connection_id: connectionId,
        email,
        customer_id: null,
        first_name: null,
        last_name: null,
        consent: null,
        consent_at: null,
        opt_in_sources: null,
        updated_at: options.now,
      })
      .onConflict((oc) => oc.columns(['connection_id', 'email']).doNothing())
      .execute();
    let query = this.db
      .selectFrom('people')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('email', '=', email);
    if (this.engine === 'postgres') query = query.forUpdate();
    const existing = await query.executeTakeFirst();
    const newerConsent = consent && (!existing?.consent_at || consent.updatedAt >= existing.consent_at);
    const pick = (given: string | undefined, known: string | null | undefined) =>
      (options.fillOnly ? (known ?? given) : (given ?? known)) ?? null;
    const row = {
      customer_id: facts.customerId ?? existing?.customer_id ?? null,
      first_name: pick(facts.firstName, existing?.first_name),
      last_name: pick(facts.lastName, existing?.last_name),
      consent: newerConsent ? JSON.stringify(consent) : (existing?.consent ?? null),
      consent_at: newerConsent ? consent.updatedAt : (existing?.consent_at ?? null),
      opt_in_sources: newerConsent
        ? sourcesJson(nextOptInSources(parseOptInSources(existing?.opt_in_sources), consent))
        : (existing?.opt_in_sources ?? null),
      updated_at: options.now,
    };
    await this.db
      .updateTable('people')
      .set(row)
      .where('connection_id', '=', connectionId)
      .where('email', '=', email)
      .execute();
  }

  async get(connectionId: string, email: string): Promise<PersonRow | undefined> {
    return this.db
      .selectFrom('people')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('email', '=', email)
      .executeTakeFirst();
  }

  /** The people rows of these addresses (lower-case), those known. */
  async peopleOf(connectionId: string, emails: string[]): Promise<PersonRow[]> {
    return peopleOfEmails(this.db, connectionId, emails);
  }

  /** The recorded orders of these addresses (lower-case), oldest first. */
  async purchasesOfAll(connectionId: string, emails: string[]): Promise<Array<{email: string; order: Order}>> {
    return purchasesOfEmails(this.db, connectionId, emails);
  }

  /** The next page of addresses known for the connection (people and buyers), in order, after `after`. */
  async knownEmailsAfter(connectionId: string, after: string, limit: number): Promise<string[]> {
    return knownEmailsAfter(this.db, connectionId, after, limit);
  }

  /** The address of a store customer, when known. */
  async emailOfCustomer(connectionId: string, customerId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('people')
      .select('email')
      .where('connection_id', '=', connectionId)
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return row?.email;
  }

  /** The addresses of these store customers (those known). */
  async emailsOfCustomers(
    connectionId: string,
    customerIds: string[],
  ): Promise<Array<{email: string; customer_id: string | null}>> {
    return emailsOfCustomers(this.db, connectionId, customerIds);
  }

  /** The store customer of an address, when known. */
  async customerIdOf(connectionId: string, email: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('people')
      .select('customer_id')
      .where('connection_id', '=', connectionId)
      .where('email', '=', email)
      .executeTakeFirst();
    return row?.customer_id ?? undefined;
  }

  /** The person's newest known consent as stored (parsed), when there is one. */
  async knownConsent(connectionId: string, email: string): Promise<Consent | undefined> {
    const row = await this.db
      .selectFrom('people')
      .select('consent')
      .where('connection_id', '=', connectionId)
      .where('email', '=', email)
      .executeTakeFirst();
    return row?.consent ? (JSON.parse(row.consent) as Consent) : undefined;
  }

  /** Records (or replaces) an order of the person. */
  async recordPurchase(connectionId: string, emailRaw: string, order: Order): Promise<void> {
    const email = emailRaw.toLowerCase();
    const values = {
      email,
      customer_id: order.customer.id ?? null,
      order: stableStringify(order),
      processed_at: order.processedAt,
    };
    // An upsert: two processes may project two events of one order at once (Postgres).
    await this.db
      .insertInto('purchases')
      .values({connection_id: connectionId, order_id: order.id, ...values})
      .onConflict((oc) => oc.columns(['connection_id', 'order_id']).doUpdateSet(values))
      .execute();
  }

  /** The person's recorded orders, oldest first. */
  async purchasesOf(connectionId: string, email: string): Promise<Order[]> {
    const rows = await this.db
      .selectFrom('purchases')
      .select('order')
      .where('connection_id', '=', connectionId)
      .where('email', '=', email)
      .orderBy('processed_at')
      .execute();
    return rows.map((p) => JSON.parse(p.order) as Order);
  }

  /** The newest purchase time of every buyer, over all connections. */
  async lastPurchases(): Promise<Array<{connection_id: string; email: string; last_purchase: string}>> {
    return this.db
      .selectFrom('purchases')
      .select(['connection_id', 'email', (eb) => eb.fn.max('processed_at').as('last_purchase')])
      .groupBy(['connection_id', 'email'])
      .execute();
  }

  /** Drops the link from a (deleted) store customer id to its address. */
  async unlinkCustomer(connectionId: string, customerId: string, now: string): Promise<void> {
    await this.db
      .updateTable('people')
      .set({customer_id: null, updated_at: now})
      .where('connection_id', '=', connectionId)
      .where('customer_id', '=', customerId)
      .execute();
  }

  /**
   * Moves a person and their purchases from `oldEmail` to `newEmail`; when the new address is known already, the
   * two merge (what the new one knows wins) and the old row goes.
   */
  async moveAddress(connectionId: string, old: PersonRow, newEmail: string, now: string): Promise<void> {
    const oldEmail = old.email;
    const taken = await this.get(connectionId, newEmail);
    if (taken) {
      await this.db
        .updateTable('people')
        .set({
          customer_id: taken.customer_id ?? old.customer_id,
          first_name: taken.first_name ?? old.first_name,
          last_name: taken.last_name ?? old.last_name,
          updated_at: now,
        })
        .where('connection_id', '=', connectionId)
        .where('email', '=', newEmail)
        .execute();
      await this.db
        .deleteFrom('people')
        .where('connection_id', '=', connectionId)
        .where('email', '=', oldEmail)
        .execute();
    } else {
      await this.db
        .updateTable('people')
        .set({email: newEmail, updated_at: now})
        .where('connection_id', '=', connectionId)
        .where('email', '=', oldEmail)
        .execute();
    }
    await this.db
      .updateTable('purchases')
      .set({email: newEmail})
      .where('connection_id', '=', connectionId)
      .where('email', '=', oldEmail)
      .execute();
  }

  /** The store customer ids recorded with these addresses. */
  async customerIdsOf(connectionId: string, emails: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('people')
      .select('customer_id')
      .where('connection_id', '=', connectionId)
      .where('email', 'in', emails)
      .execute();
    return rows.flatMap((r) => (r.customer_id ? [r.customer_id] : []));
  }

  /** The ids of the orders recorded for any of these addresses or customers. */
  async orderIdsOf(connectionId: string, emails: string[], customerIds: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('purchases')
      .select('order_id')
      .where('connection_id', '=', connectionId)
      .where((eb) =>
        eb.or([
          ...(emails.length > 0 ? [eb('email', 'in', emails)] : []),
          ...(customerIds.length > 0 ? [eb('customer_id', 'in', customerIds)] : []),
        ]),
      )
      .execute();
    return rows.map((r) => r.order_id);
  }

  /** Forgets a person (GDPR redaction): their people rows and purchases, by address, customer id and order id. */
  async forget(
    connectionId: string,
    person: {emails: string[]; customerIds: string[]; orderIds: string[]},
  ): Promise<void> {
    const byPerson = (column: 'email' | 'customer_id', values: string[]) =>
      values.length > 0 ? [[column, values] as const] : [];
    for (const table of ['people', 'purchases'] as const) {
      for (const [column, values] of [
        ...byPerson('email', person.emails),
        ...byPerson('customer_id', person.customerIds),
      ]) {
        await this.db.deleteFrom(table).where('connection_id', '=', connectionId).where(column, 'in', values).execute();
      }
    }
    if (person.orderIds.length > 0)
      await this.db
        .deleteFrom('purchases')
        .where('connection_id', '=', connectionId)
        .where('order_id', 'in', person.orderIds)
        .execute();
  }

  /** Forgets every person and purchase of a connection (shop redaction). */
  async forgetConnection(connectionId: string): Promise<void> {
    for (const table of ['purchases', 'people'] as const)
      await this.db.deleteFrom(table).where('connection_id', '=', connectionId).execute();
  }
}

/** A connection's newest recorded orders, newest first (any person). */
export async function recentPurchases(db: Kysely<Database>, connectionId: string, limit: number): Promise<Order[]> {
  const rows = await db
    .selectFrom('purchases')
    .select('order')
    .where('connection_id', '=', connectionId)
    .orderBy('processed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.order) as Order);
}

/** The next page of addresses known for the connection (people and buyers), in order, after `after`. */
export async function knownEmailsAfter(
  db: Kysely<Database>,
  connectionId: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('people')
        .select('email')
        .where('connection_id', '=', connectionId)
        .union(eb.selectFrom('purchases').select('email').where('connection_id', '=', connectionId))
        .as('known'),
    )
    .select('known.email')
    .where('known.email', '>', after)
    .orderBy('known.email')
    .limit(limit)
    .execute();
  return rows.map((r) => r.email);
}

/** The people rows of these addresses. */
export async function peopleOfEmails(
  db: Kysely<Database>,
  connectionId: string,
  emails: string[],
): Promise<PersonRow[]> {
  return db
    .selectFrom('people')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('email', 'in', emails)
    .execute();
}

/** The recorded orders of these addresses, oldest first. */
export async function purchasesOfEmails(
  db: Kysely<Database>,
  connectionId: string,
  emails: string[],
): Promise<Array<{email: string; order: Order}>> {
  const rows = await db
    .selectFrom('purchases')
    .select(['email', 'order'])
    .where('connection_id', '=', connectionId)
    .where('email', 'in', emails)
    .orderBy('processed_at')
    .execute();
  return rows.map((r) => ({email: r.email, order: JSON.parse(r.order) as Order}));
}

/** The addresses of these store customers (those known). */
export async function emailsOfCustomers(
  db: Kysely<Database>,
  connectionId: string,
  customerIds: string[],
): Promise<Array<{email: string; customer_id: string | null}>> {
  return db
    .selectFrom('people')
    .select(['email', 'customer_id'])
    .where('connection_id', '=', connectionId)
    .where('customer_id', 'in', customerIds)
    .execute();
}

export function parseOptInSources(json: string | null | undefined): ConsentSource[] {
  return json ? (JSON.parse(json) as ConsentSource[]) : [];
}

function sourcesJson(sources: ConsentSource[]): string | null {
  return sources.length > 0 ? JSON.stringify(sources) : null;
}
