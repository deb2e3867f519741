import request from 'supertest';
import {createSandbox, type Sandbox} from '../core/server.js';
import type {SandboxModule} from '../core/module.js';
import {loadRequestSchemas, validateRequest} from './request-validator.js';

const MEMBER = '/lists/{list_id}/members/{subscriber_hash}';
const MEMBERS = '/lists/{list_id}/members';
const STORES = '/ecommerce/stores';
const ORDERS = '/ecommerce/stores/{store_id}/orders';
const SEGMENTS = '/lists/{list_id}/segments';

const validOrder = {
  id: 'order-1',
  customer: {id: 'cust-1', email_address: 'ann@shop.example', opt_in_status: false},
  currency_code: 'EUR',
  order_total: 42.5,
  lines: [{id: 'line-1', product_id: 'prod-1', product_variant_id: 'var-1', quantity: 2, price: 21.25}],
};

describe('request validation from the OpenAPI description', () => {
  describe('PUT member (add or update)', () => {
    it('accepts an upsert without status_if_new (needed only for new members; the handler checks)', () => {
      expect(validateRequest('PUT', MEMBER, {}, {email_address: 'ann@shop.example', status: 'subscribed'})).toEqual([]);
    });

    it('accepts a full body with string merge fields, an address object and newer-than-3.0.76 fields', () => {
      const body = {
        email_address: 'ann@shop.example',
        status_if_new: 'pending',
        email_type: 'html',
        merge_fields: {
          FNAME: 'Ann',
          AGE: 42,
          ADDRESS: {addr1: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701'},
        },
        interests: {abc123: true},
        vip: false,
        location: {latitude: 1.5, longitude: -2},
        marketing_permissions: [{marketing_permission_id: 'mp1', enabled: true}],
        tags: ['vip'],
        whatever_else: {ignored: true},
      };
      expect(validateRequest('PUT', MEMBER, {skip_merge_validation: 'true'}, body)).toEqual([]);
    });

    it('reports null, enum and nested type problems with Mailchimp paths and wording', () => {
      const errors = validateRequest(
        'PUT',
        MEMBER,
        {},
        {email_address: null, status_if_new: 'maybe', interests: {abc: 'yes'}, vip: 'no'},
      );
      expect(errors).toEqual([
        {field: 'email_address', message: 'Schema describes string, NULL found instead'},
        {
          field: 'status_if_new',
          message:
            'Data presented is not one of the accepted values: subscribed, unsubscribed, cleaned, pending, transactional.',
        },
        {field: 'interests.abc', message: 'Schema describes boolean, string found instead'},
        {field: 'vip', message: 'Schema describes boolean, string found instead'},
      ]);
    });

    it('accepts an update without email_address (needed only to create a member; the handler checks)', () => {
      expect(validateRequest('PUT', MEMBER, {}, {status: 'unsubscribed'})).toEqual([]);
      expect(validateRequest('PUT', MEMBER, {}, {merge_fields: {FNAME: 'Ann'}})).toEqual([]);
    });

    it('checks declared query parameters and ignores unknown ones', () => {
      expect(
        validateRequest('PUT', MEMBER, {skip_merge_validation: 'sometimes'}, {email_address: 'a@shop.example'}),
      ).toEqual([{field: 'skip_merge_validation', message: 'Data presented is not a valid boolean: "sometimes".'}]);
      expect(validateRequest('PUT', MEMBER, {utm_whatever: 'x'}, {email_address: 'a@shop.example'})).toEqual([]);
    });
  });

  describe('POST member', () => {
    it('accepts email_address + status with tag names', () => {
      expect(
        validateRequest(
          'POST',
          MEMBERS,
          {},
          {email_address: 'ann@shop.example', status: 'subscribed', tags: ['vip', 'b2b']},
        ),
      ).toEqual([]);
    });

    it('lists every missing required field in one error on the body, and treats no body as an empty one', () => {
      const expected = [{field: '', message: 'Required fields were not provided: email_address, status'}];
      expect(validateRequest('POST', MEMBERS, {}, {})).toEqual(expected);
      expect(validateRequest('POST', MEMBERS, {}, undefined)).toEqual(expected);
    });

    it('rejects tags given as objects (the tags endpoint takes objects; POST member takes names)', () => {
      expect(
        validateRequest(
          'POST',
          MEMBERS,
          {},
          {email_address: 'a@shop.example', status: 'subscribed', tags: [{name: 'vip'}]},
        ),
      ).toEqual([{field: 'tags.item:0', message: 'Schema describes string, object found instead'}]);
    });
  });

  describe('POST store', () => {
    it('accepts a store', () => {
      const store = {
        id: 'shop-1',
        list_id: 'abc123',
        name: 'Shop',
        currency_code: 'EUR',
        is_syncing: true,
        domain: 'shop.example',
      };
      expect(validateRequest('POST', STORES, {}, store)).toEqual([]);
    });

    it('reports missing fields and wrong types', () => {
      expect(
        validateRequest('POST', STORES, {}, {id: 'shop-1', name: 'Shop', is_syncing: 'yes', address: {address1: null}}),
      ).toEqual([
        {field: '', message: 'Required fields were not provided: currency_code, list_id'},
        {field: 'is_syncing', message: 'Schema describes boolean, string found instead'},
        {field: 'address.address1', message: 'Schema describes string, NULL found instead'},
      ]);
    });
  });

  describe('POST order', () => {
    it('accepts an order, also with fields newer than 3.0.76 (cart_id, lines[].product)', () => {
      expect(validateRequest('POST', ORDERS, {}, validOrder)).toEqual([]);
      const newer = {...validOrder, cart_id: 'cart-1', lines: [{...validOrder.lines[0], product: {title: 'x'}}]};
      expect(validateRequest('POST', ORDERS, {}, newer)).toEqual([]);
    });

    it('reports problems inside lines as lines.item:<n>', () => {
      const order = {
        ...validOrder,
        order_total: '42.50',
        lines: [validOrder.lines[0], {id: 'line-2', product_id: 'prod-2', quantity: 1.5, price: 3}],
      };
      expect(validateRequest('POST', ORDERS, {}, order)).toEqual([
        {field: 'order_total', message: 'Schema describes number, string found instead'},
        {field: 'lines.item:1', message: 'Required fields were not provided: product_variant_id'},
        {field: 'lines.item:1.quantity', message: 'Schema describes integer, number found instead'},
      ]);
    });

    it('leaves a customer id over 50 characters to the handler (Mailchimp answers 404 for orders)', () => {
      expect(validateRequest('POST', ORDERS, {}, {...validOrder, customer: {id: 'c'.repeat(60)}})).toEqual([]);
    });

    it('keeps the 50-character limit where it is documented (customers)', () => {
      const customer = {id: 'c'.repeat(51), email_address: 'a@shop.example', opt_in_status: true};
      expect(validateRequest('PUT', '/ecommerce/stores/{store_id}/customers/{customer_id}', {}, customer)).toEqual([
        {field: 'id', message: 'Data presented is longer than the maximum of 50 characters.'},
      ]);
    });
  });

  describe('POST batch', () => {
    it('accepts operations whose bodies are JSON strings', () => {
      const batch = {
        operations: [
          {
            method: 'PUT',
            path: '/lists/abc/members/x',
            body: JSON.stringify({email_address: 'a@shop.example'}),
            operation_id: 'op-1',
          },
        ],
      };
      expect(validateRequest('POST', '/batches', {}, batch)).toEqual([]);
    });

    it('rejects an operation body given as an object, and operations not wrapped in {operations}', () => {
      const batch = {
        operations: [
          {method: 'POST', path: '/lists/abc/members', body: {email_address: 'a@shop.example'}},
          {method: 'FETCH', path: '/'},
        ],
      };
      expect(validateRequest('POST', '/batches', {}, batch)).toEqual([
        {field: 'operations.item:0.body', message: 'Schema describes string, object found instead'},
        {
          field: 'operations.item:1.method',
          message: 'Data presented is not one of the accepted values: GET, POST, PUT, PATCH, DELETE.',
        },
      ]);
      expect(validateRequest('POST', '/batches', {}, [{method: 'GET', path: '/'}])).toEqual([
        {field: '', message: 'Schema describes object, array found instead'},
      ]);
    });
  });

  describe('POST campaign', () => {
    it('accepts a regular campaign to a saved segment or to conditions', () => {
      const campaign = {
        type: 'regular',
        recipients: {list_id: 'abc123', segment_opts: {saved_segment_id: 12}},
        settings: {subject_line: 'Hi', from_name: 'Shop', reply_to: 'shop@shop.example', title: 'Promo'},
        tracking: {opens: true, ecomm360: true},
      };
      expect(validateRequest('POST', '/campaigns', {}, campaign)).toEqual([]);
      const byConditions = {
        ...campaign,
        recipients: {
          list_id: 'abc123',
          segment_opts: {
            match: 'all',
            conditions: [
              {condition_type: 'EcommSpent', field: 'ecomm_spent_all', op: 'greater', value: 100},
              {condition_type: 'StaticSegment', field: 'static_segment', op: 'static_is', value: 7},
            ],
          },
        },
      };
      expect(validateRequest('POST', '/campaigns', {}, byConditions)).toEqual([]);
    });

    it('reports the type enum, a missing list_id and a string segment id', () => {
      expect(
        validateRequest(
          'POST',
          '/campaigns',
          {},
          {type: 'newsletter', recipients: {segment_opts: {saved_segment_id: '12'}}},
        ),
      ).toEqual([
        {
          field: 'type',
          message: 'Data presented is not one of the accepted values: regular, plaintext, absplit, rss, variate.',
        },
        {field: 'recipients', message: 'Required fields were not provided: list_id'},
        {field: 'recipients.segment_opts.saved_segment_id', message: 'Schema describes integer, string found instead'},
      ]);
    });
  });

  describe('POST segment', () => {
    it('accepts a static segment and a saved segment with conditions', () => {
      expect(validateRequest('POST', SEGMENTS, {}, {name: 'VIPs', static_segment: ['a@shop.example']})).toEqual([]);
      const saved = {
        name: 'Buyers',
        options: {
          match: 'any',
          conditions: [
            {condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'member'},
            {condition_type: 'TextMerge', field: 'FNAME', op: 'contains', value: 'Ann'},
          ],
        },
      };
      expect(validateRequest('POST', SEGMENTS, {}, saved)).toEqual([]);
    });

    it('checks each condition against the branch its condition_type selects', () => {
      const body = {
        options: {
          match: 'sometimes',
          conditions: [
            {condition_type: 'StaticSegment', field: 'static_segment', op: 'static_is'},
            {condition_type: 'EcommCategory', field: 'ecomm_cat', op: 'bigger', value: 'shoes'},
            {condition_type: 'Telepathy', field: 'mind', op: 'is'},
          ],
        },
      };
      const errors = validateRequest('POST', SEGMENTS, {}, body);
      expect(errors).toHaveLength(5);
      expect(errors.slice(0, 4)).toEqual([
        {field: '', message: 'Required fields were not provided: name'},
        {field: 'options.match', message: 'Data presented is not one of the accepted values: any, all.'},
        {field: 'options.conditions.item:0', message: 'Required fields were not provided: value'},
        {
          field: 'options.conditions.item:1.op',
          message: 'Data presented is not one of the accepted values: is, not, contains, notcontain, starts, ends.',
        },
      ]);
      expect(errors[4]).toMatchObject({
        field: 'options.conditions.item:2.condition_type',
        message: expect.stringMatching(/^Data presented is not one of the accepted values: Aim, /),
      });
    });

    it('takes PATCH conditions as a flat list of condition objects (the description nests them in a second array)', () => {
      const patch = {
        name: 'Buyers',
        options: {
          match: 'all',
          conditions: [{condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'member'}],
        },
      };
      expect(validateRequest('PATCH', '/lists/{list_id}/segments/{segment_id}', {}, patch)).toEqual([]);
    });
  });

  it('passes operations without a body schema and operations the description does not have', () => {
    expect(validateRequest('POST', '/campaigns/{campaign_id}/actions/send', {}, undefined)).toEqual([]);
    expect(
      validateRequest('POST', '/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent', {}, {}),
    ).toEqual([]);
    expect(validateRequest('PUT', '/no/such/{thing}', {}, {anything: 1})).toEqual([]);
  });

  it('the committed extract is compact and covers every write operation with a body', () => {
    const set = loadRequestSchemas();
    expect(set.source).toMatchObject({file: 'marketing-openapi-3.0.76.yaml', version: '3.0.76'});
    const withBody = Object.entries(set.operations)
      .filter(([, op]) => op.body)
      .map(([key]) => key);
    expect(withBody).toHaveLength(78);
    expect(withBody.every((key) => /^(POST|PUT|PATCH) /.test(key))).toBe(true);
    expect(JSON.stringify(set).length).toBeLessThan(1024 * 1024);
  });

  describe('in the route table', () => {
    // A stand-in module, so that the wiring is tested whatever state the real resource modules are in.
    const echo: SandboxModule = {
      name: 'echo',
      routes: () => [{method: 'POST', path: STORES, handler: (req) => ({status: 200, body: req.body})}],
    };
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = createSandbox({modules: [echo], validate: validateRequest});
      await sandbox.listen();
    });
    afterAll(() => sandbox.close());
    const auth = () => `Bearer ${sandbox.apiKey}`;

    it('answers 400 Invalid Resource with the field errors before the handler runs', async () => {
      const res = await request(sandbox.origin())
        .post(`/3.0${STORES}`)
        .set('Authorization', auth())
        .send({id: 'shop-1', name: 'Shop', list_id: 7});
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        title: 'Invalid Resource',
        status: 400,
        detail: "The resource submitted could not be validated. For field-specific details, see the 'errors' array.",
        errors: [
          {field: '', message: 'Required fields were not provided: currency_code'},
          {field: 'list_id', message: 'Schema describes string, integer found instead'},
        ],
      });
    });

    it('lets a valid body through to the handler', async () => {
      const store = {id: 'shop-1', name: 'Shop', list_id: 'abc', currency_code: 'EUR'};
      const res = await request(sandbox.origin()).post(`/3.0${STORES}`).set('Authorization', auth()).send(store);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(store);
    });
  });
});
