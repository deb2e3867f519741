import {z} from 'zod';

/**
 * `POST /v1/promo-sends`, validated once at the edge. Percentages are written as people write them (15 = 15 %);
 * fixed amounts are decimal numbers in the store currency.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const isoDateTime = z.iso.datetime({offset: true});

export const promoSendRequestSchema = z
  .strictObject({
    segment_id: z.number().int().positive(),
    /** What shoppers type: letters, digits, - and _ (Shopify and Mailchimp both accept these), at most 50. */
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,50}$/, 'must be 1-50 letters, digits, - or _'),
    discount: z.strictObject({type: z.enum(['percentage', 'fixed']), amount: z.number().positive().max(1e9)}),
    /** What the discount applies to (Mailchimp promo rule `target`). */
    target: z.enum(['total', 'per_item', 'shipping']).default('total'),
    subject: text(150),
    preview_text: text(150).optional(),
    from_name: text(100),
    reply_to: z.email(),
    /** A built-in template, or your own HTML with {{code}}, {{redemption_url}}, {{discount}}, {{products}} placeholders. */
    template: z
      .union([z.enum(['classic', 'minimal']), z.strictObject({html: z.string().min(1).max(500_000)})])
      .default('classic'),
    /** Products shown in the email (store ids); the best sellers when left out. */
    product_ids: z.array(text(200)).max(6).optional(),
    /** Where the code takes shoppers; on Shopify `https://<shop>/discount/<code>` when left out. */
    redemption_url: z
      .url({protocol: /^https?$/})
      .max(2000)
      .optional(),
    starts_at: isoDateTime.optional(),
    ends_at: isoDateTime.optional(),
    test_emails: z.array(z.email()).min(1).max(10).optional(),
    /** ISO 8601 on a quarter hour; sends at once when left out. */
    send_at: z.string().optional(),
    dry_run: z.boolean().default(false),
    /** Also create the code as a Shopify discount through the Admin API (Shopify connections with an access token). */
    shopify_discount: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    if (r.discount.type === 'percentage' && r.discount.amount > 100)
      ctx.addIssue({code: 'custom', path: ['discount', 'amount'], message: 'a percentage is at most 100'});
    if (r.shopify_discount && r.target === 'shipping')
      ctx.addIssue({code: 'custom', path: ['target'], message: 'a Shopify basic code discount cannot target shipping'});
    if (r.starts_at && r.ends_at && Date.parse(r.ends_at) <= Date.parse(r.starts_at))
      ctx.addIssue({code: 'custom', path: ['ends_at'], message: 'must be after starts_at'});
  });

export type PromoSendRequest = z.infer<typeof promoSendRequestSchema>;

export type RequestParse =
  {ok: true; value: PromoSendRequest} | {ok: false; errors: Array<{field: string; message: string}>};

export function parsePromoSendRequest(input: unknown): RequestParse {
  const result = promoSendRequestSchema.safeParse(input);
  if (result.success) return {ok: true, value: result.data};
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({field: i.path.join('.') || '(body)', message: i.message})),
  };
}
