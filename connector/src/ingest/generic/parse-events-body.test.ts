import {readFileSync} from 'node:fs';
import path from 'node:path';
import {MAX_REPORTED_ERRORS, parseEventsBody, type FieldError} from './parse-events-body.js';

type Json = Record<string, unknown>;

function fixture(type: string): Json {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures', `${type}.json`), 'utf8')) as Json;
}

/** A documented example with `data` changed by `edit` (which may mutate the copy). */
function withData(type: string, edit: (data: Json) => void): Json {
  const event = fixture(type);
  const data = structuredClone(event.data) as Json;
  edit(data);
  return {...event, data};
}

function errorsOf(body: unknown): FieldError[] {
  const result = parseEventsBody(body);
  if (result.ok) throw new Error('expected the body to be rejected');
  return result.errors;
}

function fieldsOf(body: unknown): string[] {
  return errorsOf(body).map((error) => error.field);
}

const lines = (data: Json) => data.lines as Json[];

describe('parseEventsBody: the body', () => {
  it.each([
    ['null', null],
    ['a string', 'events'],
    ['an array', [fixture('cart.delete')]],
  ])('rejects %s as the body itself', (_name, body) => {
    expect(errorsOf(body)).toEqual([{field: '', message: 'must be a JSON object {"events": [...]}'}]);
  });

  it('requires events', () => {
    expect(errorsOf({})).toEqual([{field: 'events', message: 'required'}]);
  });

  it('rejects events that are not an array, and unknown body fields', () => {
    expect(errorsOf({events: {}, version: 1})).toEqual([
      {field: 'events', message: 'must be an array of events'},
      {field: 'version', message: 'unknown field'},
    ]);
  });

  it('rejects an empty batch', () => {
    expect(errorsOf({events: []})).toEqual([{field: 'events', message: 'must contain at least 1 event'}]);
  });

  it('rejects 501 events, even valid ones', () => {
    const events = Array.from({length: 501}, (_, i) => ({...fixture('cart.delete'), id: `evt_${i}`}));
    expect(errorsOf({events})).toEqual([
      {field: 'events', message: 'must contain at most 500 events per request (got 501)'},
    ]);
  });

  it('accepts 500 events', () => {
    const events = Array.from({length: 500}, (_, i) => ({...fixture('cart.delete'), id: `evt_${i}`}));
    const result = parseEventsBody({events});
    expect(result.ok && result.events).toHaveLength(500);
  });

  it('accepts the same event id twice (deduplication is the inbox’s job)', () => {
    expect(parseEventsBody({events: [fixture('cart.delete'), fixture('cart.delete')]}).ok).toBe(true);
  });
});

