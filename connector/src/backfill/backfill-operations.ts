import type {Customer, Order, Product} from '../model/entities.js';
import {expandRoute} from '../mailchimp/route.js';
import {subscriberHash} from '../mailchimp/subscriber-hash.js';
import type {BatchOperationInput} from '../mailchimp/batch/batch-runner.js';
import type {MemberUpsertRequest} from '../mailchimp/types/members.js';
import type {ProductCreateRequest} from '../mailchimp/types/products.js';
import {extractCampaignId} from '../sync/mappers/campaign-attribution.js';
import {ecommerceCustomerBody} from '../sync/mappers/customer-to-mailchimp.js';
import type {CatalogView} from '../sync/mappers/placeholder-product.js';
import {orderToMailchimp} from '../sync/mappers/order-to-mailchimp.js';
import {productToMailchimp} from '../sync/mappers/product-to-mailchimp.js';
import type {TagChange} from '../sync/rules/tag-rules.js';
import {ENTITY} from '../sync/entity-types.js';
import type {SyncRecord} from '../store/sync-state-repository.js';

/**
 * What the backfill does with one outbox row: batch operations that create it in one go, a hand-over to the live
 * worker (which knows how to update, add placeholders, check campaigns and repair), or nothing (not sendable:
 * an unpaid order, a customer without e-mail). Pure: every fact it needs is passed in.
 */
export type BackfillPlan =
  /** `placeholders`: products Mailchimp must hold before the operations run (created in an earlier batch). */
  | {kind: 'batch'; operations: Array<Omit<BatchOperationInput, 'operationId'>>; placeholders?: ProductCreateRequest[]}
  | {kind: 'live'; reason: string}
  | {kind: 'nothing'; reason: string};

export interface BackfillTarget {
  storeId: string;
  listId: string;
}

const NO_OPT_IN = {status_if_new: 'transactional', reason: 'no-consent'} as const;

/** Products, customers and orders; members are planned from the audience snapshot (memberOperations). */
export function planEntity(
  row: SyncRecord,
  target: BackfillTarget,
  facts: {
    catalog: CatalogView;
    customerIdFor: (id: string, email: string) => string | undefined;
    emailOfCustomer: (platformId: string) => string | undefined;
    /** Whether a campaign id belongs to the audience (checked by the sender; absent: no attribution is sent). */
    campaignExists?: (campaignId: string) => boolean;
  },
): BackfillPlan {
  // Anything Mailchimp already holds is an update: the live processors do PATCH-then-POST and diffs.
  if (row.synced_hash !== null) return {kind: 'live', reason: 'already in Mailchimp: update'};
  const store_id = target.storeId;
  switch (row.entity_type) {
    case ENTITY.product: {
      const product = JSON.parse(row.desired) as Product | {deleted: true};
      if ('deleted' in product) return {kind: 'nothing', reason: 'deleted product'};
      return {
        kind: 'batch',
        operations: [
          {
            method: 'POST',
            path: expandRoute('/ecommerce/stores/{store_id}/products', {store_id}),
            body: productToMailchimp(product),
            route: '/ecommerce/stores/{store_id}/products',
          },
        ],
      };
    }
    case ENTITY.customer: {
      const customer = JSON.parse(row.desired) as Customer;
      if (!customer.email) return {kind: 'nothing', reason: 'no e-mail address'};
      const body = ecommerceCustomerBody({...customer, email: customer.email}, NO_OPT_IN);
      const customer_id = facts.customerIdFor(body.id, customer.email) ?? body.id;
      return {
        kind: 'batch',
        operations: [
          {
            method: 'PUT',
            path: expandRoute('/ecommerce/stores/{store_id}/customers/{customer_id}', {store_id, customer_id}),
            body: {...body, id: customer_id},
            route: '/ecommerce/stores/{store_id}/customers/{customer_id}',
          },
        ],
      };
    }
    case ENTITY.order: {
      const order = JSON.parse(row.desired) as Order;
      // Attribution is sent only for a campaign the sender checked against the audience.
      const candidate = extractCampaignId({landingSite: order.landingSite, attributes: order.attributes});
      const campaignId = candidate && facts.campaignExists?.(candidate) ? candidate : undefined;
      const mapping = orderToMailchimp(order, {catalog: facts.catalog, campaignId});
      if (!mapping.ok) return {kind: 'nothing', reason: mapping.reason};
      let customer = mapping.body.customer;
      if (!customer.email_address && order.customer.id) {
        // Named by id only: Mailchimp needs the address to create the customer; a phone-only customer has none.
        const email = facts.emailOfCustomer(order.customer.id);
        if (!email) return {kind: 'nothing', reason: 'customer without e-mail address'};
        customer = {...customer, email_address: email, opt_in_status: false};
      }
      const customerId = customer.email_address
        ? (facts.customerIdFor(customer.id, customer.email_address) ?? customer.id)
        : customer.id;
      const body = {...mapping.body, customer: {...customer, id: customerId}};
      return {
        kind: 'batch',
        operations: [
          {
            method: 'POST',
            path: expandRoute('/ecommerce/stores/{store_id}/orders', {store_id}),
            body,
            route: '/ecommerce/stores/{store_id}/orders',
          },
        ],
        ...(mapping.placeholders.length > 0 ? {placeholders: mapping.placeholders} : {}),
      };
    }
    default:
      return {kind: 'live', reason: `${row.entity_type} goes through the live worker`};
  }
}

/**
 * A member's batch operations, decided against the audience snapshot: a new address is created with its tags in
 * one POST; an existing member is PUT (status only where the consent rules allow) and its tags changed in the same
 * batch (the member exists, so the order of the two does not matter).
 */
export function memberOperations(
  target: BackfillTarget,
  body: MemberUpsertRequest,
  tagChanges: TagChange[],
  exists: boolean,
): Array<Omit<BatchOperationInput, 'operationId'>> {
  const list_id = target.listId;
  if (!exists) {
    const {status_if_new, status, ...rest} = body;
    const tags = tagChanges.filter((t) => t.status === 'active').map((t) => t.name);
    return [
      {
        method: 'POST',
        path: expandRoute('/lists/{list_id}/members', {list_id}),
        params: {skip_merge_validation: true},
        body: {...rest, status: status ?? status_if_new ?? 'transactional', ...(tags.length > 0 ? {tags} : {})},
        route: '/lists/{list_id}/members',
      },
    ];
  }
  const subscriber_hash = subscriberHash(body.email_address);
  const operations: Array<Omit<BatchOperationInput, 'operationId'>> = [
    {
      method: 'PUT',
      path: expandRoute('/lists/{list_id}/members/{subscriber_hash}', {list_id, subscriber_hash}),
      params: {skip_merge_validation: true},
      body,
      route: '/lists/{list_id}/members/{subscriber_hash}',
    },
  ];
  if (tagChanges.length > 0) {
    operations.push({
      method: 'POST',
      path: expandRoute('/lists/{list_id}/members/{subscriber_hash}/tags', {list_id, subscriber_hash}),
      body: {tags: tagChanges, is_syncing: true},
      route: '/lists/{list_id}/members/{subscriber_hash}/tags',
    });
  }
  return operations;
}
