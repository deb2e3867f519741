import type {AddressMergeValue, EcommerceAddress, OrderAddress} from '../../mailchimp/types/index.js';
import type {PostalAddress} from '../../model/entities.js';

/** Canonical postal addresses in the three shapes Mailchimp uses. Empty strings count as absent. */

function present(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}

/** Copies only the keys whose value is defined, so bodies (and their payload hashes) carry no `undefined` keys. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Customer and store address (no name/phone/company). Undefined when nothing is known. */
export function toCustomerAddress(
  address: PostalAddress | undefined,
): Omit<EcommerceAddress, 'longitude' | 'latitude'> | undefined {
  if (!address) return undefined;
  const mapped = compact({
    address1: present(address.address1),
    address2: present(address.address2),
    city: present(address.city),
    province: present(address.province),
    province_code: present(address.provinceCode),
    postal_code: present(address.postalCode),
    country: present(address.country),
    country_code: present(address.countryCode),
  });
  return Object.keys(mapped).length > 0 ? mapped : undefined;
}

/** Order shipping/billing address. */
export function toOrderAddress(address: PostalAddress | undefined): OrderAddress | undefined {
  if (!address) return undefined;
  const mapped: OrderAddress = compact({
    ...toCustomerAddress(address),
    name: present(address.name),
    phone: present(address.phone),
    company: present(address.company),
  });
  return Object.keys(mapped).length > 0 ? mapped : undefined;
}

/**
 * The ADDRESS merge field, only when addr1, city, state and zip are all present: Mailchimp rejects an address merge
 * value missing any of them ("Data did not match any of the schemas", notes §9.4), so an incomplete address is
 * omitted rather than failing the whole member write. Country is the ISO code when known.
 */
export function toAddressMergeValue(address: PostalAddress | undefined): AddressMergeValue | undefined {
  if (!address) return undefined;
  const addr1 = present(address.address1);
  const city = present(address.city);
  const state = present(address.province) ?? present(address.provinceCode);
  const zip = present(address.postalCode);
  if (!addr1 || !city || !state || !zip) return undefined;
  return compact({
    addr1,
    addr2: present(address.address2),
    city,
    state,
    zip,
    country: present(address.countryCode) ?? present(address.country),
  });
}
