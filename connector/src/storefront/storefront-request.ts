import {z} from 'zod';
import {NUL_MESSAGE, nulCharacterPaths} from '../http/nul-characters.js';

/**
 * The wire format of the storefront endpoints the widget calls: `POST /v1/subscribe` (the subscribe form) and
 * `POST /v1/consent` (the checkout checkbox's beacon). Both carry the text the person saw, so that the consent
 * evidence is exactly what they agreed to. Validation only: nothing here transforms the request.
 */

/** Bodies above this are refused with 413 before they are parsed (a real request is well under 2 KB). */
export const MAX_STOREFRONT_BODY_BYTES = 8 * 1024;

export const ATTRIBUTION_KEYS = [
  'mc_cid',
  'mc_eid',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');
/** Multi-line text (the consent text may have line breaks and tabs), without other control characters. */
const multilineText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => NO_CONTROL_CHARACTERS.test(v.replace(/[\t\n\r]/g, '')), 'must not contain control characters');

const attribution = z.strictObject(
  Object.fromEntries(ATTRIBUTION_KEYS.map((k) => [k, text(200).optional()])) as Record<
    (typeof ATTRIBUTION_KEYS)[number],
    z.ZodOptional<z.ZodString>
  >,
);

const base = {
  /** The shop (connection) the person subscribes with: its shop domain, e.g. `x.myshopify.com`. */
  shop: text(255).min(1, 'is required'),
  email: z.email('must be a valid email address').max(254, 'must be at most 254 characters'),
  /** The exact text shown with the form or checkbox: the evidence of what the person agreed to. */
  consent_text: multilineText(5000).refine((v) => v.trim() !== '', 'must not be empty'),
  consent_text_version: text(100).optional(),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/, 'must be a language tag such as en or de-CH')
    .optional(),
  page: z
    .url({protocol: /^https?$/, error: 'must be an absolute http(s) URL'})
    .max(2000, 'must be at most 2000 characters')
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .optional(),
  attribution: attribution.optional(),
  /** Chosen by the widget per submission: a retry of the same submission is stored once. */
  request_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, - or _')
    .optional(),
  /** The honeypot: a field people never see. Anything in it marks the request as a bot's. */
  website: text(500).optional(),
};

export const subscribeRequestSchema = z.strictObject({
  ...base,
  first_name: text(100).optional(),
});

export const consentRequestSchema = z.strictObject({
  ...base,
  /** Only a ticked box is ever sent; anything else is refused (never subscribe anyone who did not tick it). */
  checked: z.literal(true, 'must be true: only a ticked checkbox records consent'),
});

export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;
export type ConsentRequest = z.infer<typeof consentRequestSchema>;
export type StorefrontKind = 'subscribe' | 'checkout_opt_in';
export type StorefrontRequest = SubscribeRequest | ConsentRequest;

export interface FieldError {
  field: string;
  message: string;
}

export type ParseStorefrontResult<T> = {ok: true; request: T} | {ok: false; errors: FieldError[]};

export function parseStorefrontRequest(kind: 'subscribe', body: unknown): ParseStorefrontResult<SubscribeRequest>;
export function parseStorefrontRequest(kind: 'checkout_opt_in', body: unknown): ParseStorefrontResult<ConsentRequest>;
export function parseStorefrontRequest(kind: StorefrontKind, body: unknown): ParseStorefrontResult<StorefrontRequest>;
export function parseStorefrontRequest(kind: StorefrontKind, body: unknown): ParseStorefrontResult<StorefrontRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return {ok: false, errors: [{field: '', message: 'must be a JSON object'}]};
  // NUL characters are refused in every field, whatever its schema says (http/nul-characters.ts).
  const nul = nulCharacterPaths(body).map((path) => ({field: path.map(String).join('/'), message: NUL_MESSAGE}));
  const schema = kind === 'subscribe' ? subscribeRequestSchema : consentRequestSchema;
  const result = schema.safeParse(body, {error: (issue) => (issue.input === undefined ? 'is required' : undefined)});
  if (result.success && nul.length === 0) return {ok: true, request: result.data};
  const named = new Set(nul.map((e) => e.field));
  const others = result.success
    ? []
    : result.error.issues
        .map((issue) => ({field: issue.path.map(String).join('/'), message: issue.message}))
        .filter((e) => !named.has(e.field));
  return {ok: false, errors: [...nul, ...others]};
}
