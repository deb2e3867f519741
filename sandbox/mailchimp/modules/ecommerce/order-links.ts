import {problems} from '../../core/problem.js';
import type {SandboxState, StoreRecord} from '../../core/state.js';
import {readCustomerFields, type CustomerInput} from './customers.js';
import {ecommerceProblems, MAX_CUSTOMER_ID_LENGTH} from './ecommerce-problems.js';
import {bodyObject, reqString, requireFields, type Body} from './input.js';

/** What orders and carts point at besides products: their customer and the campaign that brought the buyer. */

/**
 * The `customer` object of an order or cart body. It needs an `id`; an id over 50 characters answers
 * 404 Resource Not Found, not a validation error (mailchimp-client-lib-codegen #128).
 */
export function readEmbeddedCustomer(body: Body): CustomerInput {
  const customer = bodyObject(body.customer, 'customer');
  requireFields(customer, ['id'], 'customer');
  const id = reqString(customer, 'id', 'customer');
  if (id.length > MAX_CUSTOMER_ID_LENGTH) throw problems.notFound();
  return {id, ...readCustomerFields(customer, 'customer')};
}

/**
 * A `campaign_id` must name a campaign of the store's audience (§9.11: stale mc_cid cookies, campaigns of another
 * list). An empty string is taken as no campaign (lenient; Mailchimp's answer to "" is not recorded anywhere).
 */
export function checkCampaign(state: SandboxState, store: StoreRecord, campaignId: string | undefined): void {
  if (!campaignId) return;
  const campaign = state.campaigns.get(campaignId);
  if (!campaign || campaign.recipients.list_id !== store.list_id) throw ecommerceProblems.campaignMissing();
}
