/** Products, customers, orders, discounts and abandoned checkouts (Shopify Admin API 2025-10 names and shapes). */
export const RESOURCES_SDL = /* GraphQL */ `
  enum ProductStatus {
    ACTIVE
    ARCHIVED
    DRAFT
    UNLISTED
  }

  enum ProductSortKeys {
    CREATED_AT
    ID
    INVENTORY_TOTAL
    PRODUCT_TYPE
    PUBLISHED_AT
    RELEVANCE
    TITLE
    UPDATED_AT
    VENDOR
  }

  enum ProductVariantSortKeys {
    FULL_TITLE
    ID
    INVENTORY_LEVELS_AVAILABLE
    INVENTORY_MANAGEMENT
    INVENTORY_POLICY
    INVENTORY_QUANTITY
    NAME
    POPULAR
    POSITION
    RELEVANCE
    SKU
    TITLE
  }

  type Product implements Node & LegacyInteroperability {
    id: ID!
    legacyResourceId: UnsignedInt64!
    title: String!
    handle: String!
    description: String!
    descriptionHtml: HTML!
    vendor: String!
    productType: String!
    status: ProductStatus!
    tags: [String!]!
    createdAt: DateTime!
    updatedAt: DateTime!
    publishedAt: DateTime
    onlineStoreUrl: URL
    featuredImage: Image
    totalInventory: Int!
    variantsCount: Count
    variants(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: ProductVariantSortKeys = POSITION
    ): ProductVariantConnection!
  }

  type ProductConnection {
    edges: [ProductEdge!]!
    nodes: [Product!]!
    pageInfo: PageInfo!
  }

  type ProductEdge {
    cursor: String!
    node: Product!
  }

  type ProductVariant implements Node & LegacyInteroperability {
    id: ID!
    legacyResourceId: UnsignedInt64!
    title: String!
    displayName: String!
    sku: String
    price: Money!
    compareAtPrice: Money
    inventoryQuantity: Int
    position: Int!
    availableForSale: Boolean!
    image: Image
    product: Product!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  type ProductVariantConnection {
    edges: [ProductVariantEdge!]!
    nodes: [ProductVariant!]!
    pageInfo: PageInfo!
  }

  type ProductVariantEdge {
    cursor: String!
    node: ProductVariant!
  }

  type Collection implements Node {
    id: ID!
    title: String!
    handle: String!
  }

  type CollectionConnection {
    edges: [CollectionEdge!]!
    nodes: [Collection!]!
    pageInfo: PageInfo!
  }

  type CollectionEdge {
    cursor: String!
    node: Collection!
  }

  enum CustomerSortKeys {
    CREATED_AT
    ID
    LOCATION
    NAME
    RELEVANCE
    UPDATED_AT
  }

  enum CustomerState {
    DECLINED
    DISABLED
    ENABLED
    INVITED
  }

  enum CustomerEmailMarketingState {
    INVALID
    NOT_SUBSCRIBED
    PENDING
    REDACTED
    SUBSCRIBED
    UNSUBSCRIBED
  }

  enum CustomerMarketingOptInLevel {
    CONFIRMED_OPT_IN
    SINGLE_OPT_IN
    UNKNOWN
  }

  type CustomerEmailMarketingConsentState {
    marketingState: CustomerEmailMarketingState!
    marketingOptInLevel: CustomerMarketingOptInLevel
    consentUpdatedAt: DateTime
  }

  type Customer implements Node & LegacyInteroperability {
    id: ID!
    legacyResourceId: UnsignedInt64!
    email: String
    firstName: String
    lastName: String
    displayName: String!
    phone: String
    note: String
    state: CustomerState!
    verifiedEmail: Boolean!
    tags: [String!]!
    createdAt: DateTime!
    updatedAt: DateTime!
    numberOfOrders: UnsignedInt64!
    amountSpent: MoneyV2!
    emailMarketingConsent: CustomerEmailMarketingConsentState
    defaultAddress: MailingAddress
    orders(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      sortKey: OrderSortKeys = ID
      query: String
    ): OrderConnection!
  }

  type CustomerConnection {
    edges: [CustomerEdge!]!
    nodes: [Customer!]!
    pageInfo: PageInfo!
  }

  type CustomerEdge {
    cursor: String!
    node: Customer!
  }

  enum OrderSortKeys {
    CREATED_AT
    CUSTOMER_NAME
    DESTINATION
    FINANCIAL_STATUS
    FULFILLMENT_STATUS
    ID
    ORDER_NUMBER
    PO_NUMBER
    PROCESSED_AT
    RELEVANCE
    TOTAL_ITEMS_QUANTITY
    TOTAL_PRICE
    UPDATED_AT
  }

  enum OrderDisplayFinancialStatus {
    AUTHORIZED
    EXPIRED
    PAID
    PARTIALLY_PAID
    PARTIALLY_REFUNDED
    PENDING
    REFUNDED
    VOIDED
  }

  enum OrderDisplayFulfillmentStatus {
    FULFILLED
    IN_PROGRESS
    ON_HOLD
    OPEN
    PARTIALLY_FULFILLED
    PENDING_FULFILLMENT
    REQUEST_DECLINED
    RESTOCKED
    SCHEDULED
    UNFULFILLED
  }

  enum OrderCancelReason {
    CUSTOMER
    DECLINED
    FRAUD
    INVENTORY
    OTHER
    STAFF
  }

  type CustomerVisit implements Node {
    id: ID!
    landingPage: URL
    referrerUrl: URL
    occurredAt: DateTime!
    source: String!
  }

  type CustomerJourneySummary {
    firstVisit: CustomerVisit
    lastVisit: CustomerVisit
    ready: Boolean!
  }

  type Order implements Node & LegacyInteroperability {
    id: ID!
    legacyResourceId: UnsignedInt64!
    name: String!
    email: String
    createdAt: DateTime!
    updatedAt: DateTime!
    processedAt: DateTime!
    cancelledAt: DateTime
    cancelReason: OrderCancelReason
    closed: Boolean!
    test: Boolean!
    customerAcceptsMarketing: Boolean!
    note: String
    tags: [String!]!
    displayFinancialStatus: OrderDisplayFinancialStatus
    displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
    currencyCode: CurrencyCode!
    presentmentCurrencyCode: CurrencyCode!
    totalPriceSet: MoneyBag!
    subtotalPriceSet: MoneyBag
    currentTotalPriceSet: MoneyBag!
    totalTaxSet: MoneyBag
    totalShippingPriceSet: MoneyBag!
    totalDiscountsSet: MoneyBag
    totalRefundedSet: MoneyBag!
    discountCodes: [String!]!
    customAttributes: [Attribute!]!
    customerJourneySummary: CustomerJourneySummary
    customer: Customer
    shippingAddress: MailingAddress
    billingAddress: MailingAddress
    statusPageUrl: URL!
    lineItems(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): LineItemConnection!
    refunds(first: Int): [Refund!]!
  }

  type OrderConnection {
    edges: [OrderEdge!]!
    nodes: [Order!]!
    pageInfo: PageInfo!
  }

  type OrderEdge {
    cursor: String!
    node: Order!
  }

  type LineItem implements Node {
    id: ID!
    name: String!
    title: String!
    quantity: Int!
    currentQuantity: Int!
    sku: String
    variantTitle: String
    vendor: String
    variant: ProductVariant
    product: Product
    originalUnitPriceSet: MoneyBag!
    originalTotalSet: MoneyBag!
    discountedUnitPriceSet: MoneyBag!
    discountedTotalSet: MoneyBag!
    totalDiscountSet: MoneyBag!
  }

  type LineItemConnection {
    edges: [LineItemEdge!]!
    nodes: [LineItem!]!
    pageInfo: PageInfo!
  }

  type LineItemEdge {
    cursor: String!
    node: LineItem!
  }

  enum RefundLineItemRestockType {
    CANCEL
    LEGACY_RESTOCK
    NO_RESTOCK
    RETURN
  }

  type Refund implements Node & LegacyInteroperability {
    id: ID!
    legacyResourceId: UnsignedInt64!
    createdAt: DateTime
    note: String
    totalRefundedSet: MoneyBag!
    order: Order!
    refundLineItems(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
    ): RefundLineItemConnection!
  }

  type RefundLineItem {
    id: ID
    lineItem: LineItem!
    quantity: Int!
    restockType: RefundLineItemRestockType!
    subtotalSet: MoneyBag!
    totalTaxSet: MoneyBag!
  }

  type RefundLineItemConnection {
    edges: [RefundLineItemEdge!]!
    nodes: [RefundLineItem!]!
    pageInfo: PageInfo!
  }

  type RefundLineItemEdge {
    cursor: String!
    node: RefundLineItem!
  }

  enum CodeDiscountSortKeys {
    CREATED_AT
    ENDS_AT
    ID
    RELEVANCE
    STARTS_AT
    TITLE
    UPDATED_AT
  }

  enum DiscountStatus {
    ACTIVE
    EXPIRED
    SCHEDULED
  }

  type DiscountCodeNode implements Node {
    id: ID!
    codeDiscount: DiscountCode!
  }

  type DiscountCodeNodeConnection {
    edges: [DiscountCodeNodeEdge!]!
    nodes: [DiscountCodeNode!]!
    pageInfo: PageInfo!
  }

  type DiscountCodeNodeEdge {
    cursor: String!
    node: DiscountCodeNode!
  }

  union DiscountCode = DiscountCodeApp | DiscountCodeBasic | DiscountCodeBxgy | DiscountCodeFreeShipping

  type DiscountRedeemCode {
    id: ID!
    code: String!
    asyncUsageCount: Int!
  }

  type DiscountRedeemCodeConnection {
    edges: [DiscountRedeemCodeEdge!]!
    nodes: [DiscountRedeemCode!]!
    pageInfo: PageInfo!
  }

  type DiscountRedeemCodeEdge {
    cursor: String!
    node: DiscountRedeemCode!
  }

  type DiscountCodeBasic {
    title: String!
    status: DiscountStatus!
    summary: String!
    startsAt: DateTime!
    endsAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    usageLimit: Int
    asyncUsageCount: Int!
    appliesOncePerCustomer: Boolean!
    codesCount: Count
    codes(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      query: String
    ): DiscountRedeemCodeConnection!
    customerGets: DiscountCustomerGets!
    customerSelection: DiscountCustomerSelection!
  }

  type DiscountCodeApp {
    title: String!
    status: DiscountStatus!
    startsAt: DateTime!
    endsAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    usageLimit: Int
    asyncUsageCount: Int!
    codes(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      query: String
    ): DiscountRedeemCodeConnection!
  }

  type DiscountCodeBxgy {
    title: String!
    status: DiscountStatus!
    startsAt: DateTime!
    endsAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    usageLimit: Int
    asyncUsageCount: Int!
    codes(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      query: String
    ): DiscountRedeemCodeConnection!
  }

  type DiscountCodeFreeShipping {
    title: String!
    status: DiscountStatus!
    startsAt: DateTime!
    endsAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    usageLimit: Int
    asyncUsageCount: Int!
    codes(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
      query: String
    ): DiscountRedeemCodeConnection!
  }

  type DiscountCustomerGets {
    value: DiscountCustomerGetsValue!
    items: DiscountItems!
    appliesOnOneTimePurchase: Boolean!
    appliesOnSubscription: Boolean!
  }

  union DiscountCustomerGetsValue = DiscountAmount | DiscountOnQuantity | DiscountPercentage

  type DiscountAmount {
    amount: MoneyV2!
    appliesOnEachItem: Boolean!
  }

  type DiscountPercentage {
    percentage: Float!
  }

  type DiscountQuantity {
    quantity: UnsignedInt64!
  }

  union DiscountEffect = DiscountAmount | DiscountPercentage

  type DiscountOnQuantity {
    quantity: DiscountQuantity!
    effect: DiscountEffect!
  }

  union DiscountItems = AllDiscountItems | DiscountCollections | DiscountProducts

  type AllDiscountItems {
    allItems: Boolean!
  }

  type DiscountCollections {
    collections(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): CollectionConnection!
  }

  type DiscountProducts {
    products(first: Int, after: String, last: Int, before: String, reverse: Boolean = false): ProductConnection!
  }

  union DiscountCustomerSelection = DiscountCustomerAll | DiscountCustomers

  type DiscountCustomerAll {
    allCustomers: Boolean!
  }

  type DiscountCustomers {
    customers: [Customer!]!
  }

  enum AbandonedCheckoutSortKeys {
    CHECKOUT_ID
    CREATED_AT
    CUSTOMER_NAME
    ID
    RELEVANCE
    TOTAL_PRICE
  }

  type AbandonedCheckout implements Node {
    id: ID!
    name: String!
    abandonedCheckoutUrl: URL!
    createdAt: DateTime!
    updatedAt: DateTime!
    completedAt: DateTime
    note: String
    customer: Customer
    customAttributes: [Attribute!]!
    totalPriceSet: MoneyBag!
    subtotalPriceSet: MoneyBag!
    totalTaxSet: MoneyBag
    totalDiscountSet: MoneyBag!
    lineItemsQuantity: Int!
    lineItems(
      first: Int
      after: String
      last: Int
      before: String
      reverse: Boolean = false
    ): AbandonedCheckoutLineItemConnection!
  }

  type AbandonedCheckoutConnection {
    edges: [AbandonedCheckoutEdge!]!
    nodes: [AbandonedCheckout!]!
    pageInfo: PageInfo!
  }

  type AbandonedCheckoutEdge {
    cursor: String!
    node: AbandonedCheckout!
  }

  type AbandonedCheckoutLineItem implements Node {
    id: ID!
    title: String
    quantity: Int!
    sku: String
    variantTitle: String
    variant: ProductVariant
    product: Product
    originalUnitPriceSet: MoneyBag!
    originalTotalPriceSet: MoneyBag!
    discountedTotalPriceSet: MoneyBag!
  }

  type AbandonedCheckoutLineItemConnection {
    edges: [AbandonedCheckoutLineItemEdge!]!
    nodes: [AbandonedCheckoutLineItem!]!
    pageInfo: PageInfo!
  }

  type AbandonedCheckoutLineItemEdge {
    cursor: String!
    node: AbandonedCheckoutLineItem!
  }
`;
