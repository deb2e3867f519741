import type {MemberStatus, MemberStatusRead} from '../../mailchimp/types/index.js';
import {canSubscribe, type Consent} from '../../model/consent.js';

/**
 * The one place that decides what a list-member write does to a person's marketing status (DESIGN.md, consent
 * rules). Mailchimp applies `status_if_new` only when the address is not on the audience yet and `status` to an
 * existing member (notes §2.2, §9.5), so the decision always carries a `status_if_new` and carries `status` only
 * when an existing member's status must change.
 */

/** What Mailchimp reports for a member; `unknown` = not on the audience, or we have not looked. */
export type CurrentMemberStatus = MemberStatusRead | 'unknown';

/** The values this decision may write (Mailchimp's `status_if_new` / `status` enum without `cleaned`). */
export type MemberStatusIfNew = Exclude<MemberStatus, 'cleaned'>;
export type MemberStatusChange = Exclude<MemberStatus, 'cleaned'>;

/**
 * Where the consent comes from:
 * - `live`: a consent change or customer update as it happens (webhook, widget, ingest);
 * - `initial_sync`: the store's first backfill, carrying each person's own consent as recorded by the platform
 *   (an allowed source per DESIGN.md); it may set `status_if_new` but never touches an existing member's status
 *   except to honour an opt-out;
 * - `import` / `resync`: bulk re-sends (a list import, a full resync after a reconnect). These never subscribe
 *   anyone, not even as `status_if_new` (DESIGN.md: "Import/resync never subscribes"), and only opt-outs change an
 *   existing member.
 */
export type ConsentPath = 'live' | 'initial_sync' | 'import' | 'resync';

export interface MemberStatusInput {
  /** The newest canonical consent, or undefined when the payload said nothing about consent. */
  consent: Consent | undefined;
  current: CurrentMemberStatus;
  /** Whether the audience uses double opt-in (Mailchimp `double_optin` on the list). */
  doubleOptIn: boolean;
  /**
   * When the member's status last changed as far as we know (ISO 8601; Mailchimp `last_changed`, or the time of
   * the last Mailchimp webhook we applied). Undefined when unknown.
   */
  lastChangedAt?: string;
  /** Defaults to `live`. */
  path?: ConsentPath;
  /**
   * The member is unsubscribed because this connector wrote the store's own opt-out (Mailchimp's admin/API
   * `unsubscribe_reason`, no change since our write). Such an opt-out is the store's, not a choice the person made
   * in Mailchimp, so newer explicit store consent may reverse it; an opt-out the person made is only ever asked
   * again through `pending`.
   */
  optOutWrittenByUs?: boolean;
}

export type MemberStatusReason =
  /** No consent in the payload: never read as "not subscribed". */
  | 'no-consent'
  /** Opt-in from an allowed source, applied to new members (and to existing ones when `status` is set). */
  | 'opt-in'
  /** Opt-in under double opt-in: Mailchimp sends the confirmation e-mail. */
  | 'opt-in-needs-confirmation'
  /** A consent that is waiting for confirmation (Shopify `pending`). */
  | 'pending-confirmation'
  /** A newer explicit opt-in for an unsubscribed or archived member: only `pending`, never `subscribed`. */
  | 'resubscribe-needs-confirmation'
  /** A newer explicit opt-in reverses an opt-out the connector itself wrote from the store's consent. */
  | 'reverses-own-opt-out'
  /** Cleaned addresses bounce: no sync ever changes them. */
  | 'cleaned-is-final'
  /** An explicit opt-out. */
  | 'opt-out'
  /** `subscribed` state from a source that may not subscribe (checkbox/form without stored evidence). */
  | 'source-not-allowed'
  /** Import and resync paths never subscribe. */
  | 'import-never-subscribes'
  /** Never opted in (transactional contact). */
  | 'not-subscribed'
  /** The member already has the status the consent asks for. */
  | 'unchanged'
  /** The consent is not newer than the member's last known change, or its ordering cannot be proven. */
  | 'stale-consent'
  /** The initial sync creates members but leaves existing members' opt-in status alone. */
  | 'initial-sync-keeps-existing'
  /** Shopify `redacted` / `invalid`: nothing marketing-related to write. */
  | 'redacted'
  | 'invalid';

