import {problems, type FieldError} from '../../core/problem.js';
import type {ListRecord} from '../../core/state.js';

export interface MergeValueOptions {
  /** `skip_merge_validation=true`: accept the member without values for required merge fields. */
  skipRequired: boolean;
  /** A new member: empty fields take the merge field's default value. */
  isNew: boolean;
}

/**
 * The merge values a member write results in: the current values with the incoming ones laid over, keyed by the
 * list's merge tags (tags are matched without regard to case; unknown tags are dropped, as Mailchimp ignores them).
 * Throws "Your merge fields were invalid." with one error per field, as Mailchimp does (notes §1.2, §9.4).
 */
export function mergeValues(
  list: ListRecord,
  current: Record<string, unknown>,
  incoming: Record<string, unknown> | undefined,
  options: MergeValueOptions,
): Record<string, unknown> {
  const result: Record<string, unknown> = {...current};
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(incoming ?? {})) {
    const field = list.mergeFields.get(key.toUpperCase());
    if (!field) continue;
    const problem = typeProblem(field.type, value);
    if (problem) errors.push({field: field.tag, message: problem});
    else result[field.tag] = value ?? '';
  }
  for (const field of list.mergeFields.values()) {
    if (options.isNew && isBlank(result[field.tag]) && field.default_value !== '')
      result[field.tag] = field.default_value;
    if (
      field.required &&
      !options.skipRequired &&
      isBlank(result[field.tag]) &&
      !errors.some((e) => e.field === field.tag)
    ) {
      errors.push({field: field.tag, message: 'Please enter a value'});
    }
  }
  if (errors.length > 0) throw problems.invalidResource(errors, 'Your merge fields were invalid.');
  return result;
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

// Messages for wrong types are the web form's ("Please enter a number"); UNVERIFIED for the API, which may answer
// with a schema message instead. Addresses need addr1, city, state and zip (notes §9.4).
function typeProblem(type: string, value: unknown): string | undefined {
  if (isBlank(value)) return undefined;
  switch (type) {
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && Number.isFinite(Number(value)))
        ? undefined
        : 'Please enter a number';
    case 'address': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Please enter a complete address';
      const address = value as Record<string, unknown>;
      return ['addr1', 'city', 'state', 'zip'].every((k) => !isBlank(address[k]))
        ? undefined
        : 'Please enter a complete address';
    }
    default:
      return typeof value === 'string' || typeof value === 'number' ? undefined : 'Please enter a value';
  }
}

/** Two sets of merge values hold the same data (a profile change is one that makes them differ). */
export function sameMergeValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (JSON.stringify(a[key] ?? '') !== JSON.stringify(b[key] ?? '')) return false;
  }
  return true;
}
