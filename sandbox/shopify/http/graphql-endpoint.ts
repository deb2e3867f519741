import type {Request, Response} from 'express';
import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type {BulkOperations} from '../bulk/bulk-operations.js';
import {actualQueryCost, requestedQueryCost} from '../cost/query-cost.js';
import type {ThrottleBucket} from '../cost/throttle-bucket.js';
import type {ShopStore} from '../data/shop-store.js';
import type {ResolverContext} from '../resolvers/resolver-context.js';
import type {WebhookSender} from '../webhooks/webhook-sender.js';
import type {WebhookSubscriptions} from '../webhooks/webhook-subscriptions.js';
import type {RequestStats} from './request-stats.js';
import {shopifyValidationMessage, type ShopifyError} from './validation-messages.js';

export const INVALID_TOKEN_BODY = {
  errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
};
export const MAX_QUERY_COST = 1000;
const RATE_LIMITS_DOC = 'https://shopify.dev/api/usage/rate-limits';

export interface EndpointSettings {
  latencyMs: number;
}

export interface EndpointDependencies {
  schema: GraphQLSchema;
  store: ShopStore;
  bulkOperations: BulkOperations;
  webhooks?: WebhookSender;
  webhookSubscriptions: WebhookSubscriptions;
  bucket: ThrottleBucket;
  stats: RequestStats;
  /** Whether an `X-Shopify-Access-Token` is valid now (the fixed token, or one issued by OAuth and not expired). */
  isAuthorized: (token: string | undefined) => boolean;
  settings: EndpointSettings;
}

interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

function readBody(req: Request): GraphqlBody | undefined {
  if (typeof req.body === 'string') {
    if (req.is('application/graphql')) return {query: req.body};
    try {
      return JSON.parse(req.body) as GraphqlBody;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function pickOperation(document: DocumentNode, name: unknown): OperationDefinitionNode | GraphQLError {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (typeof name === 'string' && name !== '') {
    return operations.find((op) => op.name?.value === name) ?? new GraphQLError(`No operation named "${name}"`);
  }
  if (operations.length !== 1) return new GraphQLError('An operation name is required');
  return operations[0]!;
}

/** Clients send the same few documents over and over: parse and validate each text once. */
type Checked = {document: DocumentNode} | {errors: ShopifyError[]};
const checkedBySchema = new WeakMap<GraphQLSchema, Map<string, Checked>>();
const CHECKED_LIMIT = 500;

function checkDocument(schema: GraphQLSchema, query: string): Checked {
  let checkedDocuments = checkedBySchema.get(schema);
  if (!checkedDocuments) checkedBySchema.set(schema, (checkedDocuments = new Map()));
  const cached = checkedDocuments.get(query);
  if (cached) return cached;
  let checked: Checked;
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    checked = errors.length > 0 ? {errors: errors.map(shopifyValidationMessage)} : {document};
  } catch (error) {
    checked = {errors: [shopifyValidationMessage(error as GraphQLError)]};
  }
  if (checkedDocuments.size >= CHECKED_LIMIT) checkedDocuments.delete(checkedDocuments.keys().next().value!);
  checkedDocuments.set(query, checked);
  return checked;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `POST /admin/api/:version/graphql.json`: token check, then what Shopify does before running a query (parse,
 * validate, cost, page sizes, single-query cost limit, throttle), then execution and the `extensions.cost` report.
 * Query-level failures are HTTP 200 with `errors`, as on Shopify.
 */
export function graphqlEndpoint(deps: EndpointDependencies) {
  return async (req: Request, res: Response): Promise<void> => {
    deps.stats.total += 1;
    if (!deps.isAuthorized(req.get('x-shopify-access-token'))) {
      deps.stats.unauthorized += 1;
      res.status(401).json(INVALID_TOKEN_BODY);
      return;
    }
    if (deps.settings.latencyMs > 0) await sleep(deps.settings.latencyMs);
    const body = readBody(req);
    if (!body || typeof body.query !== 'string' || body.query.trim() === '') {
      res.status(400).json({errors: {query: 'Required parameter missing or invalid'}});
      return;
    }
    const apiVersion = String(req.params.version);
    const reply = (payload: {errors?: ShopifyError[]; data?: unknown; extensions?: Record<string, unknown>}) =>
      res.status(200).json(payload);

    const checked = checkDocument(deps.schema, body.query);
    if ('errors' in checked) {
      reply({errors: checked.errors});
      return;
    }
    const document = checked.document;
    const operation = pickOperation(document, body.operationName);
    if (operation instanceof GraphQLError) {
      reply({errors: [{message: operation.message}]});
      return;
    }
    const rawVariables =
      body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
    const coerced = getVariableValues(deps.schema, operation.variableDefinitions ?? [], rawVariables);
    if (coerced.errors) {
      reply({
        errors: coerced.errors.map((error) => ({
          ...shopifyValidationMessage(error),
          extensions: {code: 'variableMismatch'},
        })),
      });
      return;
    }
    const variables = coerced.coerced;
    deps.stats.countFields(
      operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])),
    );

    const requested = requestedQueryCost(deps.schema, document.definitions, operation, variables);
    const cost = (actual: number | null) => ({
      requestedQueryCost: requested.cost,
      actualQueryCost: actual,
      throttleStatus: deps.bucket.status(),
    });
    if (requested.errors.length > 0) {
      reply({errors: requested.errors, extensions: {cost: cost(null)}});
      return;
    }
    if (requested.cost > MAX_QUERY_COST) {
      deps.stats.maxCostExceeded += 1;
      reply({
        errors: [
          {
            message:
              `Query cost is ${requested.cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\n` +
              'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\n' +
              'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
              'See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n',
            extensions: {
              code: 'MAX_COST_EXCEEDED',
              cost: requested.cost,
              maxCost: MAX_QUERY_COST,
              documentation: RATE_LIMITS_DOC,
            },
          },
        ],
        extensions: {cost: cost(null)},
      });
      return;
    }
    if (!deps.bucket.take(requested.cost)) {
      deps.stats.throttled += 1;
      reply({
        errors: [{message: 'Throttled', extensions: {code: 'THROTTLED', documentation: RATE_LIMITS_DOC}}],
        extensions: {cost: cost(null)},
      });
      return;
    }

    const context: ResolverContext = {
      store: deps.store,
      apiVersion,
      bulkOperations: deps.bulkOperations,
      webhooks: deps.webhooks,
      webhookSubscriptions: deps.webhookSubscriptions,
      search: [],
    };
    const result = await execute({
      schema: deps.schema,
      document,
      operationName: operation.name?.value,
      variableValues: variables,
      contextValue: context,
    });
    const actual = Math.min(
      requested.cost,
      actualQueryCost(deps.schema, document.definitions, operation, variables, result.data),
    );
    deps.bucket.giveBack(requested.cost - actual);
    deps.stats.actualCost += actual;
    const extensions: Record<string, unknown> = {cost: cost(actual)};
    if (context.search.length > 0) extensions.search = context.search;
    reply({
      ...(result.errors
        ? {
            errors: result.errors.map((e): ShopifyError => ({
              message: e.message,
              locations: e.locations ? [...e.locations] : undefined,
              path: e.path,
              ...(e.extensions && Object.keys(e.extensions).length > 0 ? {extensions: e.extensions} : {}),
            })),
          }
        : {}),
      data: result.data ?? null,
      extensions,
    });
  };
}
