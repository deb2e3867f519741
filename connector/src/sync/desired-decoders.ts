import type {Cart, Customer, Order, Product, PromoRule} from '../model/entities.js';
import {ENTITY} from './entity-types.js';
import type {ConsentWriteBack, CustomerWriteBack} from '../write-back/write-back-desired.js';
import type {MemberDesired} from './projector.js';

/** The desired state of a deleted entity (the projector writes it for deletions). */
export interface DeletedEntity {
  id: string;
  deleted: true;
}

/** The desired state each entity type's sync record holds, as the projector writes it. */
export interface DesiredByEntity {
  [ENTITY.store]: {deleted?: boolean};
  [ENTITY.product]: Product | DeletedEntity;
  [ENTITY.customer]: Customer;
  [ENTITY.member]: MemberDesired;
  [ENTITY.promo]: PromoRule | DeletedEntity;
  [ENTITY.order]: Order;
  [ENTITY.cart]: Cart | DeletedEntity;
  [ENTITY.redaction]: {email: string; customerId?: string};
  [ENTITY.shopifyConsent]: ConsentWriteBack;
  [ENTITY.shopifyCustomer]: CustomerWriteBack;
}

type Decoder<T> = (json: string) => T;

const json =
  <T>(): Decoder<T> =>
  (text) =>
    JSON.parse(text) as T;

/** One decoder per entity type: a record's stored JSON is decoded once, by the sync worker, into its typed value. */
export const DESIRED_DECODERS: {[K in keyof DesiredByEntity]: Decoder<DesiredByEntity[K]>} = {
  [ENTITY.store]: json(),
  [ENTITY.product]: json(),
  [ENTITY.customer]: json(),
  [ENTITY.member]: json(),
  [ENTITY.promo]: json(),
  [ENTITY.order]: json(),
  [ENTITY.cart]: json(),
  [ENTITY.redaction]: json(),
  [ENTITY.shopifyConsent]: json(),
  [ENTITY.shopifyCustomer]: json(),
};

/** The record's desired state as its entity type reads it (types without a decoder: the parsed JSON). */
export function decodeDesired<K extends keyof DesiredByEntity>(entityType: K, text: string): DesiredByEntity[K];
export function decodeDesired(entityType: string, text: string): unknown;
export function decodeDesired(entityType: string, text: string): unknown {
  const decoder = (DESIRED_DECODERS as Record<string, Decoder<unknown> | undefined>)[entityType];
  return decoder ? decoder(text) : JSON.parse(text);
}
