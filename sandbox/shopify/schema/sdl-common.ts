/**
 * The shared part of the SDL subset of Shopify's GraphQL Admin API (2025-10): names, nullability and argument
 * defaults as in Shopify's schema, so that a query written against Shopify validates here exactly as it would there.
 * Only the types and fields the connector and its tests use are present; enums are complete where they are small.
 */
export const COMMON_SDL = /* GraphQL */ `
  schema {
    query: QueryRoot
    mutation: Mutation
  }

  "An ISO-8601 encoded UTC date time string, e.g. 2019-09-07T15:50:00Z."
  scalar DateTime
  "A signed decimal number serialised as a string, e.g. 29.99."
  scalar Decimal
  "A monetary value string without a currency symbol or code, e.g. 29.99."
  scalar Money
  "An RFC 3986 and RFC 3987 compliant URI string."
  scalar URL
  "A string containing HTML code."
  scalar HTML
  "An unsigned 64-bit integer, serialised as a string."
  scalar UnsignedInt64

  interface Node {
    id: ID!
  }

  interface LegacyInteroperability {
    legacyResourceId: UnsignedInt64!
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  enum CurrencyCode {
    AED
    AUD
    BRL
    CAD
    CHF
    CNY
    CZK
    DKK
    EUR
    GBP
    HKD
    HUF
    ILS
    INR
    JPY
    KRW
    MXN
    NOK
    NZD
    PLN
    RON
    SEK
    SGD
    THB
    TRY
    USD
    ZAR
  }

  enum CountryCode {
    AT
    AU
    BE
    BR
    CA
    CH
    CN
    CZ
    DE
    DK
    ES
    FI
    FR
    GB
    HK
    IE
    IN
    IT
    JP
    KR
    MX
    NL
    NO
    NZ
    PL
    PT
    SE
    SG
    US
    ZA
  }

  type MoneyV2 {
    amount: Decimal!
    currencyCode: CurrencyCode!
  }

  type MoneyBag {
    shopMoney: MoneyV2!
    presentmentMoney: MoneyV2!
  }

  enum CountPrecision {
    AT_LEAST
    EXACT
  }

  type Count {
    count: Int!
    precision: CountPrecision!
  }

  type UserError {
    field: [String!]
    message: String!
  }

  type Image {
    id: ID
    url: URL!
    altText: String
    width: Int
    height: Int
  }

  type MailingAddress implements Node {
    id: ID!
    address1: String
    address2: String
    city: String
    company: String
    country: String
    countryCodeV2: CountryCode
    firstName: String
    lastName: String
    name: String
    phone: String
    province: String
    provinceCode: String
    zip: String
  }

  type Attribute {
    key: String!
    value: String
  }

  type Domain implements Node {
    id: ID!
    host: String!
    url: URL!
    sslEnabled: Boolean!
  }

  type Shop implements Node {
    id: ID!
    name: String!
    email: String!
    contactEmail: String!
    myshopifyDomain: String!
    currencyCode: CurrencyCode!
    ianaTimezone: String!
    primaryDomain: Domain!
    billingAddress: ShopAddress!
  }

  type ShopAddress implements Node {
    id: ID!
    address1: String
    address2: String
    city: String
    company: String
    country: String
    countryCodeV2: CountryCode
    phone: String
    province: String
    provinceCode: String
    zip: String
  }
`;
