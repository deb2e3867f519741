import {createListRecord} from '../../core/lists.js';
import {createMember} from '../../core/members.js';
import type {ListRecord, MemberStatus, SandboxState, SegmentRecord} from '../../core/state.js';

/** Test audiences built straight in the state, so campaign tests do not depend on the lists module's routes. */
export function seedList(
  state: SandboxState,
  name: string,
  members: Array<[email: string, status: MemberStatus]>,
): ListRecord {
  const list = createListRecord(state, {name});
  for (const [email, status] of members) createMember(state, list, {email_address: email, status});
  return list;
}

/** A static segment (a tag) holding the given addresses. */
export function seedStaticSegment(
  state: SandboxState,
  list: ListRecord,
  name: string,
  emails: string[],
): SegmentRecord {
  const now = state.timestamp();
  const ids = emails.map((email) => {
    const member = [...list.members.values()].find((m) => m.email_address === email);
    if (!member) throw new Error(`${email} is not in ${list.name}`);
    return member.id;
  });
  const segment: SegmentRecord = {
    id: state.nextNumber(),
    name,
    type: 'static',
    created_at: now,
    updated_at: now,
    static_members: new Set(ids),
    list_id: list.id,
  };
  list.segments.set(segment.id, segment);
  return segment;
}

/** Everything a campaign needs to be sendable, for POST /campaigns. */
export function readyCampaignBody(listId: string, segmentId?: number): Record<string, unknown> {
  return {
    type: 'regular',
    recipients: {list_id: listId, ...(segmentId !== undefined ? {segment_opts: {saved_segment_id: segmentId}} : {})},
    settings: {
      subject_line: 'Spring sale',
      preview_text: '20% off',
      title: 'Spring',
      from_name: 'The Shop',
      reply_to: 'shop@sandbox.invalid',
    },
  };
}
