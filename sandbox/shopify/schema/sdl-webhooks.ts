/**
 * Per-shop webhook subscriptions (Shopify Admin API 2025-10/2026-01): `webhookSubscriptionCreate`,
 * `webhookSubscriptionDelete`, `webhookSubscriptions`, `webhookSubscription`. The topic enum is the subset the
 * connector may subscribe to; Shopify's has some two hundred values. Only HTTP endpoints are modelled.
 */
export const WEBHOOKS_SDL = /* GraphQL */ `
  enum WebhookSubscriptionTopic {
    APP_UNINSTALLED
    BULK_OPERATIONS_FINISH
    CHECKOUTS_CREATE
    CHECKOUTS_DELETE
    CHECKOUTS_UPDATE
    CUSTOMERS_CREATE
    CUSTOMERS_DELETE
    CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE
    CUSTOMERS_UPDATE
    DISCOUNTS_CREATE
    DISCOUNTS_DELETE
    DISCOUNTS_UPDATE
    ORDERS_CANCELLED
    ORDERS_CREATE
    ORDERS_DELETE
    ORDERS_FULFILLED
    ORDERS_PAID
    ORDERS_UPDATED
    PRODUCTS_CREATE
    PRODUCTS_DELETE
    PRODUCTS_UPDATE
    REFUNDS_CREATE
    SHOP_UPDATE
  }

  enum WebhookSubscriptionFormat {
    JSON
    XML
  }

  enum WebhookSubscriptionSortKeys {
    CREATED_AT
    ID
  }

  type WebhookHttpEndpoint {
    callbackUrl: URL!
  }

  type WebhookEventBridgeEndpoint {
    arn: String!
  }

  type WebhookPubSubEndpoint {
    pubSubProject: String!
    pubSubTopic: String!
  }

  union WebhookSubscriptionEndpoint = WebhookEventBridgeEndpoint | WebhookHttpEndpoint | WebhookPubSubEndpoint

  type WebhookSubscription implements Node & LegacyInteroperability {
    id: ID!
    legacyResourceId: UnsignedInt64!
    topic: WebhookSubscriptionTopic!
    format: WebhookSubscriptionFormat!
    endpoint: WebhookSubscriptionEndpoint!
    callbackUrl: URL! @deprecated(reason: "Use \`uri\` instead.")
    uri: String!
    includeFields: [String!]!
    metafieldNamespaces: [String!]!
    filter: String
    apiVersion: ApiVersion!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  type ApiVersion {
    displayName: String!
    handle: String!
    supported: Boolean!
  }

  type WebhookSubscriptionEdge {
    cursor: String!
    node: WebhookSubscription!
  }

  type WebhookSubscriptionConnection {
    edges: [WebhookSubscriptionEdge!]!
    nodes: [WebhookSubscription!]!
    pageInfo: PageInfo!
  }

  input WebhookSubscriptionInput {
    callbackUrl: URL
    uri: String
    format: WebhookSubscriptionFormat
    includeFields: [String!]
    metafieldNamespaces: [String!]
    filter: String
  }

  type WebhookSubscriptionCreatePayload {
    webhookSubscription: WebhookSubscription
    userErrors: [UserError!]!
  }

  type WebhookSubscriptionDeletePayload {
    deletedWebhookSubscriptionId: ID
    userErrors: [UserError!]!
  }

  extend type QueryRoot {
    webhookSubscriptions(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: WebhookSubscriptionSortKeys = CREATED_AT
      callbackUrl: URL
      format: WebhookSubscriptionFormat
      topics: [WebhookSubscriptionTopic!]
      uri: String
      query: String
    ): WebhookSubscriptionConnection!
    webhookSubscription(id: ID!): WebhookSubscription
  }

  extend type Mutation {
    webhookSubscriptionCreate(
      topic: WebhookSubscriptionTopic!
      webhookSubscription: WebhookSubscriptionInput!
    ): WebhookSubscriptionCreatePayload
    webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
  }
`;
