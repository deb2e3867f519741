import type {Consent} from '../model/consent.js';
import type {SyncRecord} from '../store/sync-state-repository.js';
import {memberDecision, type CurrentMember} from '../sync/processors/member-processor.js';
import {answerFor, type StorefrontAnswer} from './record-storefront-consent.js';

/**
 * What Mailchimp holds of an address now and what the connector last wrote of it. `undefined` when Mailchimp could
 * not be asked in time (the answer then rests on local knowledge alone).
 */
export interface MemberNow {
  /** null: not on the audience. */
  current: CurrentMember | null;
  lastWrite?: Pick<SyncRecord, 'synced_at' | 'synced_desired'>;
}

/** The port the subscribe endpoint asks; implemented over the connection's Mailchimp client with a short deadline. */
export type MemberNowLookup = (connectionId: string, email: string) => Promise<MemberNow | undefined>;

/**
 * Pure: the widget's answer for a storefront consent, by the very decision the sync will make for it
 * (member-processor's memberDecision), so the page says what will happen: `pending_confirmation` for a person who
 * unsubscribed in Mailchimp (only ever asked again by a confirmation e-mail) even when the connector had not heard
 * of that unsubscribe, `subscribed` when the store's own opt-out that we wrote is reversed. Without an answer from
 * Mailchimp, or for an outcome the three answers cannot say (a cleaned address), the local answer stands.
 */
export function storefrontAnswer(consent: Consent, known: Consent | undefined, doubleOptIn: boolean, now: MemberNow | undefined): StorefrontAnswer {
  const local = answerFor(known, doubleOptIn);
  if (now === undefined) return local;
  const {current} = now;
  if (current?.status === 'subscribed') return 'already_subscribed';
  const decision = memberDecision(consent, current, now.lastWrite, doubleOptIn, 'live');
  const outcome = current === null ? decision.status_if_new : (decision.status ?? current.status);
  if (outcome === 'subscribed') return 'subscribed';
  if (outcome === 'pending') return 'pending_confirmation';
  return local;
}
