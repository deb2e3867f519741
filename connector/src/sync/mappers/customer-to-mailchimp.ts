import {isIP} from 'node:net';
import type {CustomerUpsertRequest, MemberUpsertRequest, MergeFieldValue} from '../../mailchimp/types/index.js';
import type {Consent} from '../../model/consent.js';
import type {Customer, PostalAddress} from '../../model/entities.js';
import {compact, toAddressMergeValue, toCustomerAddress} from './address-mapping.js';
import {stableEcommerceId} from './ecommerce-ids.js';
import {type MemberStatusDecision, optsIn, subscribesNow} from '../rules/member-status.js';

/**
 * A canonical customer as the two Mailchimp writes it needs: the e-commerce customer (PUT …/customers/{id}) and the
 * list member (PUT /lists/{id}/members/{hash}). Consent is decided beforehand by `decideMemberStatus`; this only
 * shapes bodies.
 */

/** The person-level facts a member write uses (a customer, or a consent event that only has an address). */
export interface MemberPerson {
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  address?: PostalAddress;
}

export type CustomerMapping =
  {ok: true; customer: CustomerUpsertRequest; member: MemberUpsertRequest} | {ok: false; reason: 'no-email'};

function present(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/**
 * Mailchimp's own timestamp form (`2015-10-21T15:41:36+00:00`, UTC, whole seconds). Undefined for unparseable input,
 * so a bad timestamp drops the optional field instead of failing the write.
 */
export function mailchimpTimestamp(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function validIp(ip: string | undefined): string | undefined {
  const v = ip?.trim();
  return v && isIP(v) !== 0 ? v : undefined;
}

/** FNAME, LNAME, ADDRESS (only complete, notes §9.4), PHONE. */
export function memberMergeFields(person: Omit<MemberPerson, 'email'>): Record<string, MergeFieldValue> {
  const fields: Record<string, MergeFieldValue> = {};
  const first = present(person.firstName);
  const last = present(person.lastName);
  const phone = present(person.phone) ?? present(person.address?.phone);
  const address = toAddressMergeValue(person.address);
  if (first) fields.FNAME = first;
  if (last) fields.LNAME = last;
  if (address) fields.ADDRESS = address;
  if (phone) fields.PHONE = phone;
  return fields;
}

/**
 * PUT member body. Signup/opt-in evidence (IP, time) is sent only when this write opts the person in: signup fields
 * for subscribed and pending, opt fields only for subscribed (a pending member opts in when confirming).
 * `marketing_permissions` are left out: they are audience-specific and managed elsewhere.
 */
export function memberUpsertBody(
  person: MemberPerson,
  consent: Consent | undefined,
  decision: MemberStatusDecision,
): MemberUpsertRequest {
  const body: MemberUpsertRequest = {email_address: person.email.trim(), status_if_new: decision.status_if_new};
  if (decision.status !== undefined) body.status = decision.status;
  const mergeFields = memberMergeFields(person);
  if (Object.keys(mergeFields).length > 0) body.merge_fields = mergeFields;
  if (consent !== undefined && optsIn(decision)) {
    const ip = validIp(consent.evidence?.ip);
    const at = mailchimpTimestamp(consent.updatedAt);
    Object.assign(body, compact({ip_signup: ip, timestamp_signup: at}));
    if (subscribesNow(decision)) Object.assign(body, compact({ip_opt: ip, timestamp_opt: at}));
  }
  return body;
}

/**
 * E-commerce customer body. `opt_in_status` is true only when the member decision subscribes the person now:
 * Mailchimp upgrades a transactional member on true and never downgrades on false (notes §4, §9.16), so false is
 * always the safe value.
 */
export function ecommerceCustomerBody(
  customer: Customer & {email: string},
  decision: MemberStatusDecision,
): CustomerUpsertRequest {
  return compact({
    id: stableEcommerceId(customer.id),
    email_address: customer.email.trim(),
    opt_in_status: subscribesNow(decision),
    company: present(customer.company) ?? present(customer.address?.company),
    first_name: present(customer.firstName),
    last_name: present(customer.lastName),
    address: toCustomerAddress(customer.address),
  });
}

/** Both bodies for a customer, or why it cannot be sent (no e-mail: phone-only customers, delete payloads). */
export function customerToMailchimp(customer: Customer, decision: MemberStatusDecision): CustomerMapping {
  const email = present(customer.email);
  if (!email) return {ok: false, reason: 'no-email'};
  const withEmail = {...customer, email};
  return {
    ok: true,
    customer: ecommerceCustomerBody(withEmail, decision),
    member: memberUpsertBody(withEmail, customer.consent, decision),
  };
}
