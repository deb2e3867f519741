/**
 * Where the 3.0.76 description's request schemas disagree with Mailchimp's documented or observed behaviour, the
 * behaviour wins. Every entry says why and where that is recorded; both the sandbox's request validation and the
 * conformance check apply this same list (schema-builder.ts), and an entry that no longer matches the description
 * stops the build instead of silently doing nothing.
 *
 * Deliberately NOT overridden:
 * - `null` for a typed field stays invalid: Mailchimp answers "address.province_code : Schema describes string, NULL
 *   found instead" (mailchimp/mc-magento #332; tax_total/shipping_total in mc-magento PR #245; drewm/mailchimp-api #179).
 *   The description declares no `nullable`; if it ever does, the builder turns it into a `null` type alternative.
 * - Fields newer than 3.0.76 (PUT member `tags`, order `cart_id`, batch webhook `enabled`, ...) need no entry: unknown
 *   properties are never rejected, as Mailchimp ignores them.
 */

export type SchemaChange =
  /** The named properties are optional here, whatever `required` says. */
  | {kind: 'notRequired'; fields: string[]}
  /** Values of this object's additional properties may be of any type. */
  | {kind: 'anyValues'}
  /** No length limit on this string. */
  | {kind: 'noMaxLength'}
  /** This array's items are the items of the nested array the description wraps them in. */
  | {kind: 'unwrapNestedArray'};

export interface SchemaOverride {
  /** `"<METHOD> <path template>"`. */
  operation: string;
  /** Location in the request body: dot-separated property names, `[]` for array items; `''` is the body itself. */
  at: string;
  change: SchemaChange;
  why: string;
}

const memberWrites = [
  'POST /lists/{list_id}/members',
  'PUT /lists/{list_id}/members/{subscriber_hash}',
  'PATCH /lists/{list_id}/members/{subscriber_hash}',
];

export const SCHEMA_OVERRIDES: readonly SchemaOverride[] = [
  {
    operation: 'PUT /lists/{list_id}/members/{subscriber_hash}',
    at: '',
    change: {kind: 'notRequired', fields: ['email_address', 'status_if_new']},
    why:
      'status_if_new: the field\'s own description: "This value is required only if the email address is not already ' +
      'present on the list"; the newer official SDK makes it optional (UpsertMemberListsRequest). email_address: its ' +
      'description says "required only if the email address is not already present on the list", and recorded traffic ' +
      'shows PUT on an existing member with only {"status":"unsubscribed"} or {"merge_fields":{...}} answered 200 (the ' +
      'newer SDK and drewm/mailchimp-api #179 still mark it required; the error there is for a new address). The members ' +
      'handler asks for both when the PUT creates a member, with the "Required fields were not provided" answer.',
  },
  ...memberWrites.map((operation): SchemaOverride => ({
    operation,
    at: 'merge_fields',
    change: {kind: 'anyValues'},
    why:
      'The description types every merge field value as an object, but text, number, phone and date merge fields take ' +
      'strings or numbers (FNAME: "Ann"); only ADDRESS takes an object (notes §2.2; "merge_fields.FNAME" errors in ' +
      "OperationCode/operationcode_old_site #692 come from the list's merge field rules, which the handler applies).",
  })),
  {
    operation: 'POST /lists/{list_id}',
    at: 'members[].merge_fields',
    change: {kind: 'anyValues'},
    why: 'Same merge field values as on the member routes (strings for text fields, an object for ADDRESS).',
  },
  ...['POST /ecommerce/stores/{store_id}/orders', 'POST /ecommerce/stores/{store_id}/carts'].map(
    (operation): SchemaOverride => ({
      operation,
      at: 'customer.id',
      change: {kind: 'noMaxLength'},
      why:
        'For an order or cart whose customer.id exceeds 50 characters Mailchimp answers 404, not a validation error ' +
        '(mailchimp/mailchimp-client-lib-codegen #128, notes §9 item 13); the e-commerce handler decides.',
    }),
  ),
  {
    operation: 'PATCH /lists/{list_id}/segments/{segment_id}',
    at: 'options.conditions',
    change: {kind: 'unwrapNestedArray'},
    why:
      'The codegen output wraps PATCH segment conditions in a second array (Conditions_1: array of arrays); the API takes ' +
      'the same list of condition objects as POST /lists/{list_id}/segments (notes §3).',
  },
];
