import type {ListRecord, MemberRecord, SandboxState, SegmentCondition, SegmentRecord} from '../../core/state.js';

/**
 * Segments and tags of a list. Tags are static segments ("Static segments are now known as tags", spec): the
 * segment's `static_members` is the only record of who carries a tag; member views read it back (memberTags).
 */

export function createSegment(
  state: SandboxState,
  list: ListRecord,
  input: {name: string; type: 'static' | 'saved'; options?: {match: 'any' | 'all'; conditions: SegmentCondition[]}},
): SegmentRecord {
  const now = state.timestamp();
  const segment: SegmentRecord = {
    id: state.nextNumber(),
    name: input.name,
    type: input.type,
    created_at: now,
    updated_at: now,
    static_members: new Set(),
    static_added_at: new Map(),
    list_id: list.id,
  };
  if (input.options) segment.options = input.options;
  list.segments.set(segment.id, segment);
  return segment;
}

/**
 * The tag called `name`. Mailchimp treats tag names without regard to case (adding "VIP" to a list that has "vip"
 * applies the existing tag), so the lookup ignores case.
 */
export function findTag(list: ListRecord, name: string): SegmentRecord | undefined {
  const wanted = name.trim().toLowerCase();
  for (const segment of list.segments.values()) {
    if (segment.type === 'static' && segment.name.toLowerCase() === wanted) return segment;
  }
  return undefined;
}

export function findOrCreateTag(state: SandboxState, list: ListRecord, name: string): SegmentRecord {
  return findTag(list, name) ?? createSegment(state, list, {name: name.trim(), type: 'static'});
}

/** Adds a member to a static segment; false when it was already there. */
export function addToStatic(state: SandboxState, segment: SegmentRecord, member: MemberRecord): boolean {
  if (segment.static_members.has(member.id)) return false;
  const now = state.timestamp();
  segment.static_members.add(member.id);
  (segment.static_added_at ??= new Map()).set(member.id, now);
  segment.updated_at = now;
  return true;
}

/** Removes a member from a static segment; false when it was not there. */
export function removeFromStatic(state: SandboxState, segment: SegmentRecord, member: MemberRecord): boolean {
  if (!segment.static_members.delete(member.id)) return false;
  segment.static_added_at?.delete(member.id);
  segment.updated_at = state.timestamp();
  return true;
}

/** After an address change the member's id (its hash) changes: carry its tags over. */
export function renameInSegments(list: ListRecord, oldId: string, newId: string): void {
  for (const segment of list.segments.values()) {
    if (!segment.static_members.delete(oldId)) continue;
    segment.static_members.add(newId);
    const added = segment.static_added_at?.get(oldId);
    segment.static_added_at?.delete(oldId);
    if (added !== undefined) segment.static_added_at?.set(newId, added);
  }
}

/** A permanently deleted member leaves every segment. */
export function dropFromSegments(list: ListRecord, memberId: string): void {
  for (const segment of list.segments.values()) {
    segment.static_members.delete(memberId);
    segment.static_added_at?.delete(memberId);
  }
}
