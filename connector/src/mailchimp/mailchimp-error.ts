import type {Classification, FieldError, MailchimpErrorKind} from './problem-classifier.js';

export interface MailchimpErrorInit {
  method: string;
  /** The route template, e.g. `/lists/{list_id}/members/{subscriber_hash}` — never the expanded path. */
  route: string;
  status?: number | undefined;
  /** Transport error code when no response arrived. */
  code?: string | undefined;
  classification: Classification;
  attempts: number;
}

/**
 * Every failure of a Mailchimp call, typed. It carries the problem document's fields and the classification, and
 * nothing else: no request config, no headers, no `cause` chain that could drag the credential along.
 */
export class MailchimpError extends Error {
  readonly kind: MailchimpErrorKind;
  readonly method: string;
  readonly route: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly type: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  readonly errors: readonly FieldError[];
  readonly missing: 'product' | 'variant' | undefined;
  readonly attempts: number;

  constructor(init: MailchimpErrorInit) {
    const {problem} = init.classification;
    const what = init.status !== undefined ? String(init.status) : (init.code ?? 'error');
    const text = [problem.title, problem.detail].filter((s) => s !== undefined && s !== '').join(': ');
    super(
      `Mailchimp ${init.method} ${init.route} failed (${what}${text ? `, ${text}` : ''}) after ${init.attempts} attempt(s)`,
    );
    this.name = 'MailchimpError';
    this.kind = init.classification.kind;
    this.method = init.method;
    this.route = init.route;
    this.status = init.status;
    this.code = init.code;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors ?? [];
    this.missing = init.classification.missing;
    this.attempts = init.attempts;
  }

  /**
   * What Mailchimp answered, in its own words and with the field errors, for an operator to read, e.g.
   * `400 Invalid Resource: The resource submitted could not be validated. … (list_id: A list with the provided ID
   * does not exist in the account.)`. The message alone would stop at "see the 'errors' array".
   */
  answer(): string {
    const what = this.status !== undefined ? String(this.status) : (this.code ?? 'no answer');
    const text = [this.title, this.detail].filter((s) => s !== undefined && s !== '').join(': ');
    const fields = this.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
    return `${what}${text ? ` ${text}` : ''}${fields ? ` (${fields})` : ''}`;
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      method: this.method,
      route: this.route,
      status: this.status,
      code: this.code,
      type: this.type,
      title: this.title,
      detail: this.detail,
      instance: this.instance,
      errors: this.errors,
      missing: this.missing,
      attempts: this.attempts,
    };
  }
}

export function isMailchimpError(error: unknown, kind?: MailchimpErrorKind): error is MailchimpError {
  return error instanceof MailchimpError && (kind === undefined || error.kind === kind);
}
