import type {ListRecord, MemberRecord, SandboxState, SegmentCondition} from '../core/state.js';
import {conditionTypes, type EvalContext} from './lists/conditions/condition-types.js';
import {validConditions} from './lists/conditions/normalize.js';
import {purchasesByEmail, type Purchase} from './lists/conditions/purchases.js';

export {validConditions};

/**
 * The members (any status) matching `match` + `conditions`, evaluated over members, their tags and their
 * e-commerce data in every store tied to the list. Shared by saved segments and by campaigns whose
 * recipients carry conditions. Conditions the sandbox cannot evaluate throw 400 Invalid Resource.
 * No conditions match nobody (with either `match`), so that an "all" result is always within the "any" result.
 */
export function membersMatching(
  state: SandboxState,
  list: ListRecord,
  match: 'any' | 'all',
  conditions: SegmentCondition[],
): MemberRecord[] {
  const valid = validConditions(list, conditions);
  if (valid.length === 0) return [];
  let purchases: Map<string, Purchase[]> | undefined;
  const ctx: EvalContext = {
    state,
    list,
    now: state.now(),
    purchases: (member) => (purchases ??= purchasesByEmail(state, list)).get(member.email_address.toLowerCase()) ?? [],
  };
  const holds = (member: MemberRecord) => (c: (typeof valid)[number]) =>
    conditionTypes[c.condition_type]!.test(ctx, member, c);
  return [...list.members.values()].filter((member) =>
    match === 'all' ? valid.every(holds(member)) : valid.some(holds(member)),
  );
}
