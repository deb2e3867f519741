import {z} from 'zod';

/**
 * What an operator asks for when defining a segment (`POST /v1/segments`), validated once at the edge. The
 * conditions speak the store's language (products, collections, money, days); segment-compiler.ts turns them into
 * Mailchimp saved-segment conditions, and local-audience.ts evaluates them over local data for the preview.
 *
 * Money amounts are decimal numbers in the store currency (`100` = 100.00); `within_days` counts whole days back
 * from the time of evaluation.
 */

const MAX_DAYS = 3650;
const withinDays = z.number().int().positive().max(MAX_DAYS);
/** A calendar day, `YYYY-MM-DD` (compared in UTC, as Mailchimp's date conditions do). */
const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'must be a real calendar date',
  );
const nonEmpty = (max: number) => z.string().trim().min(1).max(max);
const hasOrNot = z.enum(['is', 'not']).default('is');

export const segmentConditionSchema = z.discriminatedUnion('type', [
  /** Carries (or does not carry) a Mailchimp tag. */
  z.strictObject({type: z.literal('tag'), tag: nonEmpty(100), op: hasOrNot}),
  /** Bought a product (by the store's product id), optionally within the last N days. */
  z.strictObject({
    type: z.literal('bought_product'),
    product_id: nonEmpty(200),
    op: hasOrNot,
    within_days: withinDays.optional(),
  }),
  /** Bought a variant of a product. */
  z.strictObject({
    type: z.literal('bought_variant'),
    variant_id: nonEmpty(200),
    op: hasOrNot,
    within_days: withinDays.optional(),
  }),
  /** Bought a product of a collection (its handle). */
  z.strictObject({
    type: z.literal('bought_collection'),
    collection: nonEmpty(200),
    op: hasOrNot,
    within_days: withinDays.optional(),
  }),
  /** Lifetime spend after refunds above or below an amount. */
  z.strictObject({
    type: z.literal('total_spent'),
    op: z.enum(['greater', 'less']),
    amount: z.number().nonnegative().max(1e12),
  }),
  /** Number of orders. */
  z.strictObject({
    type: z.literal('order_count'),
    op: z.enum(['is', 'not', 'greater', 'less']),
    value: z.number().int().nonnegative().max(1e9),
  }),
  /**
   * Date of the last purchase: before / after a calendar day, within the last N days, or (lapsed) bought before but
   * not within the last N days.
   */
  z.discriminatedUnion('op', [
    z.strictObject({type: z.literal('last_purchase'), op: z.enum(['before', 'after']), date: calendarDay}),
    z.strictObject({
      type: z.literal('last_purchase'),
      op: z.enum(['within_days', 'not_within_days']),
      days: withinDays,
    }),
  ]),
  /** Has an open (abandoned) cart, optionally one updated within the last N days. */
  z.strictObject({type: z.literal('abandoned_cart'), within_days: withinDays.optional()}),
  /** Subscribed to marketing according to the store's newest consent. */
  z.strictObject({type: z.literal('subscribed')}),
]);

export const segmentDefinitionSchema = z.strictObject({
  name: nonEmpty(100),
  match: z.enum(['all', 'any']),
  conditions: z.array(segmentConditionSchema).min(1, 'needs at least one condition').max(20),
});

export type SegmentCondition = z.infer<typeof segmentConditionSchema>;
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;
export type SegmentConditionType = SegmentCondition['type'];

export type ParseResult<T> = {ok: true; value: T} | {ok: false; errors: Array<{field: string; message: string}>};

/** Validates a segment definition; the errors name the offending fields (`conditions.1.amount`). */
export function parseSegmentDefinition(input: unknown): ParseResult<SegmentDefinition> {
  const result = segmentDefinitionSchema.safeParse(input);
  if (result.success) return {ok: true, value: result.data};
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({field: issue.path.join('.') || '(body)', message: issue.message})),
  };
}
