import type {Consent} from '../model/consent.js';
import type {Member} from '../mailchimp/types/members.js';

/**
 * The list webhook is a hint, Mailchimp is the truth. Its deliveries are not signed: whoever learns the secret URL
 * can post unsubscribes, profile changes and address changes. So a delivery is never applied as posted: projecting
 * it only records a hint (a `mailchimp_confirm` sync-state row per address, see mailchimp-projection.ts), and the
 * sync worker's MailchimpConfirmProcessor reads the member from Mailchimp (one GET through the connection's client
 * and limiter; two for an address change) and applies only what Mailchimp confirms, with what Mailchimp holds now.
 *
 * Why there: the webhook route stays "verify the token, persist, enqueue" (Mailchimp gives a delivery 10 s); the
 * inbox processor stays a pure, transactional projection; and a sync-state row brings what a confirmation needs
 * for free: when Mailchimp cannot be reached the row is retried with back-off (never dropped, never applied) and
 * ends as a dead letter the operator can retry; hints for one address coalesce; several processes share the work
 * under leases. Every path that applies a Mailchimp change goes through this row: an inbox replay projects the hint
 * again (with a new `requestedAt`, so it is confirmed again against Mailchimp's current state), a dead-letter
 * retry runs the confirmation again.
 *
 * This module is the pure part: the hint, merging hints, and deciding what Mailchimp's answer confirms.
 */

/** The sync-state entity type of hints waiting to be confirmed with Mailchimp (keyed by the member's address). */
export const MAILCHIMP_CONFIRM_ENTITY = 'mailchimp_confirm';

export type ConsentReason = 'subscribe' | 'unsubscribe' | 'cleaned';

export interface MailchimpChangeHint {
  /** The address whose member is read (for an address change: the new address). Lower case. */
  email: string;
  /** A reported status change: `subscribed` (subscribe) or `unsubscribed` (unsubscribe, cleaned). */
  consent?: {state: 'subscribed' | 'unsubscribed'; reason: ConsentReason; at: string};
  /** A reported profile edit: the names are taken from Mailchimp, never from the delivery. */
  profile?: {at: string};
  /** A reported address change from `oldEmail` to `email`. */
  emailChange?: {oldEmail: string; at: string};
  /** When the hint was (last) projected: a replay changes it, so the confirmation runs again. */
  requestedAt: string;
}

/** What the confirmation reads of a member. */
export type MemberNow = Pick<Member, 'email_address' | 'status' | 'merge_fields' | 'last_changed'>;

/** The member fields the confirmation asks for. */
export const CONFIRM_MEMBER_FIELDS = ['email_address', 'status', 'merge_fields', 'last_changed'] as const;

export type ConfirmedChange =
  | {kind: 'consent'; email: string; consent: Consent; reason: ConsentReason; firstName?: string; lastName?: string}
  | {kind: 'profile'; email: string; firstName?: string; lastName?: string; at: string}
  | {kind: 'email_change'; oldEmail: string; newEmail: string; at: string};

export interface Confirmation {
  /** In the order they are applied: the address change first, so the rest lands on the new address. */
  changes: ConfirmedChange[];
  /** Why the rest of the hint was not applied (logged). */
  rejected: string[];
  /** A reported address change Mailchimp did not confirm: nothing moves, the operator is shown it with the reason. */
  unconfirmedEmailChange?: {oldEmail: string; newEmail: string; at: string; reason: string};
}

/** A new hint merged into one still waiting: each part keeps its newest report. */
export function mergeHints(waiting: MailchimpChangeHint | undefined, next: MailchimpChangeHint): MailchimpChangeHint {
  if (!waiting) return next;
  const newer = <T extends {at: string}>(a: T | undefined, b: T | undefined): T | undefined =>
    !a ? b : !b ? a : Date.parse(b.at) >= Date.parse(a.at) ? b : a;
  const consent = newer(waiting.consent, next.consent);
  const profile = newer(waiting.profile, next.profile);
  const emailChange = next.emailChange ?? waiting.emailChange;
  return {
    email: next.email,
    ...(consent ? {consent} : {}),
    ...(profile ? {profile} : {}),
    ...(emailChange ? {emailChange} : {}),
    requestedAt: next.requestedAt,
  };
}

