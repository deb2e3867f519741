import fc from 'fast-check';
import {classifyFailure, type FailureFacts, type MailchimpErrorKind} from './problem-classifier.js';

const problem = (status: number, title: string, detail: string, errors?: Array<{field: string; message: string}>) => ({
  status,
  body: {
    type: 'https://mailchimp.com/developer/marketing/docs/errors/',
    title,
    status,
    detail,
    instance: 'x',
    ...(errors ? {errors} : {}),
  },
});

// Texts from shared/notes/mailchimp-api.md §1.2 and §9, with their sources there.
const cases: Array<[string, FailureFacts, MailchimpErrorKind]> = [
  [
    'Member Exists',
    problem(
      400,
      'Member Exists',
      'a@example-mail.org is already a list member. Use PUT to insert or update list members.',
    ),
    'member_exists',
  ],
  [
    'Member In Compliance State',
    problem(
      400,
      'Member In Compliance State',
      'a@example-mail.org is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.',
    ),
    'compliance_state',
  ],
  [
    'Forgotten Email Not Subscribed',
    problem(
      400,
      'Forgotten Email Not Subscribed',
      'a@example-mail.org was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.',
    ),
    'forgotten_email',
  ],
  [
    'missing product',
    problem(400, 'Bad Request', 'A product with the provided ID does not exist in the account for this list.'),
    'product_not_found',
  ],
  [
    'missing variant',
    problem(400, 'Bad Request', 'A product with the provided variant ID does not exist in the account for this list.'),
    'product_not_found',
  ],
  [
    'duplicate product',
    problem(
      400,
      'Bad Request',
      'We were unable to process the request. A product with the provided ID already exists in the account',
    ),
    'already_exists',
  ],
  [
    'unknown campaign',
    problem(400, 'Bad Request', 'A campaign with the provided ID does not exist in the account for this list.'),
    'campaign_not_found',
  ],
  [
    'immutable customer email',
    problem(400, 'Bad Request', 'An email address may not be changed once a customer is created.'),
    'email_immutable',
  ],
  [
    'store domain taken',
    problem(
      400,
      'Bad Request',
      'We were unable to process the request. A store with the domain https://shop.example already exists in the account.',
    ),
    'store_domain_taken',
  ],
  ['campaign not ready', problem(400, 'Bad Request', 'Your Campaign is not ready to send.'), 'campaign_not_ready'],
  [
    'Invalid Resource',
    problem(400, 'Invalid Resource', 'Your merge fields were invalid.', [
      {field: 'FNAME', message: 'Please enter a value'},
    ]),
    'invalid_resource',
  ],
  ['Resource Not Found', problem(404, 'Resource Not Found', 'The requested resource could not be found.'), 'not_found'],
  [
    'API Key Invalid',
    problem(401, 'API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter."),
    'auth',
  ],
  ['Forbidden with JSON', problem(403, 'Forbidden', 'You are not permitted to access this resource.'), 'auth'],
  ['User Disabled', problem(403, 'User Disabled', 'This account has been disabled.'), 'auth'],
  ['bare 403', {status: 403, body: undefined}, 'retryable'],
  ['403 with an HTML page', {status: 403, body: '<html>Forbidden</html>'}, 'retryable'],
  [
    '429',
    problem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'),
    'retryable',
  ],
  ['bare 429', {status: 429}, 'retryable'],
  ['500', problem(500, 'Internal Server Error', 'An unexpected internal error has occurred.'), 'retryable'],
  ['503', {status: 503, body: 'Service Unavailable'}, 'retryable'],
  ['timeout', {networkCode: 'ETIMEDOUT'}, 'retryable'],
  ['connection reset', {networkCode: 'ECONNRESET'}, 'retryable'],
  ['cancelled by the caller', {networkCode: 'ABORTED'}, 'aborted'],
  ['unknown host', {networkCode: 'ENOTFOUND'}, 'other'],
  ['405', problem(405, 'Method Not Allowed', 'The requested method and resource are not compatible.'), 'other'],
  ['Bad Request of another kind', problem(400, 'Bad Request', 'Something else.'), 'other'],
];

describe('classifyFailure', () => {
  it.each(cases)('%s', (_name, facts, kind) => {
    expect(classifyFailure(facts).kind).toBe(kind);
  });

  it('says which id was missing for product_not_found', () => {
    expect(
      classifyFailure(
        problem(
          400,
          'Bad Request',
          'A product with the provided variant ID does not exist in the account for this list.',
        ),
      ).missing,
    ).toBe('variant');
    expect(
      classifyFailure(
        problem(400, 'Bad Request', 'A product with the provided ID does not exist in the account for this list.'),
      ).missing,
    ).toBe('product');
  });

  it('keeps the fields of an Invalid Resource', () => {
    const c = classifyFailure(
      problem(400, 'Invalid Resource', 'Your merge fields were invalid.', [
        {field: 'FNAME', message: 'Please enter a value'},
      ]),
    );
    expect(c.problem.errors).toEqual([{field: 'FNAME', message: 'Please enter a value'}]);
    expect(c.problem.title).toBe('Invalid Resource');
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({min: 100, max: 599}), {nil: undefined}),
        fc.anything(),
        fc.option(fc.string(), {nil: undefined}),
        (status, body, networkCode) => {
          const c = classifyFailure({status, body, networkCode});
          expect(typeof c.kind).toBe('string');
        },
      ),
    );
  });

  it('never throws on problem-like bodies with wrong types', () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything()), fc.object());
    fc.assert(
      fc.property(fc.integer({min: 400, max: 599}), field, field, field, (status, title, detail, errors) => {
        expect(() => classifyFailure({status, body: {title, detail, errors, status: title}})).not.toThrow();
      }),
    );
  });
});
