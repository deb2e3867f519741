import type {MemberTagChange} from '../../mailchimp/types/index.js';
import type {Consent, ConsentSource} from '../../model/consent.js';
import type {Order} from '../../model/entities.js';
import type {ProductId} from '../../model/ids.js';
import type {Money} from '../../model/money.js';
import {adjustedOrderTotal, countsAsPurchase, remainingQuantity} from '../mappers/order-purchase.js';

/**
 * Purchase-behaviour tags (DESIGN.md "member tags"): a person's desired tag set computed from canonical history,
 * and the add/remove diff sent to `POST /lists/{id}/members/{hash}/tags` (notes §2.4).
 *
 * The connector only ever touches tags it manages: the fixed rule names and the `bought:` / `collection:` families,
 * all behind the optional prefix. Without a prefix a merchant's own tag called e.g. `vip` counts as managed; set a
 * prefix (e.g. `shop:`) to keep the connector's tags apart from hand-made ones.
 */

export type TagRuleName =
  | 'customer'
  | 'buyer' // first-time-buyer / repeat-buyer
  | 'vip'
  | 'bought'
  | 'collection'
  | 'lapsed'
  | 'newsletter'
  | 'checkout-opt-in';

export interface TagRulesConfig {
  /** Prepended to every tag the connector writes, e.g. `shop:`. */
  prefix?: string;
  /** Lifetime spend (after refunds) at or above which a person is `vip`; undefined disables the rule. */
  vipSpendThreshold?: Money;
  /** Days without a purchase after which a buyer is `lapsed`; undefined disables the rule. */
  lapsedAfterDays?: number;
  /** Rules are on unless switched off here. */
  enabled?: Partial<Record<TagRuleName, boolean>>;
}

export const TAG = {
  customer: 'customer',
  firstTimeBuyer: 'first-time-buyer',
  repeatBuyer: 'repeat-buyer',
  vip: 'vip',
  lapsed: 'lapsed',
  newsletter: 'newsletter',
  checkoutOptIn: 'checkout-opt-in',
  boughtPrefix: 'bought:',
  collectionPrefix: 'collection:',
} as const;

const FIXED_NAMES: readonly string[] = [
  TAG.customer,
  TAG.firstTimeBuyer,
  TAG.repeatBuyer,
  TAG.vip,
  TAG.lapsed,
  TAG.newsletter,
  TAG.checkoutOptIn,
];
const FAMILY_PREFIXES: readonly string[] = [TAG.boughtPrefix, TAG.collectionPrefix];

/** Mailchimp tag (static segment) names are limited to 100 characters. */
export const MAX_TAG_LENGTH = 100;

/** What the tag rules need to know about a product a line points at. */
export interface ProductFacts {
  handle?: string;
  collections: readonly string[];
}

export interface TagHistory {
  /** The person has a customer record in the store (not only guest orders). */
  isCustomer: boolean;
  /** All of the person's orders; those that do not count as purchases are ignored here. */
  orders: readonly Order[];
  /** Product handles and collections for the products in the orders' lines. */
  products: (productId: ProductId) => ProductFacts | undefined;
  /** The person's current marketing consent. */
  consent?: Consent;
  /** Storefront sources the person opted in through since their last opt-out (a later consent may come from elsewhere). */
  optInSources?: readonly ConsentSource[];
  /** Evaluation time (ISO 8601): for `lapsed`. */
  now: string;
}

const DAY_MS = 86_400_000;

function on(config: TagRulesConfig, rule: TagRuleName): boolean {
  return config.enabled?.[rule] !== false;
}

function tagName(config: TagRulesConfig, name: string): string {
  return `${config.prefix ?? ''}${name}`.slice(0, MAX_TAG_LENGTH);
}

/** Handles become part of a tag name: trimmed, lower-case, no empty names. */
function normaliseHandle(handle: string | undefined): string | undefined {
  const h = handle?.trim().toLowerCase();
  return h ? h : undefined;
}