/**
 * What Mailchimp's answer confirms of a hint (pure). `member` is the member at `hint.email` now (null: not in the
 * audience); `oldMember` the member at the old address of an address change (null: not in the audience).
 *
 * - an unsubscribe or cleaned report is applied only if the member is unsubscribed or cleaned now (as which of the
 *   two Mailchimp says); a subscribe report only if the member is subscribed now, with the names Mailchimp holds;
 * - a profile report applies the names Mailchimp holds now, never the posted ones;
 * - an address change only if the new address is the member and the old address is no longer in the audience;
 * - a status change is dated no later than the member's `last_changed` in Mailchimp (a delivery cannot date a true
 *   but old change as new, so it cannot outrank a newer consent the store holds).
 */
export function confirmHint(
  hint: MailchimpChangeHint,
  member: MemberNow | null,
  oldMember?: MemberNow | null,
): Confirmation {
  const changes: ConfirmedChange[] = [];
  const rejected: string[] = [];
  const email = hint.email.toLowerCase();
  const present = member !== null && member.email_address.toLowerCase() === email && member.status !== 'archived';
  const unconfirmed = (reason: string) =>
    hint.emailChange && hint.emailChange.oldEmail.toLowerCase() !== email
      ? {
          unconfirmedEmailChange: {
            oldEmail: hint.emailChange.oldEmail.toLowerCase(),
            newEmail: email,
            at: hint.emailChange.at,
            reason,
          },
        }
      : {};
  if (!present) {
    const what = [hint.emailChange && 'address change', hint.consent && hint.consent.reason, hint.profile && 'profile']
      .filter(Boolean)
      .join(', ');
    const reason = `${email} is not a member of the audience in Mailchimp`;
    return {changes, rejected: [`${what}: ${reason}`], ...unconfirmed(reason)};
  }
  const names = namesOf(member.merge_fields);
  let rejectedChange = {};
  if (hint.emailChange) {
    const oldEmail = hint.emailChange.oldEmail.toLowerCase();
    if (oldEmail === email) {
      rejected.push('address change without a change of address');
    } else if (oldMember) {
      // Also when the old address is only a transactional contact: an attacker can make any address a member (by
      // signing it up) but cannot remove the victim's contact, so "the old one is gone" is what proves a move.
      const reason = `${oldEmail} is still in the audience (${oldMember.status})`;
      rejected.push(`address change: ${reason}`);
      rejectedChange = unconfirmed(reason);
    } else {
      changes.push({kind: 'email_change', oldEmail, newEmail: email, at: hint.emailChange.at});
    }
  }
  if (hint.consent) {
    const {state, at} = hint.consent;
    const now = member.status;
    if (state === 'unsubscribed' && (now === 'unsubscribed' || now === 'cleaned')) {
      changes.push({
        kind: 'consent',
        email,
        reason: now === 'cleaned' ? 'cleaned' : 'unsubscribe',
        consent: {state, source: 'mailchimp', updatedAt: notAfter(at, member.last_changed)},
      });
    } else if (state === 'subscribed' && now === 'subscribed') {
      changes.push({
        kind: 'consent',
        email,
        reason: 'subscribe',
        consent: {state, source: 'mailchimp', updatedAt: notAfter(at, member.last_changed)},
        ...names,
      });
    } else {
      rejected.push(`${hint.consent.reason}: the member is ${now} in Mailchimp`);
    }
  }
  if (hint.profile)
    changes.push({kind: 'profile', email, at: notAfter(hint.profile.at, member.last_changed), ...names});
  return {changes, rejected, ...rejectedChange};
}

/** The reported time, unless Mailchimp's own record of the member's last change is earlier. */
function notAfter(reported: string, lastChanged: string | undefined): string {
  const last = lastChanged ? Date.parse(lastChanged) : Number.NaN;
  if (Number.isNaN(last) || Number.isNaN(Date.parse(reported)) || Date.parse(reported) <= last) return reported;
  return new Date(last).toISOString();
}

function namesOf(merges: MemberNow['merge_fields'] | undefined): {firstName?: string; lastName?: string} {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const first = text(merges?.FNAME);
  const last = text(merges?.LNAME);
  return {...(first ? {firstName: first} : {}), ...(last ? {lastName: last} : {})};
}
