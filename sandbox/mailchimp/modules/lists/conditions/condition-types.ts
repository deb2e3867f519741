import type {ListRecord, MemberRecord, SandboxState, SegmentCondition} from '../../../core/state.js';
import {anyNameMatches, compareNumber, compareText, daysAgo, parseDate, utcDay} from './compare.js';
import type {Purchase} from './purchases.js';

/** What a condition is evaluated against: the member plus lazily gathered list-wide data. */
export interface EvalContext {
  state: SandboxState;
  list: ListRecord;
  now: Date;
  purchases(member: MemberRecord): Purchase[];
}

/** A condition after validation: its type is known and its value has the type the condition needs. */
export interface ValidCondition extends SegmentCondition {
  condition_type: string;
}

export interface ConditionType {
  /** The fields it accepts; 'merge tag' for any merge tag of the list. */
  fields: readonly string[] | 'merge tag';
  ops: readonly string[];
  /** What `value` must be (ops listed in `valueless` need none). */
  value: 'none' | 'string' | 'number';
  valueless?: readonly string[];
  test(ctx: EvalContext, member: MemberRecord, condition: ValidCondition): boolean;
}

const TEXT_OPS = ['is', 'not', 'contains', 'notcontain', 'starts', 'ends'] as const;

/**
 * The condition types the sandbox evaluates, chosen by `condition_type` (a table, not a switch). Field, op and value
 * lists are the spec's (notes §3). Semantics that Mailchimp does not document are decided in the comments.
 */
export const conditionTypes: Record<string, ConditionType> = {
  StaticSegment: {
    fields: ['static_segment'],
    ops: ['static_is', 'static_not'],
    value: 'number',
    test: (ctx, member, c) => {
      // An id that is not a static segment of this list holds nobody.
      const segment = ctx.list.segments.get(Number(c.value));
      const inIt = segment?.type === 'static' && segment.static_members.has(member.id);
      return c.op === 'static_is' ? inIt : !inIt;
    },
  },
  EcommPurchased: {
    fields: ['ecomm_purchased'],
    ops: ['member', 'notmember'],
    value: 'none',
    test: (ctx, member, c) => ctx.purchases(member).length > 0 === (c.op === 'member'),
  },
  EcommSpent: {
    fields: ['ecomm_spent_one', 'ecomm_spent_all'],
    ops: ['greater', 'less'],
    value: 'number',
    test: (ctx, member, c) => {
      const purchases = ctx.purchases(member);
      const amount = Number(c.value);
      if (c.field === 'ecomm_spent_all') {
        // Everyone has a lifetime total; people who never bought have spent 0 ("less than 50" includes them).
        return compareNumber(sum(purchases.map((p) => p.total)), c.op, amount);
      }
      // "Spent more/less than X on a single order": some order above/below X. Without orders there is no single
      // order, so neither op holds.
      return purchases.some((p) => compareNumber(p.total, c.op, amount));
    },
  },
  EcommNumber: {
    fields: ['ecomm_spent_avg', 'ecomm_orders', 'ecomm_prod_all', 'ecomm_avg_ord'],
    ops: ['is', 'not', 'greater', 'less'],
    value: 'number',
    test: (ctx, member, c) => {
      const purchases = ctx.purchases(member);
      const quantities = purchases.map((p) => sum(p.items.map((i) => i.quantity)));
      // Spec: "average spent total, number of orders, total number of products purchased, or average number of
      // products per order". Counts and totals are 0 without orders; averages then do not exist and match nothing.
      const values: Record<string, number | undefined> = {
        ecomm_orders: purchases.length,
        ecomm_prod_all: sum(quantities),
        ecomm_spent_avg: purchases.length ? sum(purchases.map((p) => p.total)) / purchases.length : undefined,
        ecomm_avg_ord: purchases.length ? sum(quantities) / purchases.length : undefined,
      };
      const actual = values[c.field];
      return actual !== undefined && compareNumber(round2(actual), c.op, Number(c.value));
    },
  },
  EcommCategory: {
    fields: ['ecomm_cat', 'ecomm_prod'],
    ops: TEXT_OPS,
    value: 'string',
    test: (ctx, member, c) => {
      // ecomm_cat is the product's `type` (the e-commerce API's only category), ecomm_prod its title. "is"/"contains"
      // hold when some purchased item matches; "not"/"notcontain" are their complements (bought no such item,
      // which includes people who bought nothing), the reading that makes "has not bought X" segments work.
      const names = ctx
        .purchases(member)
        .flatMap((p) => p.items.map((i) => (c.field === 'ecomm_cat' ? i.category : i.title)));
      return anyNameMatches(names, c.op, String(c.value));
    },
  },
  EcommStore: {
    fields: ['ecomm_store'],
    ops: ['is', 'not'],
    value: 'string',
    test: (ctx, member, c) => ctx.purchases(member).some((p) => p.storeId === String(c.value)) === (c.op === 'is'),
  },
  Date: {
    fields: ['timestamp_opt', 'info_changed', 'ecomm_date'],
    ops: ['greater', 'less', 'is', 'not', 'blank', 'blank_not', 'within', 'notwithin'],
    value: 'string',
    valueless: ['blank', 'blank_not'],
    test: (ctx, member, c) => testDate(ctx, dateOf(ctx, member, c.field), c),
  },
  TextMerge: {
    fields: 'merge tag',
    ops: [...TEXT_OPS, 'greater', 'less', 'blank', 'blank_not'],
    value: 'string',
    valueless: ['blank', 'blank_not'],
    test: (_ctx, member, c) => compareText(mergeText(member.merge_fields[c.field]), c.op, String(c.value ?? '')),
  },
  EmailAddress: {
    fields: ['merge0', 'EMAIL'],
    ops: [...TEXT_OPS, 'greater', 'less'],
    value: 'string',
    test: (_ctx, member, c) => compareText(member.email_address, c.op, String(c.value)),
  },
  Language: {
    fields: ['language'],
    ops: ['is', 'not'],
    value: 'string',
    test: (_ctx, member, c) => compareText(member.language, c.op, String(c.value)),
  },
  VIP: {
    fields: ['gmonkey'],
    ops: ['member', 'notmember'],
    value: 'none',
    test: (_ctx, member, c) => member.vip === (c.op === 'member'),
  },
  SignupSource: {
    fields: ['source'],
    ops: ['source_is', 'source_not'],
    value: 'string',
    test: (_ctx, member, c) => compareText(member.source, c.op === 'source_is' ? 'is' : 'not', String(c.value)),
  },
  Aim: {
    fields: ['aim'],
    ops: ['open', 'click', 'sent', 'noopen', 'noclick', 'nosent'],
    value: 'string',
    test: (ctx, member, c) => {
      // value: a campaign's web id, or "any" for any campaign of this list.
      const campaigns = [...ctx.state.campaigns.values()].filter(
        (k) => k.recipients.list_id === ctx.list.id && (c.value === 'any' || String(k.web_id) === String(c.value)),
      );
      const kind = c.op.replace(/^no/, '');
      const did = campaigns.some((k) =>
        kind === 'sent'
          ? k.sent_to.includes(member.id)
          : (kind === 'open' ? k.activity.opens : k.activity.clicks).some((a) => a.member_id === member.id),
      );
      return c.op.startsWith('no') ? !did : did;
    },
  },
};

