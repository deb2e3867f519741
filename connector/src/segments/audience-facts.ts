import type {Kysely} from 'kysely';
import {desiredProducts} from '../sync/desired-products.js';
import type {Consent, ConsentSource} from '../model/consent.js';
import type {Cart, Order, Product} from '../model/entities.js';
import {asId, type ProductId} from '../model/ids.js';
import type {Database} from '../store/schema.js';
import {emailsOfCustomers, knownEmailsAfter, peopleOfEmails, purchasesOfEmails} from '../store/people-repository.js';
import {desiredOfType} from '../store/sync-state-repository.js';
import {ENTITY} from '../sync/entity-types.js';
import {desiredTags, isManagedTag, type TagRulesConfig} from '../sync/rules/tag-rules.js';
import type {CatalogFacts} from './segment-compiler.js';
import type {EvaluationContext, PersonFacts} from './local-audience.js';

/**
 * Reads what the connector knows about the people of a connection (people, purchases, open carts, the products
 * they bought) and hands it out page by page as PersonFacts, so that a preview or a tag refresh over a large store
 * keeps one page in memory (open carts excepted: they are few).
 */
export interface AudienceFactsOptions {
  db: Kysely<Database>;
  connectionId: string;
  currency: string;
  tagRules: TagRulesConfig;
  now: string;
  pageSize?: number;
}

export interface FactsPage {
  people: PersonFacts[];
  ctx: EvaluationContext;
}

export async function* audienceFactPages(options: AudienceFactsOptions): AsyncGenerator<FactsPage, void, undefined> {
  const {db, connectionId} = options;
  const pageSize = options.pageSize ?? 500;
  const carts = await openCartsByEmail(db, connectionId);
  let after = '';
  for (;;) {
    const emails = await knownEmailsAfter(db, connectionId, after, pageSize);
    if (emails.length === 0) return;
    after = emails[emails.length - 1]!;
    const people = await peopleOfEmails(db, connectionId, emails);
    const purchases = await purchasesOfEmails(db, connectionId, emails);
    const ordersByEmail = new Map<string, Order[]>();
    for (const p of purchases) {
      const bucket = ordersByEmail.get(p.email) ?? [];
      bucket.push(p.order);
      ordersByEmail.set(p.email, bucket);
    }
    const productIds = [
      ...new Set(
        [...ordersByEmail.values()]
          .flat()
          .flatMap((o) => o.lines.map((l) => l.productId))
          .filter((id): id is ProductId => id !== null),
      ),
    ];
    const products = await desiredProducts(db, connectionId, productIds);
    const personByEmail = new Map(people.map((p) => [p.email, p]));
    const ctx: EvaluationContext = {
      now: options.now,
      currency: options.currency,
      collectionsOf: (id) => products.get(id)?.collections ?? [],
      isKnownTag: (tag) => isManagedTag(tag, options.tagRules),
    };
    yield {
      ctx,
      people: emails.map((email): PersonFacts => {
        const row = personByEmail.get(email);
        const consent = row?.consent ? (JSON.parse(row.consent) as Consent) : undefined;
        const orders = ordersByEmail.get(email) ?? [];
        const tags = desiredTags(
          {
            isCustomer: row?.customer_id !== null && row?.customer_id !== undefined,
            orders,
            products: (id) => {
              const p = products.get(id);
              return p && {handle: p.handle, collections: p.collections};
            },
            consent,
            optInSources: row?.opt_in_sources ? (JSON.parse(row.opt_in_sources) as ConsentSource[]) : undefined,
            now: options.now,
          },
          options.tagRules,
        );
        return {email, consent, orders, openCarts: carts.get(email) ?? [], tags: new Set(tags)};
      }),
    };
  }
}

/**
 * Open carts by owner address: carts still desired in Mailchimp (not deleted, not completed). A cart that names
 * only a customer id is attributed through the people table.
 */
async function openCartsByEmail(
  db: Kysely<Database>,
  connectionId: string,
): Promise<Map<string, Array<Pick<Cart, 'id' | 'updatedAt'>>>> {
  const rows = await desiredOfType(db, connectionId, ENTITY.cart);
  const out = new Map<string, Array<Pick<Cart, 'id' | 'updatedAt'>>>();
  const byCustomerId: Array<{customerId: string; cart: Pick<Cart, 'id' | 'updatedAt'>}> = [];
  for (const row of rows) {
    const cart = JSON.parse(row.desired) as Cart | {deleted: true};
    if ('deleted' in cart || cart.completedAt || cart.lines.length === 0) continue;
    const entry = {id: cart.id, updatedAt: cart.updatedAt};
    const email = cart.customer.email?.trim().toLowerCase();
    if (email) out.set(email, [...(out.get(email) ?? []), entry]);
    else if (cart.customer.id) byCustomerId.push({customerId: cart.customer.id, cart: entry});
  }
  if (byCustomerId.length > 0) {
    const people = await emailsOfCustomers(db, connectionId, [...new Set(byCustomerId.map((c) => c.customerId))]);
    const emailOf = new Map(people.map((p) => [p.customer_id, p.email]));
    for (const {customerId, cart} of byCustomerId) {
      const email = emailOf.get(customerId);
      if (email) out.set(email, [...(out.get(email) ?? []), cart]);
    }
  }
  return out;
}

/** Titles of the known products, for the compiler's "is this title unique" question. */
export async function loadCatalogFacts(db: Kysely<Database>, connectionId: string): Promise<CatalogFacts> {
  const rows = await desiredOfType(db, connectionId, ENTITY.product);
  const titles = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const row of rows) {
    const product = JSON.parse(row.desired) as Product | {deleted: true};
    if ('deleted' in product) continue;
    titles.set(row.entity_id, product.title);
    const key = product.title.trim().toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    product(productId) {
      const title = titles.get(asId<ProductId>(productId));
      return title === undefined ? undefined : {title, titleIsUnique: counts.get(title.trim().toLowerCase()) === 1};
    },
  };
}
