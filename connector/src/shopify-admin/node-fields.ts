import type {LineItem, PostalAddress} from '../model/entities.js';
import {asId, type ProductId, type VariantId} from '../model/ids.js';
import {parseMoney, type Money} from '../model/money.js';
import {dropUndefined, joinName} from '../shopify/address-mapper.js';
import {normaliseTimestamp, PayloadError} from '../shopify/payload-fields.js';
import type {MailingAddress, MoneyV2} from './documents/admin-document.js';

/**
 * Reads of GraphQL Admin nodes for the pure mappers, with the same normalisations the webhook mappers apply (blank
 * strings are absent, timestamps are UTC `…000Z`, money is integer minor units), so that an entity read from the
 * Admin API and the same entity read from a webhook compare equal.
 */

export class NodeMapError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'NodeMapError';
  }
}

export type NodeMapResult<T> = {ok: true; value: T} | {ok: false; error: {field: string; message: string}};

/** Runs a mapper; a node it cannot map is a result, never an exception (a bad record must not stop a backfill). */
export function mapNode<T>(map: () => T): NodeMapResult<T> {
  try {
    return {ok: true, value: map()};
  } catch (error) {
    if (error instanceof NodeMapError) return {ok: false, error: {field: error.field, message: error.message}};
    if (error instanceof PayloadError) return {ok: false, error: {field: error.field ?? '', message: error.message}};
    return {
      ok: false,
      error: {field: '', message: `mapper failed: ${error instanceof Error ? error.message : String(error)}`},
    };
  }
}

const GID = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/;

/** The numeric id of a gid (`gid://shopify/LineItem/123` → `123`): the id REST webhooks carry. */
export function gidTail(gid: unknown, field: string): string {
  const match = typeof gid === 'string' ? GID.exec(gid.trim()) : null;
  if (!match) throw new NodeMapError(field, `expected a Shopify gid, got ${JSON.stringify(gid)}`);
  return match[1]!.replace(/^0+(?=\d)/, '');
}

/** `legacyResourceId` (the REST id) when selected, else the gid's number: both are the webhook's `id`. */
export function legacyId(node: {id?: unknown; legacyResourceId?: unknown} | null | undefined, field: string): string {
  const legacy = node?.legacyResourceId;
  if (typeof legacy === 'string' && /^\d+$/.test(legacy)) return legacy.replace(/^0+(?=\d)/, '');
  return gidTail(node?.id, `${field}.id`);
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function timestamp(value: unknown, field: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return normaliseTimestamp(value, field);
}

export function requiredTimestamp(value: unknown, field: string): string {
  const time = timestamp(value, field);
  if (time === undefined) throw new NodeMapError(field, 'required timestamp is missing');
  return time;
}

/** A decimal amount in `currency` (the currency of the order or shop being mapped). */
export function amount(value: unknown, currency: string, field: string): Money {
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new NodeMapError(field, 'required amount is missing');
  try {
    return parseMoney(value, currency);
  } catch (error) {
    throw new NodeMapError(field, error instanceof Error ? error.message : String(error));
  }
}

/** A MoneyV2; its currency must be the one expected (amounts of one order are never mixed). */
export function moneyV2(value: MoneyV2 | null | undefined, currency: string, field: string): Money {
  if (!value) throw new NodeMapError(field, 'required money is missing');
  if (typeof value.currencyCode === 'string' && value.currencyCode.toUpperCase() !== currency.toUpperCase()) {
    throw new NodeMapError(`${field}.currencyCode`, `expected ${currency}, got ${value.currencyCode}`);
  }
  return amount(value.amount, currency, `${field}.amount`);
}

export function optMoneyV2(value: MoneyV2 | null | undefined, currency: string, field: string): Money | undefined {
  return value ? moneyV2(value, currency, field) : undefined;
}

/** A MailingAddress → PostalAddress, as the webhook address mapper builds it. */
export function mailingAddress(address: MailingAddress | null | undefined): PostalAddress | undefined {
  if (!address) return undefined;
  const mapped = dropUndefined<PostalAddress>({
    name: text(address.name) ?? joinName(text(address.firstName), text(address.lastName)),
    company: text(address.company),
    address1: text(address.address1),
    address2: text(address.address2),
    city: text(address.city),
    province: text(address.province),
    provinceCode: text(address.provinceCode),
    postalCode: text(address.zip),
    country: text(address.country),
    countryCode: text(address.countryCodeV2),
    phone: text(address.phone),
  });
  return Object.keys(mapped).length > 0 ? mapped : undefined;
}

/** Nodes of a connection that may be absent or null in a partial answer. */
export function nodesOf<T>(list: {nodes?: T[] | null} | null | undefined): T[] {
  return Array.isArray(list?.nodes) ? list.nodes : [];
}

/** What an order line and a checkout line share: ids (a deleted product or variant is null), title, SKU, quantity. */
export function lineIdentity(
  line: {
    id?: unknown;
    product?: {id?: unknown; legacyResourceId?: unknown} | null;
    variant?: {id?: unknown; legacyResourceId?: unknown} | null;
    title?: unknown;
    variantTitle?: unknown;
    sku?: unknown;
    quantity?: unknown;
  },
  field: string,
): Pick<LineItem, 'id' | 'productId' | 'variantId' | 'title' | 'variantTitle' | 'sku' | 'quantity'> {
  return {
    id: gidTail(line?.id, `${field}.id`),
    productId: line.product ? asId<ProductId>(legacyId(line.product, `${field}.product`)) : null,
    variantId: line.variant ? asId<VariantId>(legacyId(line.variant, `${field}.variant`)) : null,
    title: text(line.title) ?? '',
    variantTitle: text(line.variantTitle),
    sku: text(line.sku),
    quantity: Number.isInteger(line.quantity) ? (line.quantity as number) : 0,
  };
}