/** Condition types Mailchimp has that the sandbox does not evaluate (asked for, they answer 400). */
export const unsupportedConditionTypes = [
  'Automation',
  'CampaignPoll',
  'Conversation',
  'EmailClient',
  'MemberRating',
  'SurveyMonkey',
  'Interests',
  'GoalActivity',
  'GoalTimestamp',
  'FuzzySegment',
  'IPGeoCountryState',
  'IPGeoIn',
  'IPGeoInZip',
  'IPGeoUnknown',
  'IPGeoZip',
  'SocialAge',
  'SocialGender',
  'SocialInfluence',
  'SocialNetworkMember',
  'SocialNetworkFollow',
  'AddressMerge',
  'ZipMerge',
  'BirthdayMerge',
  'DateMerge',
  'SelectMerge',
  'PredictedGender',
  'PredictedAge',
  'NewSubscribers',
];

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function mergeText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object')
    return Object.values(value as Record<string, unknown>)
      .filter((v) => v !== '')
      .join(' ');
  return String(value);
}

function dateOf(ctx: EvalContext, member: MemberRecord, field: string): number | undefined {
  if (field === 'timestamp_opt') return parseDate(member.timestamp_opt);
  if (field === 'info_changed') return parseDate(member.last_changed);
  const times = ctx
    .purchases(member)
    .map((p) => p.at)
    .filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : undefined;
}

/**
 * Date operators. `value` says what the date is compared with: "date" (then `extra` is YYYY-MM-DD), "campaign"
 * (`extra` is a campaign web id: its send time) or "last" (the list's last sent campaign); a YYYY-MM-DD in `value`
 * itself is read as a date too. is/not/greater/less compare whole UTC days; members without the date match none
 * of them (only "blank"). within/notwithin take a number of days (in `extra`, or in `value`): within = on or after
 * now minus that many days; notwithin is its complement, blanks included.
 */
function testDate(ctx: EvalContext, actual: number | undefined, c: ValidCondition): boolean {
  switch (c.op) {
    case 'blank':
      return actual === undefined;
    case 'blank_not':
      return actual !== undefined;
    case 'within':
    case 'notwithin': {
      const days = Number(c.extra ?? c.value);
      const within = actual !== undefined && Number.isFinite(days) && actual >= daysAgo(ctx.now, days);
      return c.op === 'within' ? within : !within;
    }
    default: {
      const reference = referenceDate(ctx, c);
      if (actual === undefined || reference === undefined) return false;
      const diff = utcDay(actual) - utcDay(reference);
      return c.op === 'is' ? diff === 0 : c.op === 'not' ? diff !== 0 : c.op === 'greater' ? diff > 0 : diff < 0;
    }
  }
}

function referenceDate(ctx: EvalContext, c: ValidCondition): number | undefined {
  const value = String(c.value ?? '');
  if (value === 'date') return parseDate(c.extra);
  if (value === 'campaign' || value === 'last') {
    const sent = [...ctx.state.campaigns.values()].filter((k) => k.recipients.list_id === ctx.list.id && k.send_time);
    const campaign =
      value === 'campaign'
        ? sent.find((k) => String(k.web_id) === String(c.extra))
        : sent.sort((a, b) => Date.parse(b.send_time) - Date.parse(a.send_time))[0];
    return campaign ? parseDate(campaign.send_time) : undefined;
  }
  return parseDate(value);
}
