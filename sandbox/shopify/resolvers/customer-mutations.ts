import type {ConsentState, OptInLevel} from '../data/records.js';
import {parseGid} from '../schema/scalars.js';
import {consentPayload, customerPayload} from '../webhooks/webhook-payloads.js';
import type {ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

/**
 * `customerCreate`, `customerEmailMarketingConsentUpdate` and `customerUpdate`. The rules are Shopify's (only SUBSCRIBED,
 * UNSUBSCRIBED and PENDING can be set; consent cannot be changed through customerUpdate); the exact wording of
 * some messages is the stand-in's. Each successful write sends the matching webhook when webhooks are configured.
 */

interface ConsentInput {
  marketingState: ConsentState;
  marketingOptInLevel?: OptInLevel | null;
  consentUpdatedAt?: string | null;
}

type UserError = {field: string[]; message: string; code?: string};

const SETTABLE: ReadonlySet<ConsentState> = new Set(['SUBSCRIBED', 'UNSUBSCRIBED', 'PENDING']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function consentUpdate(input: {customerId: string; emailMarketingConsent: ConsentInput}, context: ResolverContext) {
  const fail = (error: UserError) => ({customer: null, userErrors: [error]});
  const id = parseGid(input.customerId, 'Customer');
  const customer = id === undefined ? undefined : context.store.customers.get(id);
  if (id === undefined || !customer)
    return fail({field: ['input', 'customerId'], message: 'Customer not found', code: 'INVALID'});
  if (customer.email === null)
    return fail({
      field: ['input', 'emailMarketingConsent'],
      message: 'Customer must have an email address',
      code: 'INVALID',
    });
  const consent = input.emailMarketingConsent;
  if (!SETTABLE.has(consent.marketingState)) {
    return fail({
      field: ['input', 'emailMarketingConsent', 'marketingState'],
      message: 'Marketing state is not included in the list',
      code: 'INCLUSION',
    });
  }
  const now = context.store.now();
  let at = now;
  if (consent.consentUpdatedAt != null) {
    at = Date.parse(consent.consentUpdatedAt);
    if (Number.isNaN(at))
      return fail({
        field: ['input', 'emailMarketingConsent', 'consentUpdatedAt'],
        message: 'Consent updated at is invalid',
        code: 'INVALID',
      });
    if (at > now + 60_000)
      return fail({
        field: ['input', 'emailMarketingConsent', 'consentUpdatedAt'],
        message: 'Consent updated at cannot be in the future',
        code: 'INVALID',
      });
  }
  const updated = context.store.updateCustomer(customer.id, (record) => {
    record.consent = {
      state: consent.marketingState,
      optInLevel: consent.marketingOptInLevel ?? 'SINGLE_OPT_IN',
      updatedAt: at,
    };
  })!;
  context.webhooks?.send('customers_email_marketing_consent/update', consentPayload(updated), context.apiVersion);
  return {customer: updated, userErrors: []};
}

interface CustomerInput {
  id?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
  emailMarketingConsent?: unknown;
}

function customerUpdate(input: CustomerInput, context: ResolverContext) {
  const fail = (...userErrors: UserError[]) => ({customer: null, userErrors});
  const id = input.id == null ? undefined : parseGid(input.id, 'Customer');
  const customer = id === undefined ? undefined : context.store.customers.get(id);
  if (!customer) return fail({field: ['id'], message: 'Customer does not exist'});
  if (input.emailMarketingConsent != null) {
    return fail({
      field: ['emailMarketingConsent'],
      message: 'To update emailMarketingConsent, please use the customerEmailMarketingConsentUpdate Mutation instead',
    });
  }
  const email =
    input.email === undefined
      ? undefined
      : input.email === null || input.email.trim() === ''
        ? null
        : input.email.trim();
  if (email) {
    if (!EMAIL.test(email)) return fail({field: ['email'], message: 'Email is invalid'});
    const owner = context.store.customerByEmail(email);
    if (owner && owner.id !== customer.id) return fail({field: ['email'], message: 'Email has already been taken'});
  }
  const updated = context.store.updateCustomer(customer.id, (record) => {
    if (email !== undefined) {
      record.email = email;
      // An address that has never been asked has not consented; removing the address removes the consent.
      if (email === null) record.consent = null;
      else record.consent ??= {state: 'NOT_SUBSCRIBED', optInLevel: 'SINGLE_OPT_IN', updatedAt: null};
    }
    if (input.firstName !== undefined) record.firstName = input.firstName;
    if (input.lastName !== undefined) record.lastName = input.lastName;
    if (input.phone !== undefined) record.phone = input.phone;
    if (input.note !== undefined) record.note = input.note;
    if (input.tags != null) record.tags = [...input.tags];
  })!;
  context.webhooks?.send(
    'customers/update',
    customerPayload(updated, context.store.shop.currencyCode),
    context.apiVersion,
  );
  return {customer: updated, userErrors: []};
}

/**
 * `customerCreate`: an address or a phone is required, the address must be free; `emailMarketingConsent` may be given
 * at creation (unlike customerUpdate), with the settable states only. Sends `customers/create` (whose payload carries
 * no consent from API 2025-10 on) and, when consent was given, `customers_email_marketing_consent/update`, as a shop
 * on a current API version sees a sign-up with the box ticked.
 */
function customerCreate(input: CustomerInput, context: ResolverContext) {
  const fail = (...userErrors: UserError[]) => ({customer: null, userErrors});
  if (input.id != null) return fail({field: ['id'], message: 'id is not allowed when creating a customer'});
  const email = input.email == null || input.email.trim() === '' ? null : input.email.trim();
  if (!email && !input.phone) return fail({field: ['email'], message: 'A customer must have an email or a phone'});
  if (email) {
    if (!EMAIL.test(email)) return fail({field: ['email'], message: 'Email is invalid'});
    if (context.store.customerByEmail(email)) return fail({field: ['email'], message: 'Email has already been taken'});
  }
  const consent = input.emailMarketingConsent as ConsentInput | null | undefined;
  if (consent != null) {
    if (!email) return fail({field: ['emailMarketingConsent'], message: 'Customer must have an email address'});
    if (!SETTABLE.has(consent.marketingState))
      return fail({
        field: ['emailMarketingConsent', 'marketingState'],
        message: 'Marketing state is not included in the list',
      });
  }
  const now = context.store.now();
  const id = Math.max(0, ...context.store.customers.all().map((c) => c.id)) + 1;
  context.store.addCustomer({
    id,
    email,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phone: input.phone ?? null,
    note: input.note ?? null,
    tags: [...(input.tags ?? [])],
    createdAt: now,
    updatedAt: now,
    consent: email
      ? consent
        ? {state: consent.marketingState, optInLevel: consent.marketingOptInLevel ?? 'SINGLE_OPT_IN', updatedAt: now}
        : {state: 'NOT_SUBSCRIBED', optInLevel: 'SINGLE_OPT_IN', updatedAt: null}
      : null,
    address: null,
  });
  const created = context.store.customers.get(id)!;
  context.webhooks?.send(
    'customers/create',
    customerPayload(created, context.store.shop.currencyCode),
    context.apiVersion,
  );
  if (consent != null)
    context.webhooks?.send('customers_email_marketing_consent/update', consentPayload(created), context.apiVersion);
  return {customer: created, userErrors: []};
}

export const customerMutations: ResolverMap = {
  Mutation: {
    customerEmailMarketingConsentUpdate: (
      _root: unknown,
      args: {input: {customerId: string; emailMarketingConsent: ConsentInput}},
      context: ResolverContext,
    ) => consentUpdate(args.input, context),
    customerCreate: (_root: unknown, args: {input: CustomerInput}, context: ResolverContext) =>
      customerCreate(args.input, context),
    customerUpdate: (_root: unknown, args: {input: CustomerInput}, context: ResolverContext) =>
      customerUpdate(args.input, context),
  },
};
