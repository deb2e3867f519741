import {z} from 'zod';

/**
 * Wire format, version 1, of the generic ingest API (`POST /v1/events`, documented in docs/ingest-api.md).
 *
 * The schemas validate and never transform: a parsed event is the JSON the client sent, so it can be stored
 * verbatim and parsed again later with the same result. Mapping to the canonical model is `toStoreEvent`'s job.
 *
 * Money amounts are decimal strings whose allowed precision depends on the entity's `currency`, so every data
 * schema is built for a number of currency digits (`dataSchemasFor`) and chosen once the currency is known.
 */

export const INGEST_EVENT_TYPES = [
  'customer.upsert',
  'customer.delete',
  'consent.update',
  'product.upsert',
  'product.delete',
  'order.upsert',
  'refund.create',
  'cart.upsert',
  'cart.delete',
  'promo.upsert',
  'promo.delete',
  'person.redact',
] as const;
export type IngestEventType = (typeof INGEST_EVENT_TYPES)[number];

export const MAX_EVENTS_PER_REQUEST = 500;
/** The route rejects larger bodies with 413 before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_EVENT_ID_LENGTH = 200;
/** Mailchimp limits customer, promo rule and promo code ids to 50 characters; the same limit for every entity id. */
export const MAX_ENTITY_ID_LENGTH = 50;
export const MAX_LINES = 1000;
export const MAX_VARIANTS = 2048;

/** A schema-level message that leaves a missing value to the caller's "required". */
const unlessMissing = (message: string) => (issue: {input?: unknown}) =>
  issue.input === undefined ? undefined : message;

const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;
const NOT_BLANK = /\S/;

export function isIngestEventType(value: unknown): value is IngestEventType {
  return typeof value === 'string' && (INGEST_EVENT_TYPES as readonly string[]).includes(value);
}

/** ISO 4217 codes known to the platform's ICU data (static, so the check is pure). */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && CURRENCIES.has(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars

const idSchema = (max: number) =>
  z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? 'must be a string: send ids as JSON strings ("1234"), numbers above 2^53 lose precision'
          : undefined,
    })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

/** An entity id (customer, product, order…). */
const entityId = idSchema(MAX_ENTITY_ID_LENGTH);
/** The event's idempotency key. */
const eventIdSchema = idSchema(MAX_EVENT_ID_LENGTH);

/** ISO 8601 date and time with seconds and an offset (`Z` or `±hh:mm`). */
const timestampSchema = z.iso.datetime({
  offset: true,
  error: unlessMissing(
    'must be an ISO 8601 date-time with seconds and an offset, e.g. "2025-03-01T12:00:00Z" or "2025-03-01T13:00:00+01:00"',
  ),
});

/** Required text: not blank. */
const requiredText = (max: number) =>
  z.string().max(max, `must be at most ${max} characters`).regex(NOT_BLANK, 'must not be blank');
/** Optional free text: may be empty, which means "not known". */
const optionalText = (max: number) => z.string().max(max, `must be at most ${max} characters`).optional();

const url = z
  .url({protocol: /^https?$/, error: unlessMissing('must be an absolute http(s) URL')})
  .max(2000, 'must be at most 2000 characters');

const email = z
  .email({error: unlessMissing('must be a valid email address')})
  .max(254, 'must be at most 254 characters');

const currency = z.string().refine(isKnownCurrency, 'must be an ISO 4217 currency code in upper case, e.g. "EUR"');

const positiveQuantity = z
  .int('must be a positive integer')
  .min(1, 'must be a positive integer')
  .max(1_000_000, 'must be at most 1000000');

const DECIMAL = /^(0|[1-9]\d{0,11})(?:\.(\d{1,12}))?$/;

/**
 * A non-negative decimal amount as a string ("12.30"), at most 12 integer digits (and 15 digits once scaled to
 * minor units, so that they stay safe integers). Digits beyond the currency's precision are allowed only when they
 * are zeros ("1200.00" in JPY): an amount is never rounded. `digits` undefined = currency not known: only the format
 * is checked (the currency field reports its own problem).
 */
function moneyAmountSchema(digits: number | undefined) {
  return z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? 'must be a decimal string such as "12.30", not a JSON number (numbers lose precision)'
          : undefined,
    })
    .regex(DECIMAL, 'must be a non-negative decimal string such as "12.30" (no sign, exponent or thousands separator)')
    .refine(
      (value) => {
        const fraction = DECIMAL.exec(value)?.[2];
        return digits === undefined || fraction === undefined || /^0*$/.test(fraction.slice(digits));
      },
      digits === 0
        ? 'must be a whole amount in this currency (no non-zero decimals)'
        : `must have at most ${digits ?? 0} decimals in this currency`,
    )
    .refine((value) => {
      // Minor units must stay safe integers: at most 15 digits once scaled (12 before the point with 3 decimals).
      const whole = DECIMAL.exec(value)?.[1];
      return digits === undefined || whole === undefined || whole.length + digits <= 15;
    }, 'is too large');
}

