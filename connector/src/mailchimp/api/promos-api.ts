import type {MailchimpTransport} from '../transport.js';
import type {FieldSelection} from '../types/common.js';
import type {
  PromoCode,
  PromoCodeCreateRequest,
  PromoCodeUpdateRequest,
  PromoRule,
  PromoRuleCreateRequest,
  PromoRuleUpdateRequest,
} from '../types/promos.js';
import {falseIfNotFound, nullIfNotFound} from './not-found.js';
import {patchThenCreate} from './upsert.js';

const RULES = '/ecommerce/stores/{store_id}/promo-rules';
const RULE = '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}';
const CODES = '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}/promo-codes';
const CODE = '/ecommerce/stores/{store_id}/promo-rules/{promo_rule_id}/promo-codes/{promo_code_id}';

/** Promo rules (the discount) and their promo codes (what shoppers type). */
export class PromosApi {
  constructor(private readonly transport: MailchimpTransport) {}

  /** PATCH, then POST on 404 (no PUT exists). */
  upsertRule(storeId: string, body: PromoRuleCreateRequest): Promise<PromoRule> {
    const {id, ...changes} = body;
    return patchThenCreate(
      () =>
        this.transport.request<PromoRule, typeof RULE>({
          method: 'PATCH',
          route: RULE,
          params: {store_id: storeId, promo_rule_id: id},
          body: changes satisfies PromoRuleUpdateRequest,
        }),
      () =>
        this.transport.request<PromoRule, typeof RULES>({
          method: 'POST',
          route: RULES,
          params: {store_id: storeId},
          body,
        }),
    );
  }

  getRule(storeId: string, promoRuleId: string, select?: FieldSelection): Promise<PromoRule | null> {
    return nullIfNotFound(
      this.transport.request<PromoRule, typeof RULE>({
        method: 'GET',
        route: RULE,
        params: {store_id: storeId, promo_rule_id: promoRuleId},
        select,
      }),
    );
  }

  /** Deleting a rule deletes its codes. */
  deleteRule(storeId: string, promoRuleId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({method: 'DELETE', route: RULE, params: {store_id: storeId, promo_rule_id: promoRuleId}}),
    );
  }

  upsertCode(storeId: string, promoRuleId: string, body: PromoCodeCreateRequest): Promise<PromoCode> {
    const {id, ...changes} = body;
    return patchThenCreate(
      () =>
        this.transport.request<PromoCode, typeof CODE>({
          method: 'PATCH',
          route: CODE,
          params: {store_id: storeId, promo_rule_id: promoRuleId, promo_code_id: id},
          body: changes satisfies PromoCodeUpdateRequest,
        }),
      () =>
        this.transport.request<PromoCode, typeof CODES>({
          method: 'POST',
          route: CODES,
          params: {store_id: storeId, promo_rule_id: promoRuleId},
          body,
        }),
    );
  }

  getCode(
    storeId: string,
    promoRuleId: string,
    promoCodeId: string,
    select?: FieldSelection,
  ): Promise<PromoCode | null> {
    return nullIfNotFound(
      this.transport.request<PromoCode, typeof CODE>({
        method: 'GET',
        route: CODE,
        params: {store_id: storeId, promo_rule_id: promoRuleId, promo_code_id: promoCodeId},
        select,
      }),
    );
  }

  deleteCode(storeId: string, promoRuleId: string, promoCodeId: string): Promise<boolean> {
    return falseIfNotFound(
      this.transport.request({
        method: 'DELETE',
        route: CODE,
        params: {store_id: storeId, promo_rule_id: promoRuleId, promo_code_id: promoCodeId},
      }),
    );
  }
}
