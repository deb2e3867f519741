import type {AddressRecord, CustomerRecord} from '../data/records.js';
import {ORDER_SEARCH} from '../query/search-schemas.js';
import {gid, isoOrNull, isoTime, moneyV2} from '../schema/scalars.js';
import {tableConnection, type ConnectionArgs, type ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

/** A MailingAddress object; Shopify gives every address its own gid. */
export function mailingAddress(address: AddressRecord | null, ownerId: number): Record<string, unknown> | null {
  if (address === null) return null;
  const name = [address.firstName, address.lastName].filter((part) => part !== null && part !== '').join(' ');
  return {
    id: `gid://shopify/MailingAddress/${ownerId}?model_name=CustomerAddress`,
    ...address,
    countryCodeV2: address.countryCode,
    name: name === '' ? null : name,
  };
}

export const customerResolvers: ResolverMap = {
  Customer: {
    id: (c: CustomerRecord) => gid('Customer', c.id),
    legacyResourceId: (c: CustomerRecord) => String(c.id),
    displayName: (c: CustomerRecord) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || c.phone || '',
    state: () => 'DISABLED',
    verifiedEmail: (c: CustomerRecord) => c.email !== null,
    createdAt: (c: CustomerRecord) => isoTime(c.createdAt),
    updatedAt: (c: CustomerRecord) => isoTime(c.updatedAt),
    numberOfOrders: (c: CustomerRecord, _args: unknown, context: ResolverContext) =>
      String(context.store.figures(c.id).orders),
    amountSpent: (c: CustomerRecord, _args: unknown, context: ResolverContext) =>
      moneyV2(context.store.figures(c.id).spentMinor, context.store.shop.currencyCode),
    emailMarketingConsent: (c: CustomerRecord) =>
      c.consent === null
        ? null
        : {
            marketingState: c.consent.state,
            marketingOptInLevel: c.consent.optInLevel,
            consentUpdatedAt: isoOrNull(c.consent.updatedAt),
          },
    defaultAddress: (c: CustomerRecord) => mailingAddress(c.address, c.id),
    orders: (c: CustomerRecord, args: ConnectionArgs, context: ResolverContext) => {
      const own = `customer_id:${c.id}`;
      return tableConnection(
        context.store.orders,
        ORDER_SEARCH,
        {...args, sortKey: args.sortKey ?? 'ID', query: args.query ? `${own} AND (${args.query})` : own},
        context,
        'orders',
        undefined,
        true,
      );
    },
  },
};
