import type {Cart, Order} from '../model/entities.js';
import type {Consent} from '../model/consent.js';
import {parseMoney} from '../model/money.js';
import {orderSyncDecision, adjustedOrderTotal} from '../sync/mappers/order-purchase.js';
import {mailchimpFinancialStatus} from '../sync/mappers/order-to-mailchimp.js';
import type {SegmentCondition, SegmentDefinition} from './segment-definition.js';

/**
 * Segment conditions evaluated over what the connector knows locally: the preview count, and the members of the
 * tags that carry conditions Mailchimp cannot express. Pure: facts and the clock come in, a yes/no goes out.
 *
 * Conditions that segment-compiler.ts hands to Mailchimp natively are evaluated here with Mailchimp's semantics
 * (the orders Mailchimp counts, `order_total` after refunds, whole UTC days), so that the local count and
 * Mailchimp's count agree whenever both know the same people.
 */

/** What is known locally about one person. */
export interface PersonFacts {
  /** Lower-cased address. */
  email: string;
  consent?: Consent;
  /** The person's orders (any status; the evaluator picks those Mailchimp counts). */
  orders: readonly Order[];
  /** Open carts (not completed, not deleted). */
  openCarts: ReadonlyArray<Pick<Cart, 'id' | 'updatedAt'>>;
  /** Tags the connector manages for this person, as its tag rules compute them. */
  tags: ReadonlySet<string>;
}

export interface EvaluationContext {
  /** ISO 8601 evaluation time (for "within N days"). */
  now: string;
  /** The store currency: amounts in conditions are decimal numbers in it. */
  currency: string;
  /** Collections (handles) of a product, from the local catalog. */
  collectionsOf(productId: string): readonly string[];
  /**
   * Whether a tag's membership is fully known locally (the connector's own tags are; a merchant's hand-made tags are
   * not). Unknown tags evaluate as not carried, and make the count inexact.
   */
  isKnownTag(tag: string): boolean;
}

const DAY_MS = 86_400_000;

/**
 * The orders Mailchimp counts in purchase data: sent (paid, not a test), and neither cancelled nor fully refunded
 * (a cancelled or refunded order leaves spend, order counts and purchase conditions).
 */
export function countedOrders(orders: readonly Order[]): Order[] {
  return orders.filter((o) => {
    if (!orderSyncDecision(o).send) return false;
    const status = mailchimpFinancialStatus(o);
    return status !== 'cancelled' && status !== 'refunded';
  });
}

function boughtWhere(
  person: PersonFacts,
  ctx: EvaluationContext,
  withinDays: number | undefined,
  lineMatches: (line: Order['lines'][number]) => boolean,
): boolean {
  const since = withinDays === undefined ? undefined : Date.parse(ctx.now) - withinDays * DAY_MS;
  return countedOrders(person.orders).some(
    (o) => (since === undefined || Date.parse(o.processedAt) >= since) && o.lines.some(lineMatches),
  );
}

function lastPurchaseMs(person: PersonFacts): number | undefined {
  const times = countedOrders(person.orders)
    .map((o) => Date.parse(o.processedAt))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

const utcDay = (ms: number) => Math.floor(ms / DAY_MS);

/** Does one condition hold for the person? */
export function conditionHolds(condition: SegmentCondition, person: PersonFacts, ctx: EvaluationContext): boolean {
  const negate = (holds: boolean, op: 'is' | 'not') => (op === 'is' ? holds : !holds);
  switch (condition.type) {
    case 'tag':
      return negate(person.tags.has(condition.tag), condition.op);
    case 'bought_product':
      return negate(
        boughtWhere(person, ctx, condition.within_days, (l) => l.productId === condition.product_id),
        condition.op,
      );
    case 'bought_variant':
      return negate(
        boughtWhere(person, ctx, condition.within_days, (l) => l.variantId === condition.variant_id),
        condition.op,
      );
    case 'bought_collection': {
      const wanted = condition.collection.trim().toLowerCase();
      const inCollection = (l: Order['lines'][number]) =>
        l.productId !== null && ctx.collectionsOf(l.productId).some((c) => c.trim().toLowerCase() === wanted);
      return negate(boughtWhere(person, ctx, condition.within_days, inCollection), condition.op);
    }
    case 'total_spent': {
      const spent = countedOrders(person.orders)
        .filter((o) => o.currency === ctx.currency)
        .reduce((acc, o) => acc + adjustedOrderTotal(o).minor, 0);
      const amount = parseMoney(condition.amount, ctx.currency).minor;
      return condition.op === 'greater' ? spent > amount : spent < amount;
    }
    case 'order_count': {
      const n = countedOrders(person.orders).length;
      switch (condition.op) {
        case 'is':
          return n === condition.value;
        case 'not':
          return n !== condition.value;
        case 'greater':
          return n > condition.value;
        case 'less':
          return n < condition.value;
      }
      return false;
    }
    case 'last_purchase': {
      const last = lastPurchaseMs(person);
      if (last === undefined) return false;
      if ('date' in condition) {
        const day = utcDay(Date.parse(`${condition.date}T00:00:00Z`));
        return condition.op === 'before' ? utcDay(last) < day : utcDay(last) > day;
      }
      const within = last >= Date.parse(ctx.now) - condition.days * DAY_MS;
      return condition.op === 'within_days' ? within : !within;
    }
    case 'abandoned_cart': {
      const since =
        condition.within_days === undefined ? undefined : Date.parse(ctx.now) - condition.within_days * DAY_MS;
      return person.openCarts.some((c) => since === undefined || Date.parse(c.updatedAt) >= since);
    }
    case 'subscribed':
      return person.consent?.state === 'subscribed';
  }
}

/** Does the whole definition hold (all or any of its conditions)? */
export function segmentHolds(
  definition: Pick<SegmentDefinition, 'match' | 'conditions'>,
  person: PersonFacts,
  ctx: EvaluationContext,
): boolean {
  const holds = (c: SegmentCondition) => conditionHolds(c, person, ctx);
  return definition.match === 'all' ? definition.conditions.every(holds) : definition.conditions.some(holds);
}

/**
 * Whether Mailchimp would count (and a campaign reach) the person, as far as the connector knows: only subscribed
 * contacts are counted by saved segments and sent to by campaigns.
 */
export function expectedSubscribed(person: PersonFacts): boolean {
  return person.consent?.state === 'subscribed';
}

/** Conditions whose local evaluation cannot be exact (tags the connector does not manage). */
export function inexactConditions(definition: Pick<SegmentDefinition, 'conditions'>, ctx: EvaluationContext): string[] {
  return definition.conditions.flatMap((c) =>
    c.type === 'tag' && !ctx.isKnownTag(c.tag)
      ? [`tag "${c.tag}" is not managed by the connector; its members are known only to Mailchimp`]
      : [],
  );
}
