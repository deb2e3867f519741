import type {ErrorObject} from 'ajv';
import type {FieldError} from '../core/problem.js';

/**
 * Turns ajv's errors into the `errors[]` Mailchimp puts in a 400 "Invalid Resource", with Mailchimp's own wording
 * where it is on record:
 *
 * | problem | field | message | seen in |
 * |---|---|---|---|
 * | missing required properties | the object's path (`""` for the body) | `Required fields were not provided: email_address` | drewm/mailchimp-api #179, mailchimp/APIv3-examples #42 |
 * | wrong JSON type | the value's path | `Schema describes string, NULL found instead` | mc-magento #332, #63; ebizmarts/mailchimp-lib #12 |
 * | value outside an enum | the value's path | `Data presented is not one of the accepted values: subscribed, unsubscribed, ...` | a recorded Mailchimp answer in a public test fixture |
 * | no anyOf branch matches | the value's path | `Data did not match any of the schemas described in anyOf.` | mc-magento #497 |
 * | length and range limits | the value's path | sandbox wording (Mailchimp's is not on record) | |
 *
 * Paths are Mailchimp's: properties joined with `.`, array elements as `item:<index>`
 * (`operations.item:80`, `lines.item:0.product_id`, `merge_fields.FNAME`).
 */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined, data: unknown): FieldError[] {
  const out: FieldError[] = [];
  const missingByObject = new Map<string, string[]>();
  const seen = new Set<string>();
  const push = (field: string, message: string) => {
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({field, message});
  };

  for (const error of errors ?? []) {
    const field = mailchimpPath(error.instancePath, data);
    switch (error.keyword) {
      case 'required': {
        const missing = (error.params as {missingProperty: string}).missingProperty;
        const list = missingByObject.get(field);
        if (list) {
          if (!list.includes(missing)) list.push(missing);
        } else {
          missingByObject.set(field, [missing]);
          // Placeholder keeps the error in order of discovery; the message is filled in below.
          out.push({field, message: '\u0000required'});
        }
        break;
      }
      case 'type': {
        const expected = String((error.params as {type: string | string[]}).type)
          .split(',')
          .join(' or ');
        push(field, `Schema describes ${expected}, ${jsonTypeName(valueAt(error.instancePath, data))} found instead`);
        break;
      }
      case 'enum': {
        const allowed = (error.params as {allowedValues: unknown[]}).allowedValues;
        push(field, `Data presented is not one of the accepted values: ${allowed.map(String).join(', ')}.`);
        break;
      }
      case 'anyOf':
      case 'oneOf':
        push(field, `Data did not match any of the schemas described in ${error.keyword}.`);
        break;
      case 'maxLength':
        push(
          field,
          `Data presented is longer than the maximum of ${(error.params as {limit: number}).limit} characters.`,
        );
        break;
      case 'minimum':
        push(field, `Data presented is less than the minimum of ${(error.params as {limit: number}).limit}.`);
        break;
      case 'maximum':
        push(field, `Data presented is greater than the maximum of ${(error.params as {limit: number}).limit}.`);
        break;
      case 'if':
        // "must match then schema": the errors of the branch itself are reported.
        break;
      default:
        push(field, error.message ?? error.keyword);
    }
  }

  return out.map((e) =>
    e.message === '\u0000required'
      ? {field: e.field, message: `Required fields were not provided: ${missingByObject.get(e.field)!.join(', ')}`}
      : e,
  );
}

/** `/lines/0/product_id` → `lines.item:0.product_id` (array elements are told apart by looking at the data). */
export function mailchimpPath(instancePath: string, data: unknown): string {
  if (instancePath === '') return '';
  const parts: string[] = [];
  let current: unknown = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      parts.push(`item:${segment}`);
      current = current[Number(segment)];
    } else {
      parts.push(segment);
      current =
        typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return parts.join('.');
}

function valueAt(instancePath: string, data: unknown): unknown {
  let current: unknown = data;
  if (instancePath === '') return current;
  for (const raw of instancePath.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (typeof current === 'object' && current !== null) current = (current as Record<string, unknown>)[segment];
    else return undefined;
  }
  return current;
}

/** The type names Mailchimp's messages use ("NULL found instead", "array found instead"). */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
