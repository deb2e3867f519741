import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The connections of a bulk query and where they sit, which is all the JSONL writer needs: every node of a
 * connection becomes a line, nested connections are cut out of their parent's line and their nodes follow with
 * `__parentId`. The same walk checks Shopify's bulk restrictions (shopify.dev "Bulk operations: limitations").
 */

export interface ConnectionSpec {
  /** Response keys from the enclosing node object (or the query root) to the connection field. */
  path: string[];
  children: ConnectionSpec[];
  /** Whether the node selection has a plain `id` (needed for `__parentId` of nested connections). */
  nodeSelectsId: boolean;
  /** The connection sits inside a list field of its parent (Shopify does not support that in bulk queries). */
  insideList: boolean;
  depth: number;
}

export interface BulkQueryShape {
  /** The top-level connection; undefined when the query has none. */
  root?: ConnectionSpec;
  connectionCount: number;
  errors: string[];
}

const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;

type FieldOf = GraphQLField<unknown, unknown>;

function fieldsOf(type: GraphQLCompositeType): Record<string, FieldOf> {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
}

class ShapeWalker {
  connectionCount = 0;
  readonly errors = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
  ) {}

  /** Calls `visit` for every field of a selection set, fragments included. */
  private eachField(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    visit: (key: string, name: string, def: FieldOf, selection: SelectionSetNode | undefined, alias: boolean) => void,
  ): void {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const def = fieldsOf(type)[selection.name.value];
        if (def)
          visit(
            selection.alias?.value ?? selection.name.value,
            selection.name.value,
            def,
            selection.selectionSet,
            selection.alias !== undefined,
          );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) this.eachField(selection.selectionSet, condition, visit);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        const condition = fragment ? this.schema.getType(fragment.typeCondition.name.value) : undefined;
        if (fragment && condition && isCompositeType(condition))
          this.eachField(fragment.selectionSet, condition, visit);
      }
    }
  }

  /** Walks the selection of one object; connections found are added to `into`. */
  walkObject(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    path: string[],
    into: ConnectionSpec[],
    depth: number,
    inList: boolean,
  ): void {
    this.eachField(set, type, (key, _name, def, selection) => {
      const named = getNamedType(def.type);
      if (!selection || !isCompositeType(named)) return;
      if (isObjectType(named) && named.name.endsWith('Connection')) {
        into.push(this.connection(selection, named, [...path, key], depth + 1, inList));
        return;
      }
      this.walkObject(selection, named, [...path, key], into, depth, inList || isListType(getNullableType(def.type)));
    });
  }

  connection(
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    path: string[],
    depth: number,
    inList: boolean,
  ): ConnectionSpec {
    this.connectionCount += 1;
    const spec: ConnectionSpec = {path, children: [], nodeSelectsId: false, insideList: inList, depth};
    if (inList)
      this.errors.add('Queries that contain a connection field within a list field are not currently supported.');
    if (depth > MAX_DEPTH)
      this.errors.add(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_DEPTH}.`);
    const visitNode = (selection: SelectionSetNode, nodeType: GraphQLCompositeType) => {
      this.eachField(selection, nodeType, (key, name, def, _sel, alias) => {
        if (name === 'id' && key === 'id' && !alias && getNamedType(def.type).name === 'ID') spec.nodeSelectsId = true;
      });
      this.walkObject(selection, nodeType, [], spec.children, depth, false);
    };
    this.eachField(set, type, (_key, name, def, selection) => {
      const named = getNamedType(def.type);
      if (!selection || !isCompositeType(named)) return;
      if (name === 'nodes') visitNode(selection, named);
      if (name === 'edges') {
        this.eachField(selection, named, (_k, edgeField, edgeDef, nodeSelection) => {
          const nodeType = getNamedType(edgeDef.type);
          if (edgeField === 'node' && nodeSelection && isCompositeType(nodeType)) visitNode(nodeSelection, nodeType);
        });
      }
    });
    return spec;
  }
}

function checkParentIds(spec: ConnectionSpec, errors: Set<string>): void {
  if (spec.children.length > 0 && !spec.nodeSelectsId) {
    const names = spec.children.map((child) => child.path[child.path.length - 1]).join(', ');
    errors.add(
      `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${names}.`,
    );
  }
  for (const child of spec.children) checkParentIds(child, errors);
}

export function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operations.length === 1 ? operations[0] : undefined;
}

/** Shape and restriction errors of a bulk query that already passed GraphQL validation. */
export function bulkQueryShape(schema: GraphQLSchema, document: DocumentNode): BulkQueryShape {
  const operation = operationOf(document);
  if (!operation) return {connectionCount: 0, errors: ['Bulk queries must contain exactly one operation.']};
  if (operation.operation !== 'query')
    return {
      connectionCount: 0,
      errors: ['Bulk queries must be a query operation. Use bulkOperationRunMutation for mutations.'],
    };
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const walker = new ShapeWalker(schema, fragments);
  const queryRoot = schema.getQueryType()!;
  const top = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
  if (top.some((s) => s.kind === Kind.FIELD && (s.name.value === 'node' || s.name.value === 'nodes'))) {
    walker.errors.add('Bulk queries cannot use the top-level `node` or `nodes` fields.');
  }
  const roots: ConnectionSpec[] = [];
  walker.walkObject(operation.selectionSet, queryRoot, [], roots, 0, false);
  if (roots.length === 0) walker.errors.add('Bulk queries must contain at least one connection.');
  if (roots.length > 1) walker.errors.add('Bulk queries must contain exactly one top-level connection.');
  if (walker.connectionCount > MAX_CONNECTIONS)
    walker.errors.add(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`);
  for (const root of roots) checkParentIds(root, walker.errors);
  return {root: roots[0], connectionCount: walker.connectionCount, errors: [...walker.errors]};
}
