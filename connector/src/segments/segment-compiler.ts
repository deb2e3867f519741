import {createHash} from 'node:crypto';
import type {SegmentCondition as MailchimpCondition, SegmentOptions} from '../mailchimp/types/index.js';
import {MAX_TAG_LENGTH} from '../sync/rules/tag-rules.js';
import type {SegmentCondition, SegmentDefinition} from './segment-definition.js';

/**
 * Turns a segment definition into Mailchimp saved-segment conditions. Pure: the catalog facts it needs come in.
 *
 * Each condition becomes one Mailchimp condition, so `match` (all/any) carries over unchanged:
 * - natively, when a Mailchimp condition means exactly the same thing: `total_spent` → EcommSpent
 *   (`ecomm_spent_all`), `order_count` → EcommNumber (`ecomm_orders`), `last_purchase` before/after a day → Date on
 *   `ecomm_date`, `bought_product` without a time window → EcommCategory on `ecomm_prod` (the product title, when no
 *   other product shares it), `tag` → StaticSegment on the tag's id;
 * - otherwise through a tag the connector computes from local data and keeps in sync ("local tag"), targeted with
 *   StaticSegment. Mailchimp has no condition for a variant, a collection (its categories are product types), a
 *   purchase within a window, lapsed buyers, abandoned carts, or the store's consent. A local tag always holds the
 *   positive set; a negated condition targets it with `static_not`, so people the connector does not know (who
 *   cannot have bought the variant as far as it knows) still match "has not bought".
 *
 * Local tags are named after their condition, not after the segment (`segment:bought-variant-42-30d`), so segments
 * that share a condition share its tag.
 */

/** What the compiler needs to know about the store's catalog. */
export interface CatalogFacts {
  /** The product's title and whether another known product has the same title (case-insensitive). */
  product(productId: string): {title: string; titleIsUnique: boolean} | undefined;
}

export type PlannedCondition =
  | {index: number; source: 'mailchimp'; condition: MailchimpCondition}
  /** A tag named by the operator. */
  | {index: number; source: 'tag'; tag: string; op: 'static_is' | 'static_not'}
  /** A tag computed from local data: `holds` is the positive condition its members satisfy. */
  | {
      index: number;
      source: 'local';
      tag: string;
      op: 'static_is' | 'static_not';
      holds: SegmentCondition;
      reason: string;
    };

export interface SegmentPlan {
  match: 'all' | 'any';
  conditions: PlannedCondition[];
}

export interface CompileOptions {
  catalog: CatalogFacts;
  /** TAG_PREFIX: the connector's tags all carry it. */
  tagPrefix?: string;
}

export const LOCAL_TAG_FAMILY = 'segment:';

export function planSegment(
  definition: Pick<SegmentDefinition, 'match' | 'conditions'>,
  options: CompileOptions,
): SegmentPlan {
  return {
    match: definition.match,
    conditions: definition.conditions.map((c, index) => planCondition(c, index, options)),
  };
}

