import type {GraphQLError} from 'graphql';

/**
 * Shopify runs graphql-ruby, whose validation messages differ from graphql-js's. The common ones are rewritten to
 * Shopify's wording and `extensions.code`, so that clients and tests see what Shopify would send; the rest keep
 * graphql-js's message.
 */

export interface ShopifyError {
  message: string;
  locations?: Array<{line: number; column: number}>;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** `[Image!]!` → `Image`. */
const bare = (type: string | undefined) => (type ?? '').replace(/[![\]]/g, '');

const RULES: Array<[RegExp, (match: RegExpExecArray) => {message: string; extensions: Record<string, unknown>}]> = [
  [
    /^Cannot query field "([^"]+)" on type "([^"]+)"\./,
    ([, field, type]) => ({
      message: `Field '${field}' doesn't exist on type '${type}'`,
      extensions: {code: 'undefinedField', typeName: type, fieldName: field},
    }),
  ],
  [
    /^Unknown argument "([^"]+)" on field "(?:[^".]+\.)?([^"]+)"\./,
    ([, argument, field]) => ({
      message: `Field '${field}' doesn't accept argument '${argument}'`,
      extensions: {code: 'argumentNotAccepted', name: field, typeName: 'Field', argumentName: argument},
    }),
  ],
  [
    /^Field "([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./,
    ([, field, argument]) => ({
      message: `Field '${field}' is missing required arguments: ${argument}`,
      extensions: {code: 'missingRequiredArguments', className: 'Field', name: field, arguments: argument},
    }),
  ],
  [
    /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields\./,
    ([, field, type]) => ({
      message: `Field must have selections (field '${field}' returns ${bare(type)} but has no selections. Did you mean '${field} { ... }'?)`,
      extensions: {code: 'selectionMismatch', nodeName: `field '${field}'`, typeName: bare(type)},
    }),
  ],
  [
    /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields\./,
    ([, field, type]) => ({
      message: `Selections can't be made on scalars (field '${field}' returns ${bare(type)} but has selections)`,
      extensions: {code: 'selectionMismatch', nodeName: `field '${field}'`, typeName: bare(type)},
    }),
  ],
];

export function shopifyValidationMessage(error: GraphQLError): ShopifyError {
  const locations = error.locations?.map(({line, column}) => ({line, column}));
  for (const [pattern, rewrite] of RULES) {
    const match = pattern.exec(error.message);
    if (match) return {...rewrite(match), ...(locations ? {locations} : {})};
  }
  return {message: error.message, ...(locations ? {locations} : {})};
}
