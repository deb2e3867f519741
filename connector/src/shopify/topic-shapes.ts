import type {MapContext} from './map-context.js';
import {isJsonObject, parseLossless} from './lossless-json.js';
import {Fields, PayloadError} from './payload-fields.js';
import {requireOwnShop, WebhookShapeError, type RefusalReason} from './shop-identity.js';
import {normaliseTopic} from './topics.js';

/**
 * Shopify's HMAC covers the body only; the topic, webhook id and shop are headers anyone holding one signed body can
 * rewrite. So a body is acted on only when it has the shape of the topic it is delivered under: each topic names
 * the fields its bodies always carry and the fields that only other topics' bodies carry. A signed `orders/create`
 * re-sent as `shop/redact` has no `shop_id`/`shop_domain`; a `customers/redact` re-sent as `shop/redact` carries a
 * `customer`; both are refused, never applied.
 *
 * Bodies that name a shop (the compliance topics, `app/uninstalled`) must name the delivering connection's shop: an
 * absent name is refused, not passed. The numeric shop id (`shop_id`, the shop's `id`) must be present but is not
 * compared: the connection does not know it (settings hold no shop id) and it is not recorded on first sight,
 * because that would add nothing. The HMAC proves Shopify produced the body, and Shopify produces a body naming
 * `shop_domain: X` only for shop X, so the id in a body that names our domain is our shop's id already; a pinned id
 * would only reject bodies Shopify never signs. (Bodies of a public app's other shops, signed with the same secret,
 * name their own domain and are refused by the domain check.)
 */

/** How a required field must look: an id (number, digit string or gid), a non-blank string, an array or an object. */
type FieldKind = 'id' | 'entity-id' | 'string' | 'array' | 'object' | 'own-shop';

interface TopicShape {
  /** Fields every body of the topic carries, checked in this order. */
  required: ReadonlyArray<readonly [field: string, kind: FieldKind]>;
  /** At least one of these is present (not null) in every body of the topic. */
  anyOf?: readonly string[];
  /** Fields (not null) that only bodies of other topics carry. */
  foreign: readonly string[];
  /** The resource type an `admin_graphql_api_id` of the body names (`gid://shopify/Order/…`), when it has one. */
  gid?: string;
}

// Fields that identify the bodies of one family of topics.
const COMPLIANCE = ['shop_id', 'shop_domain', 'orders_to_redact', 'orders_requested', 'data_request'] as const;
const SHOP = ['myshopify_domain'] as const;
const ORDER = ['financial_status', 'order_number', 'order_status_url', 'confirmation_number'] as const;
const NOT_AN_ENTITY = [...COMPLIANCE, ...SHOP];

const ORDER_SHAPE: TopicShape = {
  required: [
    ['id', 'entity-id'],
    ['line_items', 'array'],
  ],
  anyOf: ORDER,
  foreign: [...NOT_AN_ENTITY, 'variants', 'refund_line_items', 'abandoned_checkout_url'],
  gid: 'Order',
};
const CHECKOUT_SHAPE: TopicShape = {
  required: [
    ['token', 'string'],
    ['line_items', 'array'],
  ],
  foreign: [...NOT_AN_ENTITY, ...ORDER, 'variants', 'refund_line_items'],
};
const PRODUCT_SHAPE: TopicShape = {
  required: [
    ['id', 'entity-id'],
    ['title', 'string'],
    ['variants', 'array'],
  ],
  foreign: [...NOT_AN_ENTITY, ...ORDER, 'line_items', 'refund_line_items', 'customer_id', 'order_id', 'email'],
  gid: 'Product',
};
/** `products/delete` is `{id}` alone. */
const PRODUCT_DELETE_SHAPE: TopicShape = {
  required: [['id', 'entity-id']],
  foreign: [
    ...NOT_AN_ENTITY,
    ...ORDER,
    'title',
    'variants',
    'line_items',
    'refund_line_items',
    'customer_id',
    'order_id',
    'email',
  ],
  gid: 'Product',
};
const CUSTOMER_FOREIGN = [
  ...NOT_AN_ENTITY,
  ...ORDER,
  'line_items',
  'variants',
  'refund_line_items',
  'customer_id',
  'order_id',
];
const CUSTOMER_SHAPE: TopicShape = {
  required: [['id', 'entity-id']],
  // A customer always has some of these; a deletion's `{id, admin_graphql_api_id}` has none.
  anyOf: ['email', 'phone', 'first_name', 'last_name', 'state', 'created_at', 'updated_at'],
  foreign: CUSTOMER_FOREIGN,
  gid: 'Customer',
};
/** `customers/delete` carries the id and no email (shopify.md). */
const CUSTOMER_DELETE_SHAPE: TopicShape = {
  required: [['id', 'entity-id']],
  foreign: [...CUSTOMER_FOREIGN, 'email'],
  gid: 'Customer',
};
const CONSENT_SHAPE: TopicShape = {
  required: [
    ['customer_id', 'id'],
    ['email_marketing_consent', 'object'],
  ],
  foreign: [...NOT_AN_ENTITY, ...ORDER, 'line_items', 'variants', 'refund_line_items', 'order_id'],
};
const REFUND_SHAPE: TopicShape = {
  required: [
    ['id', 'entity-id'],
    ['order_id', 'id'],
    ['refund_line_items', 'array'],
  ],
  foreign: [...NOT_AN_ENTITY, ...ORDER, 'line_items', 'variants'],
  gid: 'Refund',
};

/**
 * Topic → the shape of its bodies; every topic of TOPIC_MAPPERS has one (topic-shapes.test.ts checks, and that each
 * fixture passes under its own topics only). The foreign lists name only fields the topic's bodies never carry, so
 * that a genuine delivery is never refused; what the required fields already exclude is not repeated.
 */
