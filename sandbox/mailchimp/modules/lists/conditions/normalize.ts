import {problems, type FieldError} from '../../../core/problem.js';
import type {ListRecord, SegmentCondition} from '../../../core/state.js';
import {conditionTypes, unsupportedConditionTypes, type ValidCondition} from './condition-types.js';

/** Fields that name their condition type when a condition comes without `condition_type` (it is optional). */
const TYPE_BY_FIELD: Record<string, string> = {};
for (const [name, type] of Object.entries(conditionTypes)) {
  if (type.fields !== 'merge tag') for (const field of type.fields) TYPE_BY_FIELD[field] ??= name;
}

/**
 * Checks conditions against the condition types the sandbox evaluates and returns them with their types filled
 * in. Anything else is 400 Invalid Resource with one error per bad condition, named like Mailchimp names array
 * items (`options.conditions.item:0`).
 */
export function validConditions(list: ListRecord, conditions: unknown, path = 'options.conditions'): ValidCondition[] {
  if (!Array.isArray(conditions))
    throw problems.invalidResource([
      {field: path, message: 'Schema describes array, ' + typeof conditions + ' found instead'},
    ]);
  const errors: FieldError[] = [];
  const valid: ValidCondition[] = [];
  conditions.forEach((raw, i) => {
    const field = `${path}.item:${i}`;
    const result = validCondition(list, raw);
    if (typeof result === 'string') errors.push({field, message: result});
    else valid.push(result);
  });
  if (errors.length > 0) throw problems.invalidResource(errors);
  return valid;
}

function validCondition(list: ListRecord, raw: unknown): ValidCondition | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return 'Schema describes object, ' + typeof raw + ' found instead';
  const c = raw as Partial<SegmentCondition>;
  if (typeof c.field !== 'string' || typeof c.op !== 'string') return 'Required fields were not provided: field, op';
  const typeName =
    c.condition_type ?? TYPE_BY_FIELD[c.field] ?? (list.mergeFields.has(c.field) ? 'TextMerge' : undefined);
  if (typeName === undefined) return `Unknown segment condition field '${c.field}'.`;
  const type = conditionTypes[typeName];
  if (!type) {
    return unsupportedConditionTypes.includes(typeName)
      ? `The sandbox does not evaluate '${typeName}' conditions.`
      : 'Data did not match any of the schemas described in anyOf.';
  }
  const fieldOk = type.fields === 'merge tag' ? list.mergeFields.has(c.field) : type.fields.includes(c.field);
  if (!fieldOk) return `'${c.field}' is not a valid field for ${typeName} conditions.`;
  if (!type.ops.includes(c.op))
    return `'${c.op}' is not a valid op for ${typeName} conditions (one of: ${type.ops.join(', ')}).`;
  const needsValue = type.value !== 'none' && !type.valueless?.includes(c.op);
  if (needsValue) {
    if (c.value === undefined || c.value === null || c.value === '')
      return `${typeName} conditions with op '${c.op}' need a value.`;
    if (type.value === 'number' && !Number.isFinite(Number(c.value)))
      return `${typeName} conditions need a number value.`;
    if (type.value === 'string' && typeof c.value !== 'string' && typeof c.value !== 'number')
      return `${typeName} conditions need a string value.`;
  }
  const out: ValidCondition = {condition_type: typeName, field: c.field, op: c.op};
  if (c.value !== undefined) out.value = c.value;
  if (c.extra !== undefined) out.extra = c.extra;
  return out;
}
