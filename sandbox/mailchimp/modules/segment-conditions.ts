import type {ListRecord, MemberRecord, SandboxState, SegmentCondition} from '../core/state.js';

/**
 * The members (any status) matching `match` + `conditions`, evaluated over members, their tags and their
 * e-commerce data in every store tied to the list. Shared by saved segments and by campaigns whose
 * recipients carry conditions. Implemented with the lists module.
 */
export function membersMatching(
  _state: SandboxState,
  _list: ListRecord,
  _match: 'any' | 'all',
  _conditions: SegmentCondition[],
): MemberRecord[] {
  throw new Error('segment condition evaluation is not implemented yet');
}
