import type {Order} from '../../model/entities.js';
import type {MemberStatusDecision} from './member-status.js';
import {orderSyncDecision} from '../mappers/order-purchase.js';

/**
 * Whether a person earns a contact in the audience (issue #11 point 4). Mailchimp bills every contact, so a member is
 * created only for someone who is there anyway or who chose something: a store customer (its e-commerce customer
 * makes the contact), an order Mailchimp holds (the same), or a consent to record (an opt-in or an opt-out). A guest
 * with only unpaid orders, an abandoned checkout or an address without consent gets no contact of its own.
 * Members already in the audience are always kept up to date: the question is only whether to create one.
 */
export function earnsContact(
  person: {customerId?: string; purchases: readonly Pick<Order, 'isTest' | 'financialStatus'>[]},
  decision: MemberStatusDecision,
): boolean {
  if (person.customerId !== undefined) return true;
  if (person.purchases.some((o) => orderSyncDecision(o).send)) return true;
  return decision.status_if_new !== 'transactional';
}