export const TOPIC_SHAPES: Readonly<Record<string, TopicShape>> = Object.freeze({
  'orders/create': ORDER_SHAPE,
  'orders/updated': ORDER_SHAPE,
  'orders/paid': ORDER_SHAPE,
  'orders/fulfilled': ORDER_SHAPE,
  'orders/cancelled': ORDER_SHAPE,
  'refunds/create': REFUND_SHAPE,
  'customers/create': CUSTOMER_SHAPE,
  'customers/update': CUSTOMER_SHAPE,
  'customers/delete': CUSTOMER_DELETE_SHAPE,
  'customers_email_marketing_consent/update': CONSENT_SHAPE,
  'products/create': PRODUCT_SHAPE,
  'products/update': PRODUCT_SHAPE,
  'products/delete': PRODUCT_DELETE_SHAPE,
  'checkouts/create': CHECKOUT_SHAPE,
  'checkouts/update': CHECKOUT_SHAPE,
  // The shop object.
  'app/uninstalled': {
    required: [
      ['id', 'id'],
      ['myshopify_domain', 'own-shop'],
    ],
    foreign: [...COMPLIANCE, 'customer', 'line_items', 'variants'],
  },
  'customers/redact': {
    required: [
      ['shop_id', 'id'],
      ['shop_domain', 'own-shop'],
      ['customer', 'object'],
      ['orders_to_redact', 'array'],
    ],
    foreign: [...SHOP, 'orders_requested', 'data_request', 'line_items', 'variants'],
  },
  'customers/data_request': {
    required: [
      ['shop_id', 'id'],
      ['shop_domain', 'own-shop'],
      ['customer', 'object'],
      ['orders_requested', 'array'],
    ],
    foreign: [...SHOP, 'orders_to_redact', 'line_items', 'variants'],
  },
  // `{shop_id, shop_domain}` and nothing that names a person or an order.
  'shop/redact': {
    required: [
      ['shop_id', 'id'],
      ['shop_domain', 'own-shop'],
    ],
    foreign: [
      ...SHOP,
      'id',
      'customer',
      'orders_to_redact',
      'orders_requested',
      'data_request',
      'line_items',
      'variants',
    ],
  },
});

/** Throws WebhookShapeError unless the payload has the shape of `topic`; topics without a shape pass. */
export function assertTopicShape(topic: string, payload: Fields, context: Pick<MapContext, 'shopDomain'>): void {
  const key = normaliseTopic(topic);
  if (!Object.hasOwn(TOPIC_SHAPES, key)) return;
  const shape = TOPIC_SHAPES[key]!;
  for (const [field, kind] of shape.required) checkField(payload, field, kind, context);
  if (shape.anyOf && !shape.anyOf.some((field) => payload.has(field))) {
    throw new WebhookShapeError(
      'wrong_shape',
      undefined,
      `${key} bodies carry one of ${shape.anyOf.join(', ')}; this one has none`,
    );
  }
  const foreign = shape.foreign.find((field) => payload.has(field));
  if (foreign !== undefined)
    throw new WebhookShapeError(
      'wrong_shape',
      payload.at(foreign),
      `${key} bodies never carry ${foreign}: this is another topic's body`,
    );
  const gid = payload.raw('admin_graphql_api_id');
  if (shape.gid !== undefined && typeof gid === 'string' && !gid.trim().startsWith(`gid://shopify/${shape.gid}/`)) {
    throw new WebhookShapeError(
      'wrong_shape',
      payload.at('admin_graphql_api_id'),
      `${key} bodies name a ${shape.gid}, this one ${JSON.stringify(gid)}`,
    );
  }
}

function checkField(payload: Fields, field: string, kind: FieldKind, context: Pick<MapContext, 'shopDomain'>): void {
  if (kind === 'own-shop') return requireOwnShop(payload, field, context);
  try {
    if (kind === 'id') payload.id(field);
    else if (kind === 'entity-id') payload.entityId();
    else if (kind === 'string') payload.string(field);
    else if (kind === 'object') payload.object(field);
    else if (!Array.isArray(payload.raw(field)))
      throw new PayloadError(payload.at(field), payload.has(field) ? 'expected an array' : 'required array is missing');
  } catch (error) {
    if (error instanceof PayloadError) throw new WebhookShapeError('wrong_shape', error.field, error.message);
    throw error;
  }
}

export interface BodyRefusal {
  reason: RefusalReason;
  field?: string;
  message: string;
}

/**
 * The HTTP edge's check of a verified delivery: the refusal when the raw body cannot be a body of `topic` for this
 * shop (not a JSON object, another topic's shape, another shop), else undefined. Topics the connector does not sync
 * always pass (they are stored and ignored). Only the topic's identifying fields are checked here; a body of the
 * right shape with a bad value (a malformed price) is stored and fails in the inbox, where it can be replayed.
 */
export function refuseWebhookBody(
  topic: string,
  rawBody: string,
  context: Pick<MapContext, 'shopDomain'>,
): BodyRefusal | undefined {
  if (!Object.hasOwn(TOPIC_SHAPES, normaliseTopic(topic))) return undefined;
  const parsed = parseLossless(rawBody);
  if (!parsed.ok) return {reason: 'wrong_shape', message: `body is not valid JSON: ${parsed.message}`};
  if (!isJsonObject(parsed.value)) return {reason: 'wrong_shape', message: 'body is not a JSON object'};
  try {
    assertTopicShape(topic, Fields.root(parsed.value), context);
    return undefined;
  } catch (error) {
    if (error instanceof WebhookShapeError)
      return {reason: error.reason, ...(error.field !== undefined ? {field: error.field} : {}), message: error.message};
    throw error;
  }
}
