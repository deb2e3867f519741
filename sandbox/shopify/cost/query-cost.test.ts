import {getVariableValues, Kind, parse, type OperationDefinitionNode} from 'graphql';
import {buildAdminSchema} from '../schema/admin-schema.js';
import {actualQueryCost, requestedQueryCost} from './query-cost.js';

const schema = buildAdminSchema();

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  return {
    document,
    operation,
    variables: coerced.coerced,
    ...requestedQueryCost(schema, document.definitions, operation, coerced.coerced),
  };
}

describe('calculated query cost', () => {
  it.each([
    ['a scalar-only object', '{ shop { name currencyCode } }', 1],
    [
      'a connection of scalars (Shopify: customers(first: 10) costs 12)',
      '{ customers(first: 10) { nodes { id email phone } } }',
      12,
    ],
    [
      'edges and nodes count once',
      '{ customers(first: 10) { edges { cursor node { id } } nodes { id } pageInfo { hasNextPage } } }',
      12,
    ],
    [
      'nested objects cost 1 each',
      '{ orders(first: 5) { nodes { totalPriceSet { shopMoney { amount } } customer { id } } } }',
      2 + 5 * (1 + 2 + 1),
    ],
    [
      'nested connections multiply',
      '{ products(first: 10) { nodes { id variants(first: 5) { nodes { id image { url } } } } } }',
      2 + 10 * (1 + 2 + 5 * 2),
    ],
    ['page size from a variable', 'query($n: Int!) { products(first: $n) { nodes { id } } }', 2 + 7],
    [
      'a union takes its most expensive member',
      '{ codeDiscountNodes(first: 2) { nodes { codeDiscount { ... on DiscountCodeBasic { customerGets { value { ... on DiscountAmount { amount { amount } } } } } } } } }',
      2 + 2 * (1 + 1 + 1 + 1 + 1),
    ],
    ['a count is an object', '{ ordersCount(query: "test:false") { count } }', 1],
    [
      'every mutation field costs 10',
      'mutation { customerUpdate(input: {id: "gid://shopify/Customer/1"}) { userErrors { message } } }',
      10,
    ],
  ])('%s', (_name, query, expected) => {
    const result = cost(query, {n: 7});
    expect(result.errors).toStrictEqual([]);
    expect(result.cost).toBe(expected);
  });

  it('fragments are followed', () => {
    const result = cost(
      'query { products(first: 3) { nodes { ...P } } } fragment P on Product { id featuredImage { url } }',
    );
    expect(result.cost).toBe(2 + 3 * 2);
  });

  it('the actual cost counts returned nodes and skips null objects', () => {
    const {document, operation, variables} = cost('{ products(first: 10) { nodes { id featuredImage { url } } } }');
    const data = {
      products: {
        nodes: [
          {id: 'a', featuredImage: {url: 'x'}},
          {id: 'b', featuredImage: null},
        ],
      },
    };
    expect(actualQueryCost(schema, document.definitions, operation, variables, data)).toBe(2 + 2 + 1);
  });

  it('reports a connection without first/last and one above 250', () => {
    expect(cost('{ orders { nodes { id } } }').errors).toStrictEqual([
      {message: 'you must provide one of first or last', locations: [{line: 1, column: 3}], path: ['orders']},
    ]);
    expect(
      cost('{ order(id: "gid://shopify/Order/1") { lineItems(last: 300) { nodes { id } } } }').errors[0],
    ).toMatchObject({path: ['order', 'lineItems']});
  });
});