export interface MemberStatusDecision {
  status_if_new: MemberStatusIfNew;
  /** Present only when an existing member's status changes. */
  status?: MemberStatusChange;
  reason: MemberStatusReason;
}

/** Statuses a sync never turns into `subscribed` (DESIGN.md). */
const OPTED_OUT: ReadonlySet<CurrentMemberStatus> = new Set(['unsubscribed', 'cleaned', 'archived']);

/**
 * Shopify `confirmed_opt_in`: the person already confirmed by e-mail with the store, so a double-opt-in audience
 * does not need to send a second confirmation (two confirmation e-mails is a known incumbent bug).
 */
function alreadyConfirmed(consent: Consent): boolean {
  return consent.optInLevel === 'confirmed_opt_in';
}

/**
 * May this consent ask Mailchimp for a `pending` (confirmation) status? Same source rule as `canSubscribe`:
 * a checkbox or form needs stored evidence.
 */
export function canRequestConfirmation(consent: Consent): boolean {
  if (consent.state === 'subscribed') return canSubscribe(consent);
  if (consent.state !== 'pending') return false;
  if (consent.source === 'checkout_checkbox' || consent.source === 'subscribe_form')
    return consent.evidence !== undefined;
  return true;
}

/** Strictly newer, by instant (ISO strings with different offsets compare correctly). Unparseable → not newer. */
function isNewer(consentAt: string, lastChangedAt: string | undefined): boolean | undefined {
  if (lastChangedAt === undefined) return undefined;
  const a = Date.parse(consentAt);
  const b = Date.parse(lastChangedAt);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return a > b;
}