const PERCENT = /^(0|[1-9]\d{0,2})(?:\.\d{1,4})?$/;

const percentSchema = z
  .string({
    error: (issue) => (typeof issue.input === 'number' ? 'must be a decimal string such as "15" or "12.5"' : undefined),
  })
  .regex(PERCENT, 'must be a decimal string such as "15" or "12.5", at most 4 decimals')
  .refine((value) => {
    if (!PERCENT.test(value)) return true; // reported by the format check
    const n = Number(value);
    return n > 0 && n <= 100;
  }, 'must be greater than 0 and at most 100');

// ---------------------------------------------------------------------------------------------------------------
// Cross-field rules run even when other fields have problems, so that every problem is reported at once.

type Report = (path: Array<string | number>, message: string) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withRules<S extends z.ZodType>(schema: S, rule: (value: Record<string, unknown>, report: Report) => void): S {
  return schema.superRefine(
    (value, ctx) =>
      rule(value as Record<string, unknown>, (path, message) =>
        ctx.addIssue({code: 'custom', path, message, input: value}),
      ),
    {when: (payload) => isRecord(payload.value)},
  );
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Reports every id that appears twice in `items[].key`. */
function reportDuplicateIds(items: unknown, key: string, field: string, report: Report): void {
  if (!Array.isArray(items)) return;
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const id = isRecord(item) ? item[key] : undefined;
    if (typeof id !== 'string') return;
    if (seen.has(id)) report([field, index, key], `duplicate id "${id}"`);
    seen.add(id);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Shared objects

const address = z.strictObject({
  name: optionalText(200),
  company: optionalText(200),
  address1: optionalText(200),
  address2: optionalText(200),
  city: optionalText(200),
  province: optionalText(200),
  province_code: optionalText(10),
  postal_code: optionalText(20),
  country: optionalText(100),
  country_code: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case, e.g. "DE"')
    .optional(),
  phone: optionalText(50),
});

const consentEvidence = z.strictObject({
  text: requiredText(5000),
  text_version: optionalText(100),
  ip: z.union([z.ipv4(), z.ipv6()], {error: unlessMissing('must be an IPv4 or IPv6 address')}).optional(),
  user_agent: optionalText(1000),
  page: url.optional(),
});

/** Only a person's own request gives "subscribed" or "pending", so both need the evidence of it. */
const consent = withRules(
  z.strictObject({
    state: z.enum(['subscribed', 'pending', 'not_subscribed', 'unsubscribed']),
    updated_at: timestampSchema,
    source: z.literal('ingest_api', 'must be "ingest_api"'),
    evidence: consentEvidence.optional(),
  }),
  (value, report) => {
    if ((value.state === 'subscribed' || value.state === 'pending') && !present(value.evidence)) {
      report(
        ['evidence'],
        `required when state is "${value.state}": the text the person agreed to (never subscribe without evidence)`,
      );
    }
  },
);

const customerRef = withRules(
  z.strictObject({
    id: entityId.optional(),
    email: email.optional(),
    first_name: optionalText(200),
    last_name: optionalText(200),
    accepts_marketing: z.boolean().optional(),
  }),
  (value, report) => {
    if (!present(value.id) && !present(value.email))
      report(['id'], 'required when there is no email (send id, email or both)');
  },
);

/** Zod drops a `__proto__` key from records (it would replace the prototype); reject it instead of losing it. */
const noProtoKey = z.unknown().check(
  z.refine((value) => !(isRecord(value) && Object.hasOwn(value, '__proto__')), {
    message: 'is a reserved name',
    path: ['__proto__'],
  }),
);

const attributes = noProtoKey.pipe(
  z
    .record(
      z.string().max(100, 'attribute names must be at most 100 characters'),
      z.string().max(1000, 'must be at most 1000 characters'),
    )
    .refine((value) => Object.keys(value).length <= 100, 'must have at most 100 attributes'),
);

const tags = z.array(requiredText(100)).max(250, 'must have at most 250 tags');

// ---------------------------------------------------------------------------------------------------------------
// Per-type data, for a currency with `digits` minor-unit digits

function buildDataSchemas(digits: number | undefined) {
  const money = moneyAmountSchema(digits);

  const line = withRules(
    z.strictObject({
      id: entityId,
      product_id: entityId.nullable(),
      variant_id: entityId.nullable(),
      title: requiredText(500),
      variant_title: optionalText(500),
      sku: optionalText(100),
      quantity: positiveQuantity,
      price: money,
      discount: money.optional(),
    }),
    (value, report) => {
      if (present(value.variant_id) && value.product_id === null)
        report(['product_id'], 'required when variant_id is set');
    },
  );
  const lines = z
    .array(line)
    .min(1, 'must have at least 1 line')
    .max(MAX_LINES, `must have at most ${MAX_LINES} lines`);

  const refundLine = z.strictObject({line_id: entityId, quantity: positiveQuantity, subtotal: money});
  const refundLines = z.array(refundLine).max(MAX_LINES, `must have at most ${MAX_LINES} lines`);

  const variant = z.strictObject({
    id: entityId,
    title: requiredText(500),
    sku: optionalText(100),
    price: money,
    inventory_quantity: z.int('must be an integer').optional(),
    image_url: url.optional(),
    url: url.optional(),
    visible: z.boolean().optional(),
    backorders: z.boolean().optional(),
  });

  const image = z.strictObject({
    id: entityId,
    url,
    variant_ids: z.array(entityId).max(MAX_VARIANTS).optional(),
  });

  return {
    'customer.upsert': withRules(
      z.strictObject({
        id: entityId,
        email: email.optional(),
        first_name: optionalText(200),
        last_name: optionalText(200),
        phone: optionalText(50),
        company: optionalText(200),
        address: address.optional(),
        consent: consent.optional(),
        tags: tags.optional(),
        created_at: timestampSchema.optional(),
        updated_at: timestampSchema.optional(),
      }),
      (value, report) => {
        if (present(value.consent) && !present(value.email)) report(['email'], 'required when consent is given');
      },
    ),
    'customer.delete': z.strictObject({id: entityId}),
    'consent.update': z.strictObject({
      customer_id: entityId.optional(),
      email,
      first_name: optionalText(200),
      last_name: optionalText(200),
      consent,
    }),
    'product.upsert': withRules(
      z.strictObject({
        id: entityId,
        currency,
        title: requiredText(500),
        handle: optionalText(255),
        url: url.optional(),
        description: optionalText(65_535),
        type: optionalText(255),
        vendor: optionalText(255),
        image_url: url.optional(),
        images: z.array(image).max(250, 'must have at most 250 images').optional(),
        variants: z
          .array(variant)
          .min(
            1,
            'must have at least 1 variant (a product without options has one variant, which may reuse the product id)',
          )
          .max(MAX_VARIANTS, `must have at most ${MAX_VARIANTS} variants`),
        collections: z.array(requiredText(255)).max(250, 'must have at most 250 collections').optional(),
        published_at: timestampSchema.optional(),
        updated_at: timestampSchema.optional(),
      }),
      (value, report) => {
        reportDuplicateIds(value.variants, 'id', 'variants', report);
        reportDuplicateIds(value.images, 'id', 'images', report);
        if (!Array.isArray(value.variants) || !Array.isArray(value.images)) return;
        const variantIds = new Set(value.variants.map((v) => (isRecord(v) ? v.id : undefined)));
        value.images.forEach((img, i) => {
          const ids = isRecord(img) ? img.variant_ids : undefined;
          if (!Array.isArray(ids)) return;
          ids.forEach((id, j) => {
            if (typeof id === 'string' && !variantIds.has(id))
              report(['images', i, 'variant_ids', j], `no variant with id "${id}" in this product`);
          });
        });
      },
    ),
    'product.delete': z.strictObject({id: entityId}),
    'order.upsert': withRules(
      z.strictObject({
        id: entityId,
        name: optionalText(100),
        customer: customerRef,
        currency,
        total: money,
        discount_total: money.optional(),
        tax_total: money.optional(),
        shipping_total: money.optional(),
        lines,
        refunds: z
          .array(
            z.strictObject({id: entityId, created_at: timestampSchema, amount: money, lines: refundLines.optional()}),
          )
          .max(100, 'must have at most 100 refunds')
          .optional(),
        discount_codes: z
          .array(
            z.strictObject({code: requiredText(50), amount: money, type: z.enum(['fixed', 'percentage', 'shipping'])}),
          )
          .max(100, 'must have at most 100 discount codes')
          .optional(),
        financial_status: z.enum([
          'pending',
          'authorized',
          'paid',
          'partially_paid',
          'partially_refunded',
          'refunded',
          'voided',
        ]),
        fulfillment_status: z.enum(['unfulfilled', 'partial', 'fulfilled', 'restocked']),
        cancelled_at: timestampSchema.optional(),
        processed_at: timestampSchema,
        updated_at: timestampSchema.optional(),
        is_test: z.boolean().optional(),
        landing_site: optionalText(2000),
        referring_site: optionalText(2000),
        attributes: attributes.optional(),
        cart_id: entityId.optional(),
        order_url: url.optional(),
        shipping_address: address.optional(),
        billing_address: address.optional(),
        tracking: z
          .strictObject({number: optionalText(100), carrier: optionalText(100), url: url.optional()})
          .optional(),
      }),
      (value, report) => {
        reportDuplicateIds(value.lines, 'id', 'lines', report);
        reportDuplicateIds(value.refunds, 'id', 'refunds', report);
      },
    ),
    'refund.create': z.strictObject({
      id: entityId,
      order_id: entityId,
      currency,
      amount: money,
      created_at: timestampSchema.optional(),
      lines: refundLines.optional(),
    }),
    'cart.upsert': withRules(
      z.strictObject({
        id: entityId,
        customer: customerRef,
        currency,
        total: money,
        tax_total: money.optional(),
        lines,
        checkout_url: url.optional(),
        completed_at: timestampSchema.optional(),
        landing_site: optionalText(2000),
        attributes: attributes.optional(),
        updated_at: timestampSchema.optional(),
      }),
      (value, report) => reportDuplicateIds(value.lines, 'id', 'lines', report),
    ),
    'cart.delete': z.strictObject({id: entityId}),
    'promo.upsert': withRules(
      z.strictObject({
        id: entityId,
        title: optionalText(100),
        description: requiredText(255),
        currency: currency.optional(),
        amount: z.discriminatedUnion(
          'type',
          [
            z.strictObject({type: z.literal('percentage'), percent: percentSchema}),
            z.strictObject({type: z.literal('fixed'), value: money}),
          ],
          {error: unlessMissing('must be "percentage" or "fixed"')},
        ),
        target: z.enum(['per_item', 'total', 'shipping']),
        starts_at: timestampSchema.optional(),
        ends_at: timestampSchema.optional(),
        enabled: z.boolean(),
        codes: z
          .array(
            z.strictObject({
              id: entityId,
              code: requiredText(50),
              redemption_url: url,
              usage_count: z.int('must be a non-negative integer').min(0, 'must be a non-negative integer').optional(),
              enabled: z.boolean(),
            }),
          )
          .max(1000, 'must have at most 1000 codes')
          .optional(),
        updated_at: timestampSchema.optional(),
      }),
      (value, report) => {
        if (isRecord(value.amount) && value.amount.type === 'fixed' && !present(value.currency)) {
          report(['currency'], 'required when amount.type is "fixed"');
        }
        if (typeof value.starts_at === 'string' && typeof value.ends_at === 'string') {
          const starts = Date.parse(value.starts_at);
          const ends = Date.parse(value.ends_at);
          if (ends <= starts) report(['ends_at'], 'must be after starts_at');
        }
        reportDuplicateIds(value.codes, 'id', 'codes', report);
      },
    ),
    'promo.delete': z.strictObject({id: entityId}),
    'person.redact': withRules(
      z.strictObject({
        customer_id: entityId.optional(),
        email: email.optional(),
        order_ids: z.array(entityId).max(MAX_LINES, `must have at most ${MAX_LINES} ids`).optional(),
      }),
      (value, report) => {
        if (!present(value.customer_id) && !present(value.email))
          report(['customer_id'], 'required when there is no email (send customer_id, email or both)');
      },
    ),
  } satisfies Record<IngestEventType, z.ZodType>;
}

export type IngestDataSchemas = ReturnType<typeof buildDataSchemas>;
export type IngestData = {[T in IngestEventType]: z.output<IngestDataSchemas[T]>};

/** One event as accepted on the wire: validated, not transformed. */
export type ParsedIngestEvent = {
  [T in IngestEventType]: {id: string; type: T; occurred_at: string; data: IngestData[T]};
}[IngestEventType];

export type ParsedIngestEventOf<T extends IngestEventType> = Extract<ParsedIngestEvent, {type: T}>;

const schemasByDigits = new Map<number | undefined, IngestDataSchemas>();

/** The data schemas for a currency with `digits` minor-unit digits (undefined: currency not known). Memoised. */
export function dataSchemasFor(digits: number | undefined): IngestDataSchemas {
  let schemas = schemasByDigits.get(digits);
  if (!schemas) {
    schemas = buildDataSchemas(digits);
    schemasByDigits.set(digits, schemas);
  }
  return schemas;
}

/** The envelope of one event; `data` is validated against the schema of its `type` afterwards. */
export const eventEnvelopeSchema = z.strictObject({
  id: eventIdSchema,
  type: z.enum(INGEST_EVENT_TYPES, {
    error: (issue) =>
      `must be one of ${INGEST_EVENT_TYPES.join(', ')}${typeof issue.input === 'string' ? ` (got "${issue.input.slice(0, 50)}")` : ''}`,
  }),
  occurred_at: timestampSchema,
  data: z.unknown(),
});

export const bodySchema = z.strictObject({
  events: z.array(z.unknown(), {error: unlessMissing('must be an array of events')}),
});
