import type {TimeSpan} from './generate-catalog.js';
import type {IdAllocator} from './id-allocator.js';
import {CUSTOMER_TAGS, FIRST_NAMES, LAST_NAMES, PLACES, STREETS} from './name-lists.js';
import type {SeededRandom} from './random.js';
import type {AddressRecord, ConsentState, CustomerRecord, EmailConsentRecord} from './records.js';

/** Shares of email consent states among customers with an email (real shops: most never opted in). */
const CONSENT_SHARES: Array<[ConsentState, number]> = [
  ['SUBSCRIBED', 0.34],
  ['NOT_SUBSCRIBED', 0.46],
  ['UNSUBSCRIBED', 0.12],
  ['PENDING', 0.04],
  ['INVALID', 0.02],
  ['REDACTED', 0.02],
];

function consentFor(random: SeededRandom, createdAt: number, end: number): EmailConsentRecord {
  let roll = random.next();
  let state: ConsentState = 'NOT_SUBSCRIBED';
  for (const [candidate, share] of CONSENT_SHARES) {
    if (roll < share) {
      state = candidate;
      break;
    }
    roll -= share;
  }
  if (state === 'NOT_SUBSCRIBED') return {state, optInLevel: 'SINGLE_OPT_IN', updatedAt: null};
  return {
    state,
    optInLevel: state === 'SUBSCRIBED' && random.chance(0.2) ? 'CONFIRMED_OPT_IN' : state === 'INVALID' || state === 'REDACTED' ? 'UNKNOWN' : 'SINGLE_OPT_IN',
    updatedAt: Math.floor(createdAt + random.next() * Math.max(0, end - createdAt)),
  };
}

export function randomAddress(random: SeededRandom, firstName: string | null, lastName: string | null): AddressRecord {
  const place = random.pick(PLACES);
  return {
    firstName,
    lastName,
    company: random.chance(0.1) ? 'Fernwood Studio' : null,
    address1: `${random.int(1, 999)} ${random.pick(STREETS)}`,
    address2: random.chance(0.15) ? `Apt ${random.int(1, 40)}` : null,
    city: place.city,
    province: place.province,
    provinceCode: place.provinceCode,
    country: place.country,
    countryCode: place.countryCode,
    zip: place.zip,
    phone: null,
  };
}

function emailLocal(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

export function generateCustomers(random: SeededRandom, ids: IdAllocator, count: number, span: TimeSpan): CustomerRecord[] {
  const customers: CustomerRecord[] = [];
  for (let n = 0; n < count; n += 1) {
    const firstName = random.chance(0.97) ? random.pick(FIRST_NAMES) : null;
    const lastName = random.chance(0.95) ? random.pick(LAST_NAMES) : null;
    const createdAt = Math.floor(span.start + (random.next() * (span.end - span.start) * n) / Math.max(1, count));
    const updatedAt = Math.floor(createdAt + random.next() * (span.end - createdAt));
    // Shopify allows customers without an email (phone-only sign-ups, point of sale).
    const hasEmail = random.chance(0.97);
    const email = hasEmail ? `${emailLocal(firstName ?? 'customer')}.${emailLocal(lastName ?? 'x')}${n + 1}@example-mail.com` : null;
    const phone = !hasEmail || random.chance(0.35) ? `+1555${String(random.int(0, 9_999_999)).padStart(7, '0')}` : null;
    customers.push({
      id: ids.allocate('Customer'),
      email,
      firstName,
      lastName,
      phone,
      note: null,
      tags: random.chance(0.25) ? [random.pick(CUSTOMER_TAGS)] : [],
      createdAt,
      updatedAt,
      consent: email === null ? null : consentFor(random, createdAt, span.end),
      address: random.chance(0.8) ? randomAddress(random, firstName, lastName) : null,
    });
  }
  return customers;
}
