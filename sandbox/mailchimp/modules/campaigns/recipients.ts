import type {CampaignRecord, ListRecord, MemberRecord, SandboxState, SegmentRecord} from '../../core/state.js';
import {membersMatching} from '../segment-conditions.js';

/** Who a campaign would go to now, or why nobody. */
export type Recipients =
  | {kind: 'no-list'}
  | {kind: 'list-missing'; listId: string}
  | {kind: 'segment-missing'; list: ListRecord; segmentId: number}
  | {kind: 'ok'; list: ListRecord; segment?: SegmentRecord; conditions: boolean; members: MemberRecord[]};

/**
 * The members a send reaches: the saved segment's (static → its members; saved → its conditions), the campaign's
 * own match + conditions, or the whole list, and of those only the ones whose status is `subscribed`.
 */
export function resolveRecipients(state: SandboxState, campaign: CampaignRecord): Recipients {
  const listId = campaign.recipients.list_id;
  if (!listId) return {kind: 'no-list'};
  const list = state.lists.get(listId);
  if (!list) return {kind: 'list-missing', listId};
  const opts = campaign.recipients.segment_opts;
  let candidates: Iterable<MemberRecord>;
  let segment: SegmentRecord | undefined;
  let conditions = false;
  if (opts?.saved_segment_id !== undefined) {
    segment = list.segments.get(opts.saved_segment_id);
    if (!segment) return {kind: 'segment-missing', list, segmentId: opts.saved_segment_id};
    candidates = segmentMembers(state, list, segment);
  } else if (opts?.conditions && opts.conditions.length > 0) {
    conditions = true;
    candidates = membersMatching(state, list, opts.match ?? 'any', opts.conditions);
  } else {
    candidates = list.members.values();
  }
  const members = [...candidates].filter((m) => m.status === 'subscribed');
  return {kind: 'ok', list, segment, conditions, members};
}

function segmentMembers(state: SandboxState, list: ListRecord, segment: SegmentRecord): MemberRecord[] {
  if (segment.type === 'static') {
    return [...segment.static_members]
      .map((id) => list.members.get(id))
      .filter((m): m is MemberRecord => m !== undefined);
  }
  return segment.options ? membersMatching(state, list, segment.options.match, segment.options.conditions) : [];
}

/** Mailchimp's one-line description of the audience (`recipients.segment_text`). */
export function segmentText(recipients: Recipients): string {
  if (recipients.kind !== 'ok') return '';
  if (recipients.segment) return `Contacts in segment <strong>${recipients.segment.name}</strong>`;
  if (recipients.conditions) return "Contacts matching the campaign's conditions";
  return '';
}
