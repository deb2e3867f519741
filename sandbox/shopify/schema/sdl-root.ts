/** Query and mutation roots, bulk operations and mutation inputs/payloads (Shopify Admin API 2025-10). */
export const ROOT_SDL = /* GraphQL */ `
  enum BulkOperationStatus {
    CANCELED
    CANCELING
    COMPLETED
    CREATED
    EXPIRED
    FAILED
    RUNNING
  }

  enum BulkOperationErrorCode {
    ACCESS_DENIED
    INTERNAL_SERVER_ERROR
    TIMEOUT
  }

  enum BulkOperationType {
    MUTATION
    QUERY
  }

  type BulkOperation implements Node {
    id: ID!
    type: BulkOperationType!
    status: BulkOperationStatus!
    errorCode: BulkOperationErrorCode
    createdAt: DateTime!
    completedAt: DateTime
    objectCount: UnsignedInt64!
    rootObjectCount: UnsignedInt64!
    fileSize: UnsignedInt64
    url: URL
    partialDataUrl: URL
    query: String!
  }

  enum BulkOperationUserErrorCode {
    INVALID
    LIMIT_REACHED
    NO_SUCH_FILE
    OPERATION_IN_PROGRESS
  }

  type BulkOperationUserError {
    code: BulkOperationUserErrorCode
    field: [String!]
    message: String!
  }

  type BulkOperationRunQueryPayload {
    bulkOperation: BulkOperation
    userErrors: [BulkOperationUserError!]!
  }

  type BulkOperationCancelPayload {
    bulkOperation: BulkOperation
    userErrors: [UserError!]!
  }

  input CustomerEmailMarketingConsentInput {
    marketingOptInLevel: CustomerMarketingOptInLevel
    marketingState: CustomerEmailMarketingState!
    consentUpdatedAt: DateTime
    sourceLocationId: ID
  }

  input CustomerEmailMarketingConsentUpdateInput {
    customerId: ID!
    emailMarketingConsent: CustomerEmailMarketingConsentInput!
  }

  enum CustomerEmailMarketingConsentUpdateUserErrorCode {
    INCLUSION
    INTERNAL_ERROR
    INVALID
    MISSING_ARGUMENT
  }

  type CustomerEmailMarketingConsentUpdateUserError {
    code: CustomerEmailMarketingConsentUpdateUserErrorCode
    field: [String!]
    message: String!
  }

  type CustomerEmailMarketingConsentUpdatePayload {
    customer: Customer
    userErrors: [CustomerEmailMarketingConsentUpdateUserError!]!
  }

  input CustomerInput {
    id: ID
    email: String
    firstName: String
    lastName: String
    phone: String
    note: String
    tags: [String!]
    emailMarketingConsent: CustomerEmailMarketingConsentInput
  }

  type CustomerUpdatePayload {
    customer: Customer
    userErrors: [UserError!]!
  }

  type CustomerCreatePayload {
    customer: Customer
    userErrors: [UserError!]!
  }

  enum DiscountBuyerSelection {
    ALL
  }

  input DiscountCustomersInput {
    add: [ID!]
    remove: [ID!]
  }

  input DiscountCustomerSelectionInput {
    all: Boolean
    customers: DiscountCustomersInput
  }

  input DiscountContextInput {
    all: DiscountBuyerSelection
    customers: DiscountCustomersInput
  }

  input DiscountAmountInput {
    amount: Decimal
    appliesOnEachItem: Boolean
  }

  input DiscountEffectInput {
    percentage: Float
    amount: Decimal
  }

  input DiscountOnQuantityInput {
    quantity: UnsignedInt64
    effect: DiscountEffectInput
  }

  input DiscountCustomerGetsValueInput {
    percentage: Float
    discountAmount: DiscountAmountInput
    discountOnQuantity: DiscountOnQuantityInput
  }

  input DiscountProductsInput {
    productsToAdd: [ID!]
    productsToRemove: [ID!]
    productVariantsToAdd: [ID!]
    productVariantsToRemove: [ID!]
  }

  input DiscountCollectionsInput {
    add: [ID!]
    remove: [ID!]
  }

  input DiscountItemsInput {
    all: Boolean
    products: DiscountProductsInput
    collections: DiscountCollectionsInput
  }

  input DiscountCustomerGetsInput {
    value: DiscountCustomerGetsValueInput
    items: DiscountItemsInput
    appliesOnOneTimePurchase: Boolean
    appliesOnSubscription: Boolean
  }

  input DiscountMinimumQuantityInput {
    greaterThanOrEqualToQuantity: UnsignedInt64
  }

  input DiscountMinimumSubtotalInput {
    greaterThanOrEqualToSubtotal: Decimal
  }

  input DiscountMinimumRequirementInput {
    quantity: DiscountMinimumQuantityInput
    subtotal: DiscountMinimumSubtotalInput
  }

  input DiscountCombinesWithInput {
    orderDiscounts: Boolean
    productDiscounts: Boolean
    shippingDiscounts: Boolean
  }

  input DiscountCodeBasicInput {
    title: String
    code: String
    startsAt: DateTime
    endsAt: DateTime
    customerSelection: DiscountCustomerSelectionInput
    context: DiscountContextInput
    customerGets: DiscountCustomerGetsInput
    usageLimit: Int
    appliesOncePerCustomer: Boolean
    minimumRequirement: DiscountMinimumRequirementInput
    combinesWith: DiscountCombinesWithInput
    recurringCycleLimit: Int
  }

  enum DiscountErrorCode {
    ACTIVE_PERIOD_OVERLAP
    BAD_REQUEST
    BLANK
    CONFLICT
    DUPLICATE
    EQUAL_TO
    EXCEEDED_MAX
    GREATER_THAN
    GREATER_THAN_OR_EQUAL_TO
    IMPLICIT_DUPLICATE
    INCLUSION
    INTERNAL_ERROR
    INVALID
    LESS_THAN
    LESS_THAN_OR_EQUAL_TO
    MISSING_ARGUMENT
    PRESENT
    TAKEN
    TOO_LONG
    TOO_MANY_ARGUMENTS
    TOO_SHORT
    VALUE_OUTSIDE_RANGE
  }

  type DiscountUserError {
    code: DiscountErrorCode
    extraInfo: String
    field: [String!]
    message: String!
  }

  type DiscountCodeBasicCreatePayload {
    codeDiscountNode: DiscountCodeNode
    userErrors: [DiscountUserError!]!
  }

  type QueryRoot {
    shop: Shop!
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!

    products(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: ProductSortKeys = ID
      query: String
      savedSearchId: ID
    ): ProductConnection!
    product(id: ID!): Product
    productVariant(id: ID!): ProductVariant
    productsCount(query: String, savedSearchId: ID, limit: Int = 10000): Count

    customers(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: CustomerSortKeys = ID
      query: String
    ): CustomerConnection!
    customer(id: ID!): Customer
    customersCount(query: String, limit: Int = 10000): Count

    orders(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: OrderSortKeys = PROCESSED_AT
      query: String
      savedSearchId: ID
    ): OrderConnection!
    order(id: ID!): Order
    ordersCount(query: String, savedSearchId: ID, limit: Int = 10000): Count

    codeDiscountNodes(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: CodeDiscountSortKeys = ID
      query: String
      savedSearchId: ID
    ): DiscountCodeNodeConnection!
    codeDiscountNode(id: ID!): DiscountCodeNode
    codeDiscountNodeByCode(code: String!): DiscountCodeNode
    discountCodesCount(query: String): Count

    abandonedCheckouts(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: AbandonedCheckoutSortKeys = ID
      query: String
      savedSearchId: ID
    ): AbandonedCheckoutConnection!
    abandonedCheckoutsCount(query: String, savedSearchId: ID, limit: Int = 10000): Count

    currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  }

  type Mutation {
    bulkOperationRunQuery(query: String!, groupObjects: Boolean! = true): BulkOperationRunQueryPayload
    bulkOperationCancel(id: ID!): BulkOperationCancelPayload
    customerEmailMarketingConsentUpdate(
      input: CustomerEmailMarketingConsentUpdateInput!
    ): CustomerEmailMarketingConsentUpdatePayload
    customerCreate(input: CustomerInput!): CustomerCreatePayload
    customerUpdate(input: CustomerInput!): CustomerUpdatePayload
    discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
  }
`;
