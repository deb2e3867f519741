/**
 * The type name Mailchimp's validator prints in "Schema describes string, object found instead" (PHP-style names:
 * `NULL` for null, `integer` for whole numbers).
 */
export function schemaTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function schemaMismatch(expected: string, value: unknown): string {
  return `Schema describes ${expected}, ${schemaTypeOf(value)} found instead`;
}
