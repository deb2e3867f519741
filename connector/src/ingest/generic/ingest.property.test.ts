import fc from 'fast-check';
import {currencyDigits, type Money} from '../../model/money.js';
import {parseEventsBody} from './parse-events-body.js';
import {INGEST_EVENT_TYPES, type IngestEventType} from './schemas.js';
import {percentToFraction, toStoreEvent} from './to-store-events.js';

/*
 * Property tests of the generic ingest: generated valid events always parse and map; money survives exactly; and no
 * JSON value, however odd, makes the parser throw.
 */

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries of valid wire values

const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'KRW', 'HUF', 'KWD', 'BHD', 'TND', 'CHF'];

const idArb = fc.string({minLength: 1, maxLength: 50});
const textArb = (max = 30) => fc.string({maxLength: max});
const requiredTextArb = (max = 30) => fc.string({minLength: 1, maxLength: max}).filter((s) => /\S/.test(s));
const slugArb = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
const urlArb = slugArb.map((slug) => `https://shop.example.com/${slug}?ref=${slug}`);
const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9_+-]{1,12}(\.[a-z0-9]{1,6})?$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    fc.constantFrom('com', 'de', 'co.uk'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/** Any instant between 1970 and 2100, written with a random offset and 0, 3 or 6 fractional digits. */
const timestampArb = fc
  .tuple(
    fc.integer({min: 0, max: 4_102_444_800_000}),
    fc.integer({min: -12 * 4, max: 14 * 4}).map((quarters) => quarters * 15),
    fc.constantFrom(0, 3, 6),
  )
  .map(([ms, offsetMinutes, fractionDigits]) => {
    const local = new Date(ms + offsetMinutes * 60_000).toISOString(); // the wall-clock time at that offset
    const fraction = fractionDigits === 0 ? '' : `.${(local.slice(20, 23) + '000').slice(0, fractionDigits)}`;
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const offset =
      offsetMinutes === 0
        ? 'Z'
        : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local.slice(0, 19)}${fraction}${offset}`;
  });

/** A valid amount for `digits` decimals: significant decimals up to `digits`, then possibly trailing zeros. */
const amountArb = (digits: number) =>
  fc
    .tuple(
      fc.oneof(fc.constant(0), fc.integer({min: 0, max: 999}), fc.integer({min: 0, max: 999_999_999_999})),
      fc.string({unit: fc.constantFrom(...'0123456789'), maxLength: digits}),
      fc.nat({max: 2}),
    )
    .map(([whole, significant, zeros]) => {
      const fraction = significant + '0'.repeat(zeros);
      return fraction === '' ? String(whole) : `${whole}.${fraction}`;
    });

/** "12.3" in EUR → "12.30"; "1200.00" in JPY → "1200": the amount written with exactly the currency's decimals. */
function normaliseAmount(amount: string, digits: number): string {
  const [whole = '', fraction = ''] = amount.split('.');
  return digits === 0 ? whole : `${whole}.${fraction.padEnd(digits, '0').slice(0, digits)}`;
}

/** Minor units back to a decimal string with exactly the currency's decimals. */
function formatMoney(money: Money): string {
  const digits = currencyDigits(money.currency);
  if (digits === 0) return String(money.minor);
  const padded = String(money.minor).padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

const consentArb = fc
  .record(
    {
      state: fc.constantFrom('subscribed', 'pending', 'not_subscribed', 'unsubscribed'),
      updated_at: timestampArb,
      evidence: fc.record(
        {
          text: requiredTextArb(200),
          text_version: textArb(),
          ip: fc.oneof(fc.ipV4(), fc.constantFrom('2001:db8::1', '::1', 'fe80::1ff:fe23:4567:890a')),
          user_agent: textArb(100),
          page: urlArb,
        },
        {requiredKeys: ['text']},
      ),
    },
    {requiredKeys: ['state', 'updated_at']},
  )
  .map((consent) => {
    const needsEvidence = consent.state === 'subscribed' || consent.state === 'pending';
    const {evidence, ...rest} = consent;
    return {
      ...rest,
      source: 'ingest_api',
      ...(needsEvidence || evidence ? {evidence: evidence ?? {text: 'I agree.'}} : {}),
    };
  });

const addressArb = fc.record(
  {
    name: textArb(),
    company: textArb(),
    address1: textArb(),
    address2: textArb(),
    city: textArb(),
    province: textArb(),
    province_code: textArb(10),
    postal_code: textArb(20),
    country: textArb(),
    country_code: fc.stringMatching(/^[A-Z]{2}$/),
    phone: textArb(50),
  },
  {requiredKeys: []},
);

const customerRefArb = fc
  .record(
    {id: idArb, email: emailArb, first_name: textArb(), last_name: textArb(), accepts_marketing: fc.boolean()},
    {requiredKeys: []},
  )
  .map((ref) => (ref.id === undefined && ref.email === undefined ? {...ref, email: 'someone@example-mail.com'} : ref));

const lineArb = (digits: number) =>
  fc
    .record(
      {
        product_id: fc.option(idArb, {nil: null}),
        variant_id: fc.option(idArb, {nil: null}),
        title: requiredTextArb(),
        variant_title: textArb(),
        sku: textArb(),
        quantity: fc.integer({min: 1, max: 1_000_000}),
        price: amountArb(digits),
        discount: amountArb(digits),
      },
      {requiredKeys: ['product_id', 'variant_id', 'title', 'quantity', 'price']},
    )
    // a variant always comes with its product
    .map((line) =>
      line.product_id === null && line.variant_id !== null
        ? {...line, product_id: `p-${line.variant_id}`.slice(0, 50)}
        : line,
    );

const withIds = <T extends object>(items: T[]) => items.map((item, index) => ({id: `id-${index}`, ...item}));

const currencyAnd = <T>(build: (currency: string, digits: number) => fc.Arbitrary<T>) =>
  fc.constantFrom(...CURRENCIES).chain((currency) => build(currency, currencyDigits(currency)));

// Valid attribute names only: `__proto__` is a reserved name the parser rejects on purpose (parse-events-body.test.ts).
const attributesArb = fc.dictionary(
  fc.string({maxLength: 20}).filter((key) => key !== '__proto__'),
  textArb(50),
  {maxKeys: 5},
);

const dataArbs: {[T in IngestEventType]: fc.Arbitrary<Json>} = {
  'customer.upsert': fc
    .record(
      {
        id: idArb,
        email: emailArb,
        first_name: textArb(),
        last_name: textArb(),
        phone: textArb(50),
        company: textArb(),
        address: addressArb,
        consent: consentArb,
        tags: fc.array(requiredTextArb(100), {maxLength: 5}),
        created_at: timestampArb,
        updated_at: timestampArb,
      },
      {requiredKeys: ['id']},
    )
    .map((customer) =>
      customer.consent && !customer.email ? {...customer, email: 'consenting@example-mail.com'} : customer,
    ),
  'customer.delete': fc.record({id: idArb}),
  'consent.update': fc.record(
    {customer_id: idArb, email: emailArb, first_name: textArb(), last_name: textArb(), consent: consentArb},
    {requiredKeys: ['email', 'consent']},
  ),
  'product.upsert': currencyAnd((currency, digits) =>
    fc
      .record(
        {
          id: idArb,
          title: requiredTextArb(),
          handle: textArb(),
          url: urlArb,
          description: textArb(200),
          type: textArb(),
          vendor: textArb(),
          image_url: urlArb,
          variants: fc.array(
            fc.record(
              {
                title: requiredTextArb(),
                sku: textArb(),
                price: amountArb(digits),
                inventory_quantity: fc.integer({min: -1000, max: 100_000}),
                image_url: urlArb,
                url: urlArb,
                visible: fc.boolean(),
                backorders: fc.boolean(),
              },
              {requiredKeys: ['title', 'price']},
            ),
            {minLength: 1, maxLength: 5},
          ),
          images: fc.array(
            fc.record({url: urlArb, variant_ids: fc.subarray(['id-0', 'id-1'])}, {requiredKeys: ['url']}),
            {maxLength: 3},
          ),
          collections: fc.array(requiredTextArb(), {maxLength: 3}),
          published_at: timestampArb,
          updated_at: timestampArb,
        },
        {requiredKeys: ['id', 'title', 'variants']},
      )
      .map(({variants, images, ...product}) => {
        const withVariantIds = withIds(variants);
        const known = new Set(withVariantIds.map((v) => v.id));
        return {
          ...product,
          currency,
          variants: withVariantIds,
          ...(images
            ? {
                images: withIds(images).map((img) => ({
                  ...img,
                  ...(img.variant_ids ? {variant_ids: img.variant_ids.filter((id) => known.has(id))} : {}),
                })),
              }
            : {}),
        };
      }),
  ),
  'product.delete': fc.record({id: idArb}),
  'order.upsert': currencyAnd((currency, digits) =>
    fc
      .record(
        {
          id: idArb,
          name: textArb(),
          customer: customerRefArb,
          total: amountArb(digits),
          discount_total: amountArb(digits),
          tax_total: amountArb(digits),
          shipping_total: amountArb(digits),
          lines: fc.array(lineArb(digits), {minLength: 1, maxLength: 4}),
          refunds: fc.array(
            fc.record(
              {
                created_at: timestampArb,
                amount: amountArb(digits),
                lines: fc.array(
                  fc.record({line_id: idArb, quantity: fc.integer({min: 1, max: 10}), subtotal: amountArb(digits)}),
                  {maxLength: 2},
                ),
              },
              {requiredKeys: ['created_at', 'amount']},
            ),
            {maxLength: 2},
          ),
          discount_codes: fc.array(
            fc.record({
              code: requiredTextArb(50),
              amount: amountArb(digits),
              type: fc.constantFrom('fixed', 'percentage', 'shipping'),
            }),
            {
              maxLength: 2,
            },
          ),
          financial_status: fc.constantFrom(
            'pending',
            'authorized',
            'paid',
            'partially_paid',
            'partially_refunded',
            'refunded',
            'voided',
          ),
          fulfillment_status: fc.constantFrom('unfulfilled', 'partial', 'fulfilled', 'restocked'),
          cancelled_at: timestampArb,
          processed_at: timestampArb,
          updated_at: timestampArb,
          is_test: fc.boolean(),
          landing_site: textArb(100),
          referring_site: textArb(100),
          attributes: attributesArb,
          order_url: urlArb,
          shipping_address: addressArb,
          billing_address: addressArb,
          tracking: fc.record({number: textArb(), carrier: textArb(), url: urlArb}, {requiredKeys: []}),
        },
        {requiredKeys: ['id', 'customer', 'total', 'lines', 'financial_status', 'fulfillment_status', 'processed_at']},
      )
      .map(({lines, refunds, ...order}) => ({
        ...order,
        currency,
        lines: withIds(lines),
        ...(refunds ? {refunds: withIds(refunds)} : {}),
      })),
  ),
  'refund.create': currencyAnd((currency, digits) =>
    fc
      .record(
        {
          id: idArb,
          order_id: idArb,
          amount: amountArb(digits),
          created_at: timestampArb,
          lines: fc.array(
            fc.record({line_id: idArb, quantity: fc.integer({min: 1, max: 10}), subtotal: amountArb(digits)}),
            {maxLength: 3},
          ),
        },
        {requiredKeys: ['id', 'order_id', 'amount']},
      )
      .map((refund) => ({...refund, currency})),
  ),
  'cart.upsert': currencyAnd((currency, digits) =>
    fc
      .record(
        {
          id: idArb,
          customer: customerRefArb,
          total: amountArb(digits),
          tax_total: amountArb(digits),
          lines: fc.array(lineArb(digits), {minLength: 1, maxLength: 4}),
          checkout_url: urlArb,
          completed_at: timestampArb,
          landing_site: textArb(100),
          attributes: attributesArb,
          updated_at: timestampArb,
        },
        {requiredKeys: ['id', 'customer', 'total', 'lines']},
      )
      .map(({lines, ...cart}) => ({...cart, currency, lines: withIds(lines)})),
  ),
  'cart.delete': fc.record({id: idArb}),
  'promo.upsert': currencyAnd((currency, digits) =>
    fc
      .record(
        {
          id: idArb,
          title: textArb(100),
          description: requiredTextArb(255),
          amount: fc.oneof(
            fc.record({
              type: fc.constant('percentage'),
              percent: fc.integer({min: 1, max: 1_000_000}).map((n) => String(n / 10_000)),
            }),
            fc.record({type: fc.constant('fixed'), value: amountArb(digits)}),
          ),
          target: fc.constantFrom('per_item', 'total', 'shipping'),
          window: fc.tuple(timestampArb, timestampArb).filter(([a, b]) => Date.parse(a) !== Date.parse(b)),
          enabled: fc.boolean(),
          codes: fc.array(
            fc.record(
              {code: requiredTextArb(50), redemption_url: urlArb, usage_count: fc.nat(), enabled: fc.boolean()},
              {requiredKeys: ['code', 'redemption_url', 'enabled']},
            ),
            {maxLength: 3},
          ),
          updated_at: timestampArb,
        },
        {requiredKeys: ['id', 'description', 'amount', 'target', 'enabled']},
      )
      .map(({window, codes, ...promo}) => {
        const [starts_at, ends_at] = window ? [...window].sort((a, b) => Date.parse(a) - Date.parse(b)) : [];
        return {
          ...promo,
          ...(promo.amount.type === 'fixed' ? {currency} : {}),
          ...(starts_at !== undefined ? {starts_at, ends_at} : {}),
          ...(codes ? {codes: withIds(codes)} : {}),
        };
      }),
  ),
  'promo.delete': fc.record({id: idArb}),
  'person.redact': fc
    .record({customer_id: idArb, email: emailArb, order_ids: fc.array(idArb, {maxLength: 3})}, {requiredKeys: []})
    .map((redact) =>
      redact.customer_id === undefined && redact.email === undefined ? {...redact, customer_id: 'c-1'} : redact,
    ),
};

const eventArb = (type: IngestEventType) =>
  fc.record({
    id: fc.string({minLength: 1, maxLength: 200}),
    type: fc.constant(type),
    occurred_at: timestampArb,
    data: dataArbs[type],
  });

const anyEventArb = fc.constantFrom(...INGEST_EVENT_TYPES).chain(eventArb);

// ---------------------------------------------------------------------------------------------------------------

describe('generic ingest properties', () => {
  it('parses and maps any valid event of any type, without transforming the wire form', () => {
    fc.assert(
      fc.property(fc.array(anyEventArb, {minLength: 1, maxLength: 5}), (events) => {
        const result = parseEventsBody({events});
        if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.errors)}\n${JSON.stringify(events)}`);
        expect(result.events).toEqual(events);
        for (const event of result.events) {
          const mapped = toStoreEvent(event);
          expect(mapped.kind).toBe(event.type);
        }
      }),
      {numRuns: 300},
    );
  });

  it('keeps every order amount exact: decimal string → minor units → decimal string is the normalised input', () => {
    fc.assert(
      fc.property(eventArb('order.upsert'), (event) => {
        const result = parseEventsBody({events: [event]});
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        const mapped = toStoreEvent(result.events[0]!);
        if (mapped.kind !== 'order.upsert') throw new Error(mapped.kind);
        const data = event.data as {
          currency: string;
          total: string;
          lines: Array<{price: string; discount?: string}>;
          refunds?: Array<{amount: string}>;
          discount_codes?: Array<{amount: string}>;
        };
        const digits = currencyDigits(data.currency);
        const same = (input: string, money: Money) => {
          expect(money.currency).toBe(data.currency);
          expect(Number.isSafeInteger(money.minor)).toBe(true);
          expect(formatMoney(money)).toBe(normaliseAmount(input, digits));
        };
        same(data.total, mapped.order.total);
        data.lines.forEach((line, i) => {
          same(line.price, mapped.order.lines[i]!.price);
          same(line.discount ?? '0', mapped.order.lines[i]!.discount);
        });
        data.refunds?.forEach((refund, i) => same(refund.amount, mapped.order.refunds[i]!.amount));
        data.discount_codes?.forEach((code, i) => same(code.amount, mapped.order.discountCodes[i]!.amount));
      }),
      {numRuns: 300},
    );
  });

  it('keeps any amount exact in any currency the platform knows', () => {
    const currencies = Intl.supportedValuesOf('currency');
    fc.assert(
      fc.property(
        fc
          .constantFrom(...currencies)
          .chain((currency) => fc.tuple(fc.constant(currency), amountArb(currencyDigits(currency)))),
        ([currency, amount]) => {
          const event = {
            id: 'e',
            type: 'refund.create',
            occurred_at: '2025-01-01T00:00:00Z',
            data: {id: 'r', order_id: 'o', currency, amount},
          };
          const result = parseEventsBody({events: [event]});
          if (!result.ok) throw new Error(JSON.stringify(result.errors));
          const mapped = toStoreEvent(result.events[0]!);
          if (mapped.kind !== 'refund.create') throw new Error(mapped.kind);
          expect(formatMoney(mapped.refund.amount)).toBe(normaliseAmount(amount, currencyDigits(currency)));
        },
      ),
      {numRuns: 500},
    );
  });

  it('turns a percent into the double nearest to percent / 100', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 1_000_000}), (tenThousandths) => {
        const percent = String(tenThousandths / 10_000); // at most 4 decimals, as the API allows
        const exact = (tenThousandths / 1_000_000).toFixed(6); // the fraction, as a decimal string
        expect(percentToFraction(percent)).toBe(Number(exact));
      }),
    );
  });

  it('refuses a NUL character in any text of a valid event, naming that field (issue #12 item 10)', () => {
    fc.assert(
      fc.property(anyEventArb, fc.nat(), fc.nat(), (event, pick, at) => {
        const leaves = stringLeaves({events: [event]});
        const [path, value] = leaves[pick % leaves.length]!;
        const poisoned = setAt(
          {events: [event]},
          path,
          value.slice(0, at % (value.length + 1)) + '\u0000' + value.slice(at % (value.length + 1)),
        );
        const result = parseEventsBody(poisoned);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const field = path.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
        expect(result.errors).toContainEqual({field, message: expect.stringMatching(/NUL/)});
      }),
      {numRuns: 300},
    );
  });

  it('never throws on an arbitrary JSON body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const result = parseEventsBody(body);
        expect(typeof result.ok).toBe('boolean');
      }),
      {numRuns: 1000},
    );
  });

  it('never throws on arbitrary JSON events, and rejects them with paths under events/', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), {minLength: 1, maxLength: 5}), (events) => {
        const result = parseEventsBody({events});
        if (result.ok) return;
        for (const error of result.errors) expect(error.field === '' || error.field.startsWith('events/')).toBe(true);
      }),
      {numRuns: 500},
    );
  });

  it('never throws when any field of a valid event is replaced by arbitrary JSON, and maps what it accepts', () => {
    fc.assert(
      fc.property(anyEventArb, fc.nat(), fc.jsonValue(), (event, pick, value) => {
        const data = {...(event.data as Json)};
        const keys = Object.keys(data);
        data[keys[pick % keys.length]!] = value;
        const result = parseEventsBody({events: [{...event, data}]});
        if (result.ok) toStoreEvent(result.events[0]!);
        else expect(result.errors.length).toBeGreaterThan(0);
      }),
      {numRuns: 1000},
    );
  });
});

/** Every string value in a JSON value, with its path. */
function stringLeaves(value: unknown, path: Array<string | number> = []): Array<[Array<string | number>, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...path, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

/** A deep copy of `value` with the string at `path` replaced. */
function setAt(value: unknown, path: Array<string | number>, replacement: string): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? setAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, k === head ? setAt(v, rest, replacement) : v]));
}
