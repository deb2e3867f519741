import type {PostalAddress} from '../model/entities.js';
import type {Fields} from './payload-fields.js';

/** A Shopify address (customer default_address, order/checkout shipping and billing) → PostalAddress. */
export function mapAddress(address: Fields | undefined): PostalAddress | undefined {
  if (!address) return undefined;
  const name = address.optString('name') ?? joinName(address.optString('first_name'), address.optString('last_name'));
  const mapped: PostalAddress = {
    name,
    company: address.optString('company'),
    address1: address.optString('address1'),
    address2: address.optString('address2'),
    city: address.optString('city'),
    province: address.optString('province'),
    provinceCode: address.optString('province_code'),
    postalCode: address.optString('zip'),
    country: address.optString('country') ?? address.optString('country_name'),
    countryCode: address.optString('country_code'),
    phone: address.optString('phone'),
  };
  const present = dropUndefined(mapped);
  return Object.keys(present).length > 0 ? present : undefined;
}

export function joinName(first: string | undefined, last: string | undefined): string | undefined {
  const name = [first, last]
    .filter((part) => part !== undefined)
    .join(' ')
    .trim();
  return name === '' ? undefined : name;
}

/** Removes keys whose value is undefined, so that fixtures can assert the exact output shape. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