/** The tags the person should carry, sorted and unique. */
export function desiredTags(history: TagHistory, config: TagRulesConfig): string[] {
  const tags = new Set<string>();
  const purchases = history.orders.filter(countsAsPurchase);

  if (on(config, 'customer') && (history.isCustomer || purchases.length > 0)) tags.add(tagName(config, TAG.customer));

  if (on(config, 'buyer')) {
    if (purchases.length === 1) tags.add(tagName(config, TAG.firstTimeBuyer));
    else if (purchases.length >= 2) tags.add(tagName(config, TAG.repeatBuyer));
  }

  const threshold = config.vipSpendThreshold;
  if (on(config, 'vip') && threshold !== undefined && purchases.length > 0) {
    // Orders in other currencies are left out: there is no exchange rate here, and mixing would be wrong.
    const spent = purchases
      .filter((o) => o.currency === threshold.currency)
      .reduce((acc, o) => acc + adjustedOrderTotal(o).minor, 0);
    if (spent >= threshold.minor) tags.add(tagName(config, TAG.vip));
  }

  if (on(config, 'bought') || on(config, 'collection')) {
    for (const order of purchases) {
      for (const line of order.lines) {
        if (line.productId === null || remainingQuantity(line, order) === 0) continue;
        const facts = history.products(line.productId);
        if (!facts) continue;
        const handle = normaliseHandle(facts.handle);
        if (on(config, 'bought') && handle) tags.add(tagName(config, TAG.boughtPrefix + handle));
        if (on(config, 'collection')) {
          for (const collection of facts.collections) {
            const c = normaliseHandle(collection);
            if (c) tags.add(tagName(config, TAG.collectionPrefix + c));
          }
        }
      }
    }
  }

  const lapsedDays = config.lapsedAfterDays;
  if (on(config, 'lapsed') && lapsedDays !== undefined && purchases.length > 0) {
    const last = Math.max(...purchases.map((o) => Date.parse(o.processedAt)).filter((t) => !Number.isNaN(t)));
    const now = Date.parse(history.now);
    if (Number.isFinite(last) && !Number.isNaN(now) && now - last > lapsedDays * DAY_MS)
      tags.add(tagName(config, TAG.lapsed));
  }

  const consent = history.consent;
  const optedIn = consent !== undefined && (consent.state === 'subscribed' || consent.state === 'pending');
  const optedInThrough = (source: ConsentSource) =>
    optedIn && (consent.source === source || (history.optInSources ?? []).includes(source));
  if (on(config, 'newsletter') && optedInThrough('subscribe_form')) tags.add(tagName(config, TAG.newsletter));
  if (on(config, 'checkout-opt-in') && optedInThrough('checkout_checkbox'))
    tags.add(tagName(config, TAG.checkoutOptIn));

  return [...tags].sort();
}

/**
 * Whether the connector owns a tag: one of its rule names or families under its prefix, enabled or not (a rule
 * switched off must still be able to remove the tags it wrote).
 */
export function isManagedTag(name: string, config: TagRulesConfig = {}): boolean {
  const prefix = config.prefix ?? '';
  if (!name.startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return (
    FIXED_NAMES.includes(rest) ||
    FAMILY_PREFIXES.some((family) => rest.startsWith(family) && rest.length > family.length)
  );
}

/** One change for the tags endpoint (the client's `MemberTagChange`). */
export type TagChange = MemberTagChange;

/**
 * The add/remove diff for the tags endpoint: managed tags in `desired` but not in `previous` become active, managed
 * tags in `previous` but not in `desired` become inactive. Unmanaged tags, on either side, are never touched.
 * Names compare exactly. Output order: removals first, then additions, each sorted.
 */
export function tagDiff(
  previous: readonly string[],
  desired: readonly string[],
  config: TagRulesConfig = {},
): TagChange[] {
  const prev = new Set(previous.filter((t) => isManagedTag(t, config)));
  const want = new Set(desired.filter((t) => isManagedTag(t, config)));
  const removals = [...prev].filter((t) => !want.has(t)).sort();
  const additions = [...want].filter((t) => !prev.has(t)).sort();
  return [
    ...removals.map((name) => ({name, status: 'inactive' as const})),
    ...additions.map((name) => ({name, status: 'active' as const})),
  ];
}
