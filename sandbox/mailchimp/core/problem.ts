import {randomUUID} from 'node:crypto';

/** The field-level detail Mailchimp puts in `errors[]` of an "Invalid Resource" problem. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
}

export const ERROR_DOCS_URL = 'https://mailchimp.com/developer/marketing/docs/errors/';

/**
 * Thrown by route handlers; rendered as Mailchimp renders errors: application/problem+json with
 * type/title/status/detail/instance and `X-Request-Id` equal to `instance`.
 */
export class MailchimpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${title}: ${detail}`);
    this.name = 'MailchimpProblem';
  }

  toBody(instance: string = randomUUID()): ProblemBody {
    const body: ProblemBody = {
      type: ERROR_DOCS_URL,
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
    };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

// The texts below are Mailchimp's own, as recorded in ../shared/notes/mailchimp-api.md (§1.2, §9) with sources.
export const problems = {
  notFound: () => new MailchimpProblem(404, 'Resource Not Found', 'The requested resource could not be found.'),
  invalidResource: (
    errors: FieldError[],
    detail = "The resource submitted could not be validated. For field-specific details, see the 'errors' array.",
  ) => new MailchimpProblem(400, 'Invalid Resource', detail, errors),
  badRequest: (detail: string) => new MailchimpProblem(400, 'Bad Request', detail),
  jsonParse: () =>
    new MailchimpProblem(
      400,
      'JSON Parse Error',
      'We encountered an unspecified JSON parsing error. Please verify that the JSON is well formed.',
    ),
  methodNotAllowed: (
    allow: string[],
    detail = "The requested method and resource are not compatible. See the Allow header for this resource's available methods.",
  ) => new MailchimpProblem(405, 'Method Not Allowed', detail, undefined, {Allow: allow.join(', ')}),
  apiKeyMissing: () => new MailchimpProblem(401, 'API Key Missing', 'Your request did not include an API key.'),
  apiKeyInvalid: () =>
    new MailchimpProblem(
      401,
      'API Key Invalid',
      "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
    ),
  tooManyRequests: () =>
    new MailchimpProblem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'),
  internal: () =>
    new MailchimpProblem(
      500,
      'Internal Server Error',
      'An unexpected internal error has occurred. Please contact Support for more information.',
    ),
  unavailable: () =>
    new MailchimpProblem(503, 'Service Unavailable', 'The service is temporarily unavailable. Please try again later.'),
  timeout: () => new MailchimpProblem(504, 'Gateway Timeout', 'The request took longer than 120 seconds and was cut.'),
};