describe('parseEventsBody: the event envelope', () => {
  it('rejects a number as event id, saying why', () => {
    expect(errorsOf({events: [{...fixture('cart.delete'), id: 12345}]})).toEqual([
      {
        field: 'events/0/id',
        message: 'must be a string: send ids as JSON strings ("1234"), numbers above 2^53 lose precision',
      },
    ]);
  });

  it('rejects an unknown type and leaves its data unchecked', () => {
    const errors = errorsOf({
      events: [fixture('cart.delete'), {...fixture('cart.delete'), type: 'order.created', data: 42}],
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe('events/1/type');
    expect(errors[0]!.message).toContain('must be one of customer.upsert, customer.delete');
    expect(errors[0]!.message).toContain('(got "order.created")');
  });

  it('rejects unknown envelope fields, a time without offset, missing data and an over-long id at once', () => {
    const event = {id: 'x'.repeat(201), type: 'cart.delete', occurred_at: '2025-03-01T12:00:00', store: 'a'};
    expect(errorsOf({events: [event]})).toEqual([
      {field: 'events/0/id', message: 'must be at most 200 characters'},
      {
        field: 'events/0/occurred_at',
        message: expect.stringContaining('must be an ISO 8601 date-time with seconds and an offset'),
      },
      {field: 'events/0/data', message: 'required'},
      {field: 'events/0/store', message: 'unknown field'},
    ]);
  });

  it.each(['2025-02-30T12:00:00Z', '2025-03-01 12:00:00Z', '2025-03-01T12:00Z', '2025-03-01', '1740830400'])(
    'rejects the time %s',
    (time) => {
      expect(fieldsOf({events: [{...fixture('cart.delete'), occurred_at: time}]})).toEqual(['events/0/occurred_at']);
    },
  );

  it('rejects a data that is not an object', () => {
    expect(fieldsOf({events: [{...fixture('cart.delete'), data: ['cart_77']}]})).toEqual(['events/0/data']);
  });
});

describe('parseEventsBody: ids', () => {
  it('rejects numbers as entity ids wherever they are', () => {
    const event = withData('order.upsert', (data) => {
      data.id = 9001;
      (data.customer as Json).id = 1001;
      lines(data)[0]!.product_id = 501;
      lines(data)[0]!.variant_id = Number.MAX_SAFE_INTEGER + 2;
    });
    const errors = errorsOf({events: [event]});
    expect(errors.map((e) => e.field)).toEqual([
      'events/0/data/id',
      'events/0/data/customer/id',
      'events/0/data/lines/0/product_id',
      'events/0/data/lines/0/variant_id',
    ]);
    for (const error of errors) expect(error.message).toContain('numbers above 2^53 lose precision');
  });

  it('rejects empty ids, ids over 50 characters and control characters', () => {
    const event = withData('product.upsert', (data) => {
      data.id = '';
      (data.variants as Json[])[0]!.id = 'v'.repeat(51);
      (data.variants as Json[])[1]!.id = 'var\n2';
    });
    expect(errorsOf({events: [event]})).toEqual([
      {field: 'events/0/data/id', message: 'must not be empty'},
      {field: 'events/0/data/variants/0/id', message: 'must be at most 50 characters'},
      {field: 'events/0/data/variants/1/id', message: 'must not contain control characters'},
      // the image points at the grey variant, whose id is now different
      {field: 'events/0/data/images/0/variant_ids/0', message: 'no variant with id "var_501_grey" in this product'},
    ]);
  });

  it('rejects duplicate line, variant and promo code ids', () => {
    const order = withData('order.upsert', (data) => {
      lines(data)[1]!.id = 'line_1';
    });
    const product = withData('product.upsert', (data) => {
      (data.variants as Json[])[1]!.id = 'var_501_grey';
    });
    const promo = withData('promo.upsert', (data) => {
      const codes = data.codes as Json[];
      codes.push({...codes[0]!, code: 'OTHER'});
    });
    expect(errorsOf({events: [order, product, promo]})).toEqual([
      {field: 'events/0/data/lines/1/id', message: 'duplicate id "line_1"'},
      {field: 'events/1/data/variants/1/id', message: 'duplicate id "var_501_grey"'},
      {field: 'events/2/data/codes/1/id', message: 'duplicate id "spring25-code"'},
    ]);
  });
});

describe('parseEventsBody: money', () => {
  it('rejects a malformed amount at its path', () => {
    const event = withData('order.upsert', (data) => {
      lines(data)[0]!.price = '12.3.4';
    });
    expect(errorsOf({events: [event]})).toEqual([
      {
        field: 'events/0/data/lines/0/price',
        message: 'must be a non-negative decimal string such as "12.30" (no sign, exponent or thousands separator)',
      },
    ]);
  });

  it.each(['-1.00', '+1.00', '1e3', '1,000.00', ' 12.30', '.5', '5.', '007.50', '', '1234567890123'])(
    'rejects the amount "%s"',
    (amount) => {
      expect(fieldsOf({events: [withData('refund.create', (data) => void (data.amount = amount))]})).toEqual([
        'events/0/data/amount',
      ]);
    },
  );

  it('rejects a JSON number as an amount, saying why', () => {
    expect(errorsOf({events: [withData('refund.create', (data) => void (data.amount = 19.9))]})).toEqual([
      {
        field: 'events/0/data/amount',
        message: 'must be a decimal string such as "12.30", not a JSON number (numbers lose precision)',
      },
    ]);
  });

  it('rejects more decimals than the currency has, unless they are zeros', () => {
    const eur = withData('refund.create', (data) => void (data.amount = '19.905'));
    const jpy = withData('cart.upsert', (data) => void (lines(data)[0]!.price = '1000.5'));
    const jpyZeros = withData('cart.upsert', (data) => void (lines(data)[0]!.price = '1000.000'));
    const eurZeros = withData('refund.create', (data) => void (data.amount = '19.9000'));
    expect(errorsOf({events: [eur, jpy, jpyZeros, eurZeros]})).toEqual([
      {field: 'events/0/data/amount', message: 'must have at most 2 decimals in this currency'},
      {field: 'events/1/data/lines/0/price', message: 'must be a whole amount in this currency (no non-zero decimals)'},
    ]);
  });

  it('accepts 12 digits before the point with 3 decimals (minor units stay safe integers)', () => {
    const event = withData('refund.create', (data) => {
      data.currency = 'KWD';
      data.amount = '999999999999.999';
      data.lines = [];
    });
    expect(parseEventsBody({events: [event]}).ok).toBe(true);
  });

  it('requires the currency', () => {
    const event = withData('order.upsert', (data) => void delete data.currency);
    expect(errorsOf({events: [event]})).toEqual([{field: 'events/0/data/currency', message: 'required'}]);
  });

  it.each(['eur', 'EURO', 'XYZ', 978])('rejects the currency %p', (currency) => {
    expect(fieldsOf({events: [withData('product.upsert', (data) => void (data.currency = currency))]})).toEqual([
      'events/0/data/currency',
    ]);
  });

  it('checks the format of amounts even when the currency is wrong', () => {
    const event = withData('order.upsert', (data) => {
      data.currency = 'euro';
      data.total = '53,75';
    });
    expect(fieldsOf({events: [event]})).toEqual(['events/0/data/currency', 'events/0/data/total']);
  });

  it('requires a currency for a fixed promo amount only', () => {
    const fixed = withData('promo.upsert', (data) => void (data.amount = {type: 'fixed', value: '5.00'}));
    expect(errorsOf({events: [fixed]})).toEqual([
      {field: 'events/0/data/currency', message: 'required when amount.type is "fixed"'},
    ]);
  });

  it.each(['0', '100.01', '12.34567', '-5', '1e1'])('rejects the percentage "%s"', (percent) => {
    const event = withData('promo.upsert', (data) => void (data.amount = {type: 'percentage', percent}));
    expect(fieldsOf({events: [event]})).toEqual(['events/0/data/amount/percent']);
  });

  it('rejects an unknown promo amount type', () => {
    const event = withData('promo.upsert', (data) => void (data.amount = {type: 'bogo'}));
    expect(errorsOf({events: [event]})).toEqual([
      {field: 'events/0/data/amount/type', message: 'must be "percentage" or "fixed"'},
    ]);
  });
});

describe('parseEventsBody: consent', () => {
  const subscribedWithout = (type: string) =>
    withData(type, (data) => {
      const consent = data.consent as Json;
      consent.state = 'subscribed';
      delete consent.evidence;
    });

  it('rejects "subscribed" without evidence, in a customer and in a consent update', () => {
    expect(errorsOf({events: [subscribedWithout('customer.upsert'), subscribedWithout('consent.update')]})).toEqual([
      {
        field: 'events/0/data/consent/evidence',
        message:
          'required when state is "subscribed": the text the person agreed to (never subscribe without evidence)',
      },
      {
        field: 'events/1/data/consent/evidence',
        message:
          'required when state is "subscribed": the text the person agreed to (never subscribe without evidence)',
      },
    ]);
  });

  it('rejects "pending" without evidence and evidence with a blank text', () => {
    const pending = withData('consent.update', (data) => void ((data.consent as Json).state = 'pending'));
    const blank = withData('customer.upsert', (data) => void (((data.consent as Json).evidence as Json).text = '  '));
    expect(errorsOf({events: [pending, blank]})).toEqual([
      {field: 'events/0/data/consent/evidence', message: expect.stringContaining('required when state is "pending"')},
      {field: 'events/1/data/consent/evidence/text', message: 'must not be blank'},
    ]);
  });

  it('accepts "unsubscribed" and "not_subscribed" without evidence', () => {
    const states = ['unsubscribed', 'not_subscribed'].map((state) =>
      withData('consent.update', (data) => void ((data.consent as Json).state = state)),
    );
    expect(parseEventsBody({events: states}).ok).toBe(true);
  });

  it('rejects other sources and states, bad evidence fields, and a consent without email', () => {
    const event = withData('customer.upsert', (data) => {
      delete data.email;
      const consent = data.consent as Json;
      consent.source = 'shopify';
      const evidence = consent.evidence as Json;
      evidence.ip = '999.1.1.1';
      evidence.page = 'javascript:alert(1)';
    });
    const redacted = withData('consent.update', (data) => void ((data.consent as Json).state = 'redacted'));
    expect(fieldsOf({events: [event, redacted]})).toEqual([
      'events/0/data/consent/source',
      'events/0/data/consent/evidence/ip',
      'events/0/data/consent/evidence/page',
      'events/0/data/email',
      'events/1/data/consent/state',
    ]);
  });
});

describe('parseEventsBody: strictness and other rules', () => {
  it('rejects unknown data fields, with a hint for camelCase, and escapes the path', () => {
    const event = withData('customer.upsert', (data) => {
      data.firstName = 'Ada';
      data['a/b~c'] = 1;
      (data.address as Json).zip = '12345';
    });
    expect(errorsOf({events: [event]})).toEqual([
      {field: 'events/0/data/address/zip', message: 'unknown field'},
      {
        field: 'events/0/data/firstName',
        message: 'unknown field (field names are snake_case: did you mean "first_name"?)',
      },
      {field: 'events/0/data/a~1b~0c', message: 'unknown field'},
    ]);
  });

  it('rejects null where a field is not nullable, and requires the nullable line ids to be present', () => {
    const event = withData('order.upsert', (data) => {
      data.name = null;
      delete lines(data)[1]!.product_id;
    });
    expect(fieldsOf({events: [event]})).toEqual(['events/0/data/name', 'events/0/data/lines/1/product_id']);
  });

  it.each([0, -1, 1.5, '2'])('rejects the quantity %p', (quantity) => {
    const event = withData('order.upsert', (data) => void (lines(data)[0]!.quantity = quantity));
    expect(fieldsOf({events: [event]})).toEqual(['events/0/data/lines/0/quantity']);
  });

  it('rejects a variant without its product, and an order without lines', () => {
    const line = withData('cart.upsert', (data) => void (lines(data)[0]!.product_id = null));
    const empty = withData('order.upsert', (data) => void (data.lines = []));
    expect(errorsOf({events: [line, empty]})).toEqual([
      {field: 'events/0/data/lines/0/product_id', message: 'required when variant_id is set'},
      {field: 'events/1/data/lines', message: 'must have at least 1 line'},
    ]);
  });

  it.each(['ada', 'ada@', 'ada@example', 'ada example@example-mail.com'])('rejects the email %p', (email) => {
    expect(fieldsOf({events: [withData('consent.update', (data) => void (data.email = email))]})).toEqual([
      'events/0/data/email',
    ]);
  });

  it('needs a customer id or an email on orders and redactions', () => {
    const order = withData('order.upsert', (data) => void (data.customer = {first_name: 'Ada'}));
    const redact = withData('person.redact', (data) => {
      delete data.customer_id;
      delete data.email;
    });
    expect(fieldsOf({events: [order, redact]})).toEqual(['events/0/data/customer/id', 'events/1/data/customer_id']);
  });

  it('rejects a promo that ends before it starts', () => {
    const event = withData('promo.upsert', (data) => void (data.ends_at = '2025-03-19T22:59:59Z'));
    expect(errorsOf({events: [event]})).toEqual([{field: 'events/0/data/ends_at', message: 'must be after starts_at'}]);
  });

  it('rejects a product without variants and an image of another product’s variant', () => {
    const event = withData('product.upsert', (data) => {
      data.variants = [];
    });
    expect(fieldsOf({events: [event]})).toEqual(['events/0/data/variants', 'events/0/data/images/0/variant_ids/0']);
  });

  it('rejects over-long text and attribute names', () => {
    const event = withData('order.upsert', (data) => {
      data.name = 'x'.repeat(101);
      data.attributes = {['k'.repeat(101)]: 'v'};
    });
    expect(errorsOf({events: [event]})).toEqual([
      {field: 'events/0/data/name', message: 'must be at most 100 characters'},
      {field: `events/0/data/attributes/${'k'.repeat(101)}`, message: 'attribute names must be at most 100 characters'},
    ]);
  });

  it('rejects an attribute named __proto__ rather than dropping it', () => {
    const event = JSON.parse(JSON.stringify(withData('cart.upsert', (data) => void (data.attributes = {})))) as Json;
    const text = JSON.stringify(event).replace('"attributes":{}', '"attributes":{"__proto__":"x","gift":"y"}');
    expect(errorsOf({events: [JSON.parse(text)]})).toEqual([
      {field: 'events/0/data/attributes/__proto__', message: 'is a reserved name'},
    ]);
  });

  it('reports every problem of every event at once', () => {
    const events = [
      withData('order.upsert', (data) => void (lines(data)[0]!.price = '12.3.4')),
      fixture('cart.delete'),
      {...fixture('cart.delete'), type: 'cart.abandon'},
      withData('product.upsert', (data) => void delete data.currency),
    ];
    expect(fieldsOf({events})).toEqual(['events/0/data/lines/0/price', 'events/2/type', 'events/3/data/currency']);
  });

  it(`lists at most ${MAX_REPORTED_ERRORS} problems, then says how many more`, () => {
    const events = Array.from({length: 150}, () => ({...fixture('cart.delete'), id: 1}));
    const errors = errorsOf({events});
    expect(errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(errors[MAX_REPORTED_ERRORS]).toEqual({field: '', message: '50 more problems not listed'});
  });
});
