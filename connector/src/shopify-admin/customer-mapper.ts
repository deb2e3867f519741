import type {Consent, ConsentState} from '../model/consent.js';
import type {Customer} from '../model/entities.js';
import {asId, type CustomerId} from '../model/ids.js';
import {dropUndefined} from '../shopify/address-mapper.js';
import type {CustomerNode, EmailMarketingConsentNode} from './documents/customer-documents.js';
import {
  legacyId,
  mailingAddress,
  mapNode,
  requiredTimestamp,
  text,
  timestamp,
  type NodeMapResult,
} from './node-fields.js';

const STATES: ReadonlySet<string> = new Set<ConsentState>([
  'subscribed',
  'pending',
  'not_subscribed',
  'unsubscribed',
  'redacted',
  'invalid',
]);

/**
 * `emailMarketingConsent` → Consent with source 'shopify', as the webhook consent mapper reads
 * `email_marketing_consent`: the state lower-cased, dated by `consentUpdatedAt` or else the customer's version
 * time. Null (a customer without email) or an unknown state is no consent at all, never "not subscribed".
 */
export function mapEmailMarketingConsent(
  consent: EmailMarketingConsentNode | null | undefined,
  fallbackTime: string,
): Consent | undefined {
  const state = typeof consent?.marketingState === 'string' ? consent.marketingState.toLowerCase() : undefined;
  if (!consent || state === undefined || !STATES.has(state)) return undefined;
  const optInLevel = text(consent.marketingOptInLevel)?.toLowerCase();
  return {
    state: state as ConsentState,
    source: 'shopify',
    updatedAt: timestamp(consent.consentUpdatedAt, 'customer.emailMarketingConsent.consentUpdatedAt') ?? fallbackTime,
    ...(optInLevel !== undefined ? {optInLevel} : {}),
  };
}

/** A `customers` node → canonical Customer, with the consent Shopify has on record (the backfill's initial consent). */
export function mapCustomerNode(node: CustomerNode): NodeMapResult<Customer> {
  return mapNode(() => {
    const updatedAt = requiredTimestamp(node?.updatedAt, 'customer.updatedAt');
    return dropUndefined<Customer>({
      id: asId<CustomerId>(legacyId(node, 'customer')),
      email: text(node.email)?.trim(),
      firstName: text(node.firstName),
      lastName: text(node.lastName),
      phone: text(node.phone),
      company: text(node.defaultAddress?.company),
      address: mailingAddress(node.defaultAddress),
      consent: mapEmailMarketingConsent(node.emailMarketingConsent, updatedAt),
      tags: Array.isArray(node.tags) ? node.tags.map((tag) => String(tag).trim()).filter((tag) => tag !== '') : [],
      createdAt: timestamp(node.createdAt, 'customer.createdAt'),
      updatedAt,
    });
  });
}
