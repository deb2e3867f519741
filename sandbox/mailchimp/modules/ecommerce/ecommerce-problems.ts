import {problems} from '../../core/problem.js';

/**
 * E-commerce errors with Mailchimp's texts. Sources (../shared/notes/mailchimp-api.md §9):
 * - "We were unable to process the request. A product with the provided ID already exists in the account." (Bad Request,
 *   mc-magento2 #300, nopSolutions #14) and "... An order with the provided ID already exists in the account."
 *   (mailchimp-for-wordpress #494). Stores, customers, carts, variants, images, promo rules and codes follow the same
 *   pattern (their own texts were not found; extrapolated).
 * - "A product with the provided (variant) ID does not exist in the account for this list." (Bad Request, no errors[]:
 *   mailchimp-for-wordpress #571, #754).
 * - "An order may not contain the same line item id more than once." (seen in a Mailchimp client's retry list).
 * - "An email address is required to create a customer." (Invalid Resource, field email_address; nopSolutions #14).
 * - "The parent product must already exists in order to use PUT on the variants endpoint" (mc-magento #254; status
 *   not recorded there — 400 Bad Request chosen).
 */
type Entity = 'store' | 'customer' | 'product' | 'variant' | 'image' | 'order' | 'cart' | 'promo rule' | 'promo code';

const article = (word: string) => (/^[aeiou]/.test(word) ? 'An' : 'A');

export const ecommerceProblems = {
  alreadyExists: (entity: Entity) =>
    problems.badRequest(
      `We were unable to process the request. ${article(entity)} ${entity} with the provided ID already exists in the account.`,
    ),
  domainTaken: (domain: string) =>
    problems.badRequest(
      `We were unable to process the request. A store with the domain ${domain} already exists in the account.`,
    ),
  // UNVERIFIED wording: Mailchimp's answer for an unknown list_id was not found in any source.
  listMissing: () =>
    problems.invalidResource([
      {field: 'list_id', message: 'A list with the provided ID does not exist in the account.'},
    ]),
  // The spec: "The `list_id` for a specific store cannot change."
  listImmutable: () =>
    problems.invalidResource([{field: 'list_id', message: 'The list_id for a specific store cannot change.'}]),
  productMissing: () =>
    problems.badRequest('A product with the provided ID does not exist in the account for this list.'),
  variantMissing: () =>
    problems.badRequest('A product with the provided variant ID does not exist in the account for this list.'),
  parentProductMissing: () =>
    problems.badRequest('The parent product must already exists in order to use PUT on the variants endpoint.'),
  campaignMissing: () =>
    problems.badRequest('A campaign with the provided ID does not exist in the account for this list.'),
  emailImmutable: () => problems.badRequest('An email address may not be changed once a customer is created.'),
  emailRequired: () =>
    problems.invalidResource([{field: 'email_address', message: 'An email address is required to create a customer.'}]),
  duplicateLine: (parent: 'order' | 'cart') =>
    problems.badRequest(`${article(parent)} ${parent} may not contain the same line item id more than once.`),
  /** The spec limits customer ids to 50 characters (`maxLength: 50`); the message is the JSON-schema one. */
  customerIdTooLong: (id: string, field = 'id') =>
    problems.invalidResource([{field, message: `String is too long (${id.length} chars), maximum 50 allowed`}]),
  variantRequired: () =>
    problems.invalidResource([{field: 'variants', message: 'At least one variant is required for each product.'}]),
  percentageAmount: () =>
    problems.invalidResource([
      {field: 'amount', message: 'The amount of a percentage promo rule must be a decimal between 0.0 and 1.0.'},
    ]),
  endsBeforeStart: () =>
    problems.invalidResource([{field: 'ends_at', message: 'The end date must be after the start date.'}]),
  codeTaken: (code: string) =>
    problems.badRequest(
      `We were unable to process the request. A promo code with the code ${code} already exists in the store.`,
    ),
  notInEnum: (field: string, allowed: readonly string[]) =>
    problems.invalidResource([{field, message: `Does not have a value in the enumeration ${JSON.stringify(allowed)}`}]),
};

/** Mailchimp limits customer ids to 50 characters. */
export const MAX_CUSTOMER_ID_LENGTH = 50;
