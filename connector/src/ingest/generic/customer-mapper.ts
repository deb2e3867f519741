import type {Consent} from '../../model/consent.js';
import type {Customer, PostalAddress} from '../../model/entities.js';
import {asId} from '../../model/ids.js';
import type {IngestData} from './schemas.js';
import {compact, normaliseTimestamp, text, timestamp} from './wire-values.js';

export function toCustomer(data: IngestData['customer.upsert'], occurredAt: string): Customer {
  return compact({
    id: asId(data.id),
    email: data.email,
    firstName: text(data.first_name),
    lastName: text(data.last_name),
    phone: text(data.phone),
    company: text(data.company),
    address: data.address && toAddress(data.address),
    consent: data.consent && toConsent(data.consent),
    tags: data.tags ?? [],
    createdAt: timestamp(data.created_at),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}

type WireConsent = IngestData['consent.update']['consent'];

export function toConsent(consent: WireConsent): Consent {
  const evidence = consent.evidence;
  return compact({
    state: consent.state,
    source: 'ingest_api' as const,
    updatedAt: normaliseTimestamp(consent.updated_at),
    evidence:
      evidence &&
      compact({
        text: evidence.text,
        textVersion: text(evidence.text_version),
        ip: evidence.ip,
        userAgent: text(evidence.user_agent),
        page: evidence.page,
      }),
  });
}

type WireAddress = NonNullable<IngestData['customer.upsert']['address']>;

export function toAddress(address: WireAddress): PostalAddress {
  return compact({
    name: text(address.name),
    company: text(address.company),
    address1: text(address.address1),
    address2: text(address.address2),
    city: text(address.city),
    province: text(address.province),
    provinceCode: text(address.province_code),
    postalCode: text(address.postal_code),
    country: text(address.country),
    countryCode: address.country_code,
    phone: text(address.phone),
  });
}
