/**
 * The one place that decides what a Mailchimp failure means. The sync engine switches on `kind`, never on status
 * codes or message texts. Texts come from mailchimp-api.md §1.2/§9, each with its source there.
 */
export type MailchimpErrorKind =
  /** 429, bare 403, 408, 5xx, timeouts, resets: try again later. */
  | 'retryable'
  /** POST of an address already on the list: use PUT. */
  | 'member_exists'
  /** Unsubscribed/bounced/under review: only `pending` (fresh consent) can bring them back. */
  | 'compliance_state'
  /** Permanently deleted: can never be re-imported through the API. Terminal. */
  | 'forgotten_email'
  /** An order or cart line names a product or variant Mailchimp does not have (see `missing`). */
  | 'product_not_found'
  /** POST of an id that exists ("A product with the provided ID already exists…"): PATCH instead. */
  | 'already_exists'
  /** `campaign_id` on an order/cart is unknown (stale mc_cid): drop it and retry. */
  | 'campaign_not_found'
  /** "Your Campaign is not ready to send." — see the send checklist. */
  | 'campaign_not_ready'
  /** A customer id is bound to its email: use a new customer id. */
  | 'email_immutable'
  /** Another store in the account already has this domain. */
  | 'store_domain_taken'
  /** Validation failed; `errors[]` names the fields. */
  | 'invalid_resource'
  | 'not_found'
  /** 401, or 403 with a problem document (Forbidden, UserDisabled, WrongDatacenter). */
  | 'auth'
  /** The caller cancelled the call. */
  | 'aborted'
  | 'other';

export interface FieldError {
  field: string;
  message: string;
}

/** application/problem+json as Mailchimp sends it; every member optional because bodies are not to be trusted. */
export interface ProblemDocument {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

export interface FailureFacts {
  /** HTTP status; absent when no response arrived. */
  status?: number | undefined;
  /** Parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body?: unknown;
  /** Transport error code when no response arrived (ECONNRESET, ETIMEDOUT, ABORTED, …). */
  networkCode?: string | undefined;
}

export interface Classification {
  kind: MailchimpErrorKind;
  problem: ProblemDocument;
  /** For product_not_found: whether the product or the variant id was unknown. */
  missing?: 'product' | 'variant';
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ESOCKETTIMEDOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ELIMITER',
]);

interface TextRule {
  kind: MailchimpErrorKind;
  title?: RegExp;
  detail?: RegExp;
  missing?: 'product' | 'variant';
}

// Checked in order; the first rule whose title or detail matches wins.
const TEXT_RULES: readonly TextRule[] = [
  {kind: 'member_exists', title: /^member exists$/i, detail: /is already a list member/i},
  {kind: 'compliance_state', title: /^member in compliance state$/i, detail: /is in a compliance state/i},
  {
    kind: 'forgotten_email',
    title: /^forgotten email not subscribed$/i,
    detail: /was permanently deleted and cannot be re-imported/i,
  },
  {kind: 'product_not_found', detail: /a product with the provided variant id does not exist/i, missing: 'variant'},
  {kind: 'product_not_found', detail: /a product with the provided id does not exist/i, missing: 'product'},
  {kind: 'campaign_not_found', detail: /a campaign with the provided id does not exist/i},
  {kind: 'campaign_not_ready', detail: /your campaign is not ready to send/i},
  {kind: 'email_immutable', detail: /an email address may not be changed once a customer is created/i},
  {kind: 'store_domain_taken', detail: /a store with the domain .* already exists/i},
  {kind: 'already_exists', detail: /with the provided id already exists/i},
];

/** Reads whatever came back into a problem document without ever throwing. */
export function readProblem(body: unknown): ProblemDocument {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const source = body as Record<string, unknown>;
  const problem: ProblemDocument = {};
  for (const key of ['type', 'title', 'detail', 'instance'] as const) {
    const value = source[key];
    if (typeof value === 'string') problem[key] = value;
  }
  if (typeof source.status === 'number' && Number.isFinite(source.status)) problem.status = source.status;
  if (Array.isArray(source.errors)) {
    problem.errors = source.errors.flatMap((item): FieldError[] => {
      if (typeof item !== 'object' || item === null) return [];
      const {field, message} = item as Record<string, unknown>;
      return [{field: typeof field === 'string' ? field : '', message: typeof message === 'string' ? message : ''}];
    });
  }
  return problem;
}

/** True when the body is a JSON object (a problem document), as opposed to empty, text or HTML. */
export function hasJsonBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

export function classifyFailure(facts: FailureFacts): Classification {
  const problem = readProblem(facts.body);
  const status = facts.status;
  if (status === undefined) {
    if (facts.networkCode === 'ABORTED') return {kind: 'aborted', problem};
    return {kind: facts.networkCode && RETRYABLE_NETWORK_CODES.has(facts.networkCode) ? 'retryable' : 'other', problem};
  }
  if (status === 429 || status === 408 || status >= 500) return {kind: 'retryable', problem};
  // "At exceptionally high volumes, you may receive an HTTP 429 or 403 without a JSON body" (Fundamentals).
  if (status === 403 && !hasJsonBody(facts.body)) return {kind: 'retryable', problem};
  for (const rule of TEXT_RULES) {
    const byTitle = rule.title !== undefined && problem.title !== undefined && rule.title.test(problem.title);
    const byDetail = rule.detail !== undefined && problem.detail !== undefined && rule.detail.test(problem.detail);
    if (byTitle || byDetail)
      return rule.missing ? {kind: rule.kind, problem, missing: rule.missing} : {kind: rule.kind, problem};
  }
  if (status === 401 || status === 403) return {kind: 'auth', problem};
  if (status === 404) return {kind: 'not_found', problem};
  if (problem.title !== undefined && /^invalid resource$/i.test(problem.title))
    return {kind: 'invalid_resource', problem};
  return {kind: 'other', problem};
}