function planCondition(condition: SegmentCondition, index: number, options: CompileOptions): PlannedCondition {
  const local = (holds: SegmentCondition, negated: boolean, reason: string): PlannedCondition => ({
    index,
    source: 'local',
    tag: localTagName(holds, options.tagPrefix),
    op: negated ? 'static_not' : 'static_is',
    holds,
    reason,
  });
  switch (condition.type) {
    case 'tag':
      return {index, source: 'tag', tag: condition.tag, op: condition.op === 'is' ? 'static_is' : 'static_not'};
    case 'total_spent':
      return {
        index,
        source: 'mailchimp',
        condition: {condition_type: 'EcommSpent', field: 'ecomm_spent_all', op: condition.op, value: condition.amount},
      };
    case 'order_count':
      return {
        index,
        source: 'mailchimp',
        condition: {condition_type: 'EcommNumber', field: 'ecomm_orders', op: condition.op, value: condition.value},
      };
    case 'last_purchase':
      if ('date' in condition) {
        return {
          index,
          source: 'mailchimp',
          condition: {
            condition_type: 'Date',
            field: 'ecomm_date',
            op: condition.op === 'before' ? 'less' : 'greater',
            value: 'date',
            extra: condition.date,
          },
        };
      }
      // Mailchimp's `within`/`notwithin` encoding is undocumented, and `notwithin` also holds for people who never bought.
      return local(
        {type: 'last_purchase', op: condition.op, days: condition.days},
        false,
        'Mailchimp has no documented condition for a purchase window',
      );
    case 'bought_product': {
      const positive: SegmentCondition = {...condition, op: 'is'};
      if (condition.within_days !== undefined)
        return local(positive, condition.op === 'not', 'Mailchimp cannot limit a product purchase to a time window');
      const product = options.catalog.product(condition.product_id);
      if (!product)
        return local(
          positive,
          condition.op === 'not',
          'the product is not in the local catalog, so its Mailchimp title is unknown',
        );
      if (!product.titleIsUnique)
        return local(
          positive,
          condition.op === 'not',
          `another product is also titled "${product.title}"; Mailchimp matches products by title`,
        );
      return {
        index,
        source: 'mailchimp',
        condition: {condition_type: 'EcommCategory', field: 'ecomm_prod', op: condition.op, value: product.title},
      };
    }
    case 'bought_variant':
      return local({...condition, op: 'is'}, condition.op === 'not', 'Mailchimp has no condition for product variants');
    case 'bought_collection':
      // Collection handles compare case-insensitively: one tag per collection, however it was written.
      return local(
        {...condition, op: 'is', collection: condition.collection.trim().toLowerCase()},
        condition.op === 'not',
        'Mailchimp has no condition for collections (its categories are product types)',
      );
    case 'abandoned_cart':
      return local(condition, false, 'Mailchimp has no segment condition for open carts');
    case 'subscribed':
      return local(condition, false, "Mailchimp has no condition for the store's own consent");
  }
}

/** The name of the tag that carries a local condition: readable, stable, at most 100 characters. */
export function localTagName(holds: SegmentCondition, prefix = ''): string {
  const days = (n: number | undefined) => (n === undefined ? '' : `-${n}d`);
  let label: string;
  switch (holds.type) {
    case 'bought_product':
      label = `bought-product-${holds.product_id}${days(holds.within_days)}`;
      break;
    case 'bought_variant':
      label = `bought-variant-${holds.variant_id}${days(holds.within_days)}`;
      break;
    case 'bought_collection':
      label = `bought-collection-${holds.collection}${days(holds.within_days)}`;
      break;
    case 'last_purchase':
      label =
        'date' in holds
          ? `last-purchase-${holds.op}-${holds.date}`
          : holds.op === 'within_days'
            ? `bought-within-${holds.days}d`
            : `lapsed-${holds.days}d`;
      break;
    case 'abandoned_cart':
      label = `abandoned-cart${days(holds.within_days)}`;
      break;
    case 'subscribed':
      label = 'subscribed';
      break;
    default:
      label = createHash('sha1').update(JSON.stringify(holds)).digest('hex').slice(0, 12);
  }
  const name = `${prefix}${LOCAL_TAG_FAMILY}${label}`;
  if (name.length <= MAX_TAG_LENGTH) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 10);
  return `${name.slice(0, MAX_TAG_LENGTH - hash.length - 1)}~${hash}`;
}

/** Every tag the plan targets, with whether the connector computes it. */
export function tagsOf(plan: SegmentPlan): Array<{tag: string; local: boolean}> {
  const seen = new Map<string, boolean>();
  for (const c of plan.conditions)
    if (c.source !== 'mailchimp') seen.set(c.tag, (seen.get(c.tag) ?? false) || c.source === 'local');
  return [...seen].map(([tag, local]) => ({tag, local}));
}

export class UnresolvedTagError extends Error {
  constructor(readonly tag: string) {
    super(`the tag "${tag}" has no Mailchimp id`);
    this.name = 'UnresolvedTagError';
  }
}

/** The saved segment's options once every tag has its Mailchimp (static segment) id. */
export function toMailchimpOptions(plan: SegmentPlan, tagId: (tag: string) => number | undefined): SegmentOptions {
  return {
    match: plan.match,
    conditions: plan.conditions.map((c): MailchimpCondition => {
      if (c.source === 'mailchimp') return c.condition;
      const id = tagId(c.tag);
      if (id === undefined) throw new UnresolvedTagError(c.tag);
      return {condition_type: 'StaticSegment', field: 'static_segment', op: c.op, value: id};
    }),
  };
}
