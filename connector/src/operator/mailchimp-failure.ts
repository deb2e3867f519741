import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import {problem, type ProblemDocument} from '../http/problem.js';

/** A Mailchimp failure during an operator request, as the operator's problem document (502; 503 when retryable). */
export function mailchimpProblem(err: unknown, instance: string): ProblemDocument | undefined {
  if (!isMailchimpError(err)) return undefined;
  // Mailchimp's own words with its field errors (mailchimp-error.ts answer()): the CLI prints this detail as it is.
  return problem(
    err.retryable ? 503 : 502,
    'mailchimp-refused',
    err.retryable ? 'Service Unavailable' : 'Bad Gateway',
    `Mailchimp answered ${err.answer()} to ${err.method} ${err.route}`,
    {
      instance,
      mailchimp: {status: err.status, title: err.title, detail: err.detail, errors: err.errors},
    },
  );
}
