import type {ListRecord, MemberRecord, SandboxState, SegmentRecord} from '../../core/state.js';
import {membersMatching} from '../segment-conditions.js';
import {queryFlag} from './request-body.js';

/**
 * Which members a segment holds and which of them it counts.
 *
 * `member_count` and the segment member lists count subscribed contacts only — what a campaign to the segment
 * would reach. Mailchimp's segment endpoints say the same through their `include_cleaned`,
 * `include_transactional` and `include_unsubscribed` flags (all off by default), which widen the count here too.
 * Pending and archived contacts are never counted: they cannot be sent to.
 */
export interface CountedStatuses {
  cleaned: boolean;
  transactional: boolean;
  unsubscribed: boolean;
}

export function countedStatuses(query: Record<string, string>): CountedStatuses {
  return {
    cleaned: queryFlag(query, 'include_cleaned'),
    transactional: queryFlag(query, 'include_transactional'),
    unsubscribed: queryFlag(query, 'include_unsubscribed'),
  };
}

export function isCounted(member: MemberRecord, counted: CountedStatuses): boolean {
  switch (member.status) {
    case 'subscribed':
      return true;
    case 'cleaned':
    case 'transactional':
    case 'unsubscribed':
      return counted[member.status];
    default:
      return false;
  }
}

/** Everyone the segment holds, any status: a static segment's members, or a saved segment's matches evaluated now. */
export function segmentMembers(state: SandboxState, list: ListRecord, segment: SegmentRecord): MemberRecord[] {
  if (segment.type === 'saved' && segment.options)
    return membersMatching(state, list, segment.options.match, segment.options.conditions);
  const out: MemberRecord[] = [];
  for (const id of segment.static_members) {
    const member = list.members.get(id);
    if (member) out.push(member);
  }
  return out;
}

export function countedMembers(
  state: SandboxState,
  list: ListRecord,
  segment: SegmentRecord,
  counted: CountedStatuses,
): MemberRecord[] {
  return segmentMembers(state, list, segment).filter((m) => isCounted(m, counted));
}
