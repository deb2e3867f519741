import type {CustomerRecord} from '../data/records.js';
import {gid} from '../schema/scalars.js';

/**
 * REST-format webhook bodies, in the shapes Shopify sends from API 2025-01 on: `customers/update` without consent
 * or tags, and the consent on its own topic (connector/src/shopify/fixtures has Shopify's samples).
 */

const isoWithOffset = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export function customerPayload(customer: CustomerRecord, currency: string): Record<string, unknown> {
  const address = customer.address;
  return {
    id: customer.id,
    created_at: isoWithOffset(customer.createdAt),
    updated_at: isoWithOffset(customer.updatedAt),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: 'disabled',
    note: customer.note,
    verified_email: customer.email !== null,
    multipass_identifier: null,
    tax_exempt: false,
    email: customer.email,
    phone: customer.phone,
    currency,
    addresses: [],
    tax_exemptions: [],
    admin_graphql_api_id: gid('Customer', customer.id),
    default_address:
      address === null
        ? null
        : {
            id: customer.id + 1,
            customer_id: customer.id,
            first_name: address.firstName,
            last_name: address.lastName,
            company: address.company,
            address1: address.address1,
            address2: address.address2,
            city: address.city,
            province: address.province,
            country: address.country,
            zip: address.zip,
            phone: address.phone,
            name: [address.firstName, address.lastName].filter(Boolean).join(' '),
            province_code: address.provinceCode,
            country_code: address.countryCode,
            country_name: address.country,
            default: true,
          },
  };
}

export function consentPayload(customer: CustomerRecord): Record<string, unknown> {
  return {
    customer_id: customer.id,
    email_address: customer.email,
    email_marketing_consent: {
      state: customer.consent?.state.toLowerCase() ?? null,
      opt_in_level: customer.consent?.optInLevel?.toLowerCase() ?? null,
      consent_updated_at: customer.consent?.updatedAt != null ? isoWithOffset(customer.consent.updatedAt) : null,
    },
  };
}
