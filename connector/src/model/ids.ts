/**
 * Branded ids: plain strings at run time, distinct types at compile time so that a Shopify customer id can never be
 * passed where a Mailchimp store id is expected. Shopify ids are 64-bit and are kept as decimal strings end to end
 * (JSON.parse would round them).
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & {readonly [brand]: B};

export type ShopDomain = Brand<string, 'ShopDomain'>;
export type CustomerId = Brand<string, 'CustomerId'>;
export type ProductId = Brand<string, 'ProductId'>;
export type VariantId = Brand<string, 'VariantId'>;
export type OrderId = Brand<string, 'OrderId'>;
export type CartId = Brand<string, 'CartId'>;
export type PromoRuleId = Brand<string, 'PromoRuleId'>;
export type PromoCodeId = Brand<string, 'PromoCodeId'>;
export type MailchimpStoreId = Brand<string, 'MailchimpStoreId'>;
export type MailchimpListId = Brand<string, 'MailchimpListId'>;
export type SubscriberHash = Brand<string, 'SubscriberHash'>;

export const asId = <T extends Brand<string, string>>(value: string): T => value as T;