export function decideMemberStatus(input: MemberStatusInput): MemberStatusDecision {
  const {consent, current, doubleOptIn} = input;
  const path = input.path ?? 'live';
  const optedOut = OPTED_OUT.has(current);
  /** status_if_new when nothing changes for this member: never an opt-in for someone who opted out. */
  const quietIfNew = (fromConsent: MemberStatusIfNew): MemberStatusIfNew => {
    if (!optedOut) return fromConsent;
    return current === 'unsubscribed' ? 'unsubscribed' : 'transactional';
  };

  if (consent === undefined) return {status_if_new: quietIfNew('transactional'), reason: 'no-consent'};

  const newer = isNewer(consent.updatedAt, input.lastChangedAt);

  switch (consent.state) {
    case 'unsubscribed': {
      // Opt-outs are always safe to honour, unless provably older than the member's last change (a Mailchimp
      // re-subscribe after the store's opt-out wins). Cleaned and archived members receive nothing anyway.
      const apply =
        newer !== false &&
        (current === 'unknown' || current === 'subscribed' || current === 'pending' || current === 'transactional');
      if (!apply) {
        const reason =
          current === 'unsubscribed'
            ? 'unchanged'
            : current === 'cleaned'
              ? 'cleaned-is-final'
              : newer === false
                ? 'stale-consent'
                : 'unchanged';
        return {status_if_new: quietIfNew('unsubscribed'), reason};
      }
      return {status_if_new: 'unsubscribed', status: 'unsubscribed', reason: 'opt-out'};
    }
    case 'not_subscribed':
      // Not an explicit withdrawal: never downgrades an existing member.
      return {status_if_new: quietIfNew('transactional'), reason: 'not-subscribed'};
    case 'redacted':
      return {status_if_new: quietIfNew('transactional'), reason: 'redacted'};
    case 'invalid':
      return {status_if_new: quietIfNew('transactional'), reason: 'invalid'};
    case 'subscribed':
    case 'pending':
      break;
  }

  // From here on the consent asks for an opt-in (subscribed or pending).
  if (!canRequestConfirmation(consent))
    return {status_if_new: quietIfNew('transactional'), reason: 'source-not-allowed'};
  if (path === 'import' || path === 'resync')
    return {status_if_new: quietIfNew('transactional'), reason: 'import-never-subscribes'};

  const wantsSubscribed = consent.state === 'subscribed' && canSubscribe(consent);
  // Double opt-in: the audience's setting, or the consent's own (the storefront form's default).
  const confirmFirst = (doubleOptIn || consent.doubleOptIn === true) && !alreadyConfirmed(consent);
  const target: 'subscribed' | 'pending' = wantsSubscribed && !confirmFirst ? 'subscribed' : 'pending';
  const optInReason: MemberStatusReason =
    consent.state === 'pending'
      ? 'pending-confirmation'
      : target === 'pending'
        ? 'opt-in-needs-confirmation'
        : 'opt-in';

  if (current === 'cleaned') return {status_if_new: 'transactional', reason: 'cleaned-is-final'};
  if (current === 'unknown') return {status_if_new: target, reason: optInReason};

  // Existing member: only a newer explicit consent changes the status, and never on the initial sync.
  if (current === 'subscribed' || (current === 'pending' && target === 'pending')) {
    return {status_if_new: target, reason: 'unchanged'};
  }
  // A transactional contact never chose that status (our own customer and order writes create it, and the backfill
  // sends orders before members), so the platform's recorded opt-in still applies to it on the initial sync.
  if (path !== 'live' && !(path === 'initial_sync' && current === 'transactional')) {
    return {status_if_new: quietIfNew(target), reason: 'initial-sync-keeps-existing'};
  }
  if (current === 'unsubscribed' || current === 'archived') {
    // An opted-out person is only asked again for a consent provably newer than their opt-out.
    // Our own opt-out carries no Mailchimp time of the person's: the store's newest consent (newer-wins locally) rules.
    if (current === 'unsubscribed' && input.optOutWrittenByUs === true)
      return {status_if_new: target, status: target, reason: 'reverses-own-opt-out'};
    if (newer !== true) return {status_if_new: quietIfNew(target), reason: 'stale-consent'};
    // Mailchimp answers a re-subscribe of an opted-out member with a compliance error; `pending` makes it send a
    // confirmation e-mail instead, and the person decides (notes §9.3).
    return {status_if_new: 'pending', status: 'pending', reason: 'resubscribe-needs-confirmation'};
  }
  // Transactional or pending: an explicit opt-in applies unless provably older than the member's last change by the
  // person (the caller gives no lastChangedAt when that change was its own; no person chooses "transactional").
  if (newer === false) return {status_if_new: quietIfNew(target), reason: 'stale-consent'};
  // transactional → subscribed/pending, pending → subscribed (single opt-in audience or already confirmed).
  return {status_if_new: target, status: target, reason: optInReason};
}

/**
 * Whether this decision opts the person in as `subscribed` right now: the member is set to subscribed, or is
 * created subscribed. Used for e-commerce `opt_in_status`, which upgrades an existing transactional member
 * (notes §4), so it must not be true for decisions that leave an existing member alone.
 */
export function subscribesNow(decision: MemberStatusDecision): boolean {
  if (decision.status !== undefined) return decision.status === 'subscribed';
  return decision.status_if_new === 'subscribed' && decision.reason === 'opt-in';
}

/** Whether the write asks Mailchimp for an opt-in (subscribed, or pending confirmation). */
export function optsIn(decision: MemberStatusDecision): boolean {
  if (decision.status !== undefined) return decision.status === 'subscribed' || decision.status === 'pending';
  return (
    (decision.status_if_new === 'subscribed' || decision.status_if_new === 'pending') &&
    (decision.reason === 'opt-in' ||
      decision.reason === 'opt-in-needs-confirmation' ||
      decision.reason === 'pending-confirmation' ||
      decision.reason === 'reverses-own-opt-out')
  );
}
