import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type {ShopifyError} from '../http/validation-messages.js';

/**
 * Calculated query cost as Shopify documents it (shopify.dev "GraphQL Admin API rate limits"): scalars and enums
 * cost 0, objects 1, a connection 2 plus `first` (or `last`) times the cost of one node, an abstract type the
 * maximum of its possible selections, a mutation 10. The requested cost is computed before execution from the
 * arguments; the actual cost afterwards from what was returned. Connections also get Shopify's page-size checks
 * here: one of `first`/`last` is required and neither may exceed 250.
 */

export const MAX_PAGE_SIZE = 250;
const MUTATION_COST = 10;

export interface RequestedCost {
  cost: number;
  /** Page-size errors, in Shopify's words, with the path of the offending connection. */
  errors: ShopifyError[];
}

type Field = GraphQLField<unknown, unknown>;

class CostWalker {
  readonly errors: ShopifyError[] = [];
  private readonly fragments: Map<string, FragmentDefinitionNode>;

  constructor(
    private readonly schema: GraphQLSchema,
    fragments: readonly FragmentDefinitionNode[],
    private readonly variables: Record<string, unknown>,
  ) {
    this.fragments = new Map(fragments.map((f) => [f.name.value, f]));
  }

  /** The field nodes a selection set selects on a concrete type, fragments flattened. */
  private collect(set: SelectionSetNode, type: GraphQLObjectType, into: FieldNode[] = []): FieldNode[] {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) into.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || this.applies(selection.typeCondition.name.value, type))
          this.collect(selection.selectionSet, type, into);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (fragment && this.applies(fragment.typeCondition.name.value, type))
          this.collect(fragment.selectionSet, type, into);
      }
    }
    return into;
  }

  private applies(condition: string, type: GraphQLObjectType): boolean {
    if (condition === type.name) return true;
    const conditionType = this.schema.getType(condition);
    return conditionType !== undefined && isAbstractType(conditionType) && this.schema.isSubType(conditionType, type);
  }

  private pageSize(field: Field, node: FieldNode, path: string[]): number {
    const args = getArgumentValues(field, node, this.variables) as {first?: number | null; last?: number | null};
    const size = args.first ?? args.last;
    if (size === undefined || size === null) {
      this.errors.push({
        message: 'you must provide one of first or last',
        locations: node.loc ? [{line: node.loc.startToken.line, column: node.loc.startToken.column}] : undefined,
        path,
      });
      return 0;
    }
    if (size > MAX_PAGE_SIZE || size < 0) {
      const name = args.first != null ? 'first' : 'last';
      this.errors.push({
        message: `Argument '${name}' on Field '${node.name.value}' has an invalid value (${size}). Expected a page size from 0 to ${MAX_PAGE_SIZE}.`,
        path,
        extensions: {code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: name},
      });
    }
    return Math.max(0, size);
  }

  /** Requested cost of a selection set on a (possibly abstract) type. */
  selection(set: SelectionSetNode, type: GraphQLCompositeType, path: string[]): number {
    if (isAbstractType(type)) {
      return Math.max(0, ...this.schema.getPossibleTypes(type).map((possible) => this.selection(set, possible, path)));
    }
    if (!isObjectType(type)) return 0;
    let cost = 0;
    const fields = type.getFields();
    for (const node of this.collect(set, type)) {
      const field = fields[node.name.value];
      if (field) cost += this.field(field, node, [...path, node.alias?.value ?? node.name.value]);
    }
    return cost;
  }

  private nodeCost(set: SelectionSetNode, connection: GraphQLObjectType, path: string[]): number {
    let cost = 0;
    const fields = connection.getFields();
    for (const node of this.collect(set, connection)) {
      const name = node.name.value;
      const nodeType = fields[name] ? getNamedType(fields[name]!.type) : undefined;
      if (!node.selectionSet || !nodeType || !isCompositeType(nodeType)) continue;
      if (name === 'nodes') cost = Math.max(cost, 1 + this.selection(node.selectionSet, nodeType, [...path, 'nodes']));
      if (name === 'edges' && isObjectType(nodeType)) {
        const edgeFields = nodeType.getFields();
        for (const edgeNode of this.collect(node.selectionSet, nodeType)) {
          const inner = edgeFields[edgeNode.name.value]
            ? getNamedType(edgeFields[edgeNode.name.value]!.type)
            : undefined;
          if (edgeNode.name.value === 'node' && edgeNode.selectionSet && inner && isCompositeType(inner)) {
            cost = Math.max(cost, 1 + this.selection(edgeNode.selectionSet, inner, [...path, 'edges', 'node']));
          }
        }
      }
    }
    return cost;
  }

  field(field: Field, node: FieldNode, path: string[]): number {
    const named = getNamedType(field.type);
    if (isLeafType(named) || !node.selectionSet || !isCompositeType(named)) return 0;
    if (isObjectType(named) && named.name.endsWith('Connection')) {
      return 2 + this.pageSize(field, node, path) * this.nodeCost(node.selectionSet, named, path);
    }
    const inner = 1 + this.selection(node.selectionSet, named, path);
    if (isListType(getNullableType(field.type))) {
      const args = getArgumentValues(field, node, this.variables) as {first?: number | null};
      if (typeof args.first === 'number') return Math.max(0, args.first) * inner;
    }
    return inner;
  }

  /** Actual cost: the same rules over the data that was returned. */
  actual(set: SelectionSetNode, type: GraphQLCompositeType, data: unknown): number {
    if (data === null || data === undefined || typeof data !== 'object') return 0;
    if (Array.isArray(data))
      return data.reduce(
        (sum: number, item: unknown) => sum + (item === null ? 0 : 1 + this.actual(set, type, item)),
        0,
      );
    if (!isObjectType(type)) return this.selection(set, type, []);
    let cost = 0;
    const fields = type.getFields();
    const record = data as Record<string, unknown>;
    for (const node of this.collect(set, type)) {
      const field = fields[node.name.value];
      const named = field ? getNamedType(field.type) : undefined;
      const value = record[node.alias?.value ?? node.name.value];
      if (!field || !named || !node.selectionSet || !isCompositeType(named) || value === null || value === undefined)
        continue;
      if (isObjectType(named) && named.name.endsWith('Connection')) {
        const connection = value as {nodes?: unknown[]; edges?: Array<{node: unknown}>};
        const nodeSelection = this.nodeSelection(node.selectionSet, named);
        const items = connection.nodes ?? connection.edges?.map((edge) => edge.node) ?? [];
        cost += 2 + (nodeSelection ? this.actual(nodeSelection.set, nodeSelection.type, items) : items.length);
      } else if (Array.isArray(value)) {
        cost += this.actual(node.selectionSet, named, value);
      } else {
        cost += 1 + this.actual(node.selectionSet, named, value);
      }
    }
    return cost;
  }

  private nodeSelection(
    set: SelectionSetNode,
    connection: GraphQLObjectType,
  ): {set: SelectionSetNode; type: GraphQLCompositeType} | undefined {
    const fields = connection.getFields();
    for (const node of this.collect(set, connection)) {
      const named = fields[node.name.value] ? getNamedType(fields[node.name.value]!.type) : undefined;
      if (!node.selectionSet || !named || !isCompositeType(named)) continue;
      if (node.name.value === 'nodes') return {set: node.selectionSet, type: named};
      if (node.name.value === 'edges' && isObjectType(named)) {
        for (const edgeNode of this.collect(node.selectionSet, named)) {
          const inner = named.getFields()[edgeNode.name.value];
          const innerType = inner ? getNamedType(inner.type) : undefined;
          if (edgeNode.name.value === 'node' && edgeNode.selectionSet && innerType && isCompositeType(innerType))
            return {set: edgeNode.selectionSet, type: innerType};
        }
      }
    }
    return undefined;
  }
}

function fragmentsOf(operationDocument: readonly {kind: string}[]): FragmentDefinitionNode[] {
  return operationDocument.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
}

export function requestedQueryCost(
  schema: GraphQLSchema,
  definitions: readonly {kind: string}[],
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): RequestedCost {
  const walker = new CostWalker(schema, fragmentsOf(definitions), variables);
  if (operation.operation === 'mutation') {
    const fields = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length;
    return {cost: MUTATION_COST * Math.max(1, fields), errors: []};
  }
  const root = schema.getQueryType()!;
  const cost = walker.selection(operation.selectionSet, root, []);
  return {cost, errors: walker.errors};
}

export function actualQueryCost(
  schema: GraphQLSchema,
  definitions: readonly {kind: string}[],
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  data: unknown,
): number {
  if (operation.operation === 'mutation') return requestedQueryCost(schema, definitions, operation, variables).cost;
  const walker = new CostWalker(schema, fragmentsOf(definitions), variables);
  return walker.actual(operation.selectionSet, schema.getQueryType()!, data);
}
