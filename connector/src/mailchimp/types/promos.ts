import type {CollectionMeta, Link} from './common.js';

/** POST …/promo-rules (required: id, description, amount, type, target). */
export interface PromoRuleCreateRequest {
  /** At most 50 characters; use the code's id when the platform has no rules. */
  id: string;
  /** At most 255 characters. */
  description: string;
  /** fixed: money; percentage: a fraction 0.0–1.0. */
  amount: number;
  /** Free shipping is `fixed`. */
  type: 'fixed' | 'percentage';
  target: 'per_item' | 'total' | 'shipping';
  /** At most 100 bytes. */
  title?: string;
  starts_at?: string;
  ends_at?: string;
  enabled?: boolean;
  created_at_foreign?: string;
  updated_at_foreign?: string;
}

export type PromoRuleUpdateRequest = Partial<Omit<PromoRuleCreateRequest, 'id'>>;

export interface PromoRule extends PromoRuleCreateRequest {
  _links?: Link[];
}

export interface PromoRulesCollection extends CollectionMeta {
  promo_rules: PromoRule[];
  store_id: string;
}

/** POST …/promo-rules/{promo_rule_id}/promo-codes (required: id, code, redemption_url). */
export interface PromoCodeCreateRequest {
  id: string;
  /** At most 50 characters. */
  code: string;
  /** At most 2000 characters. */
  redemption_url: string;
  usage_count?: number;
  enabled?: boolean;
  created_at_foreign?: string;
  updated_at_foreign?: string;
}

export type PromoCodeUpdateRequest = Partial<Omit<PromoCodeCreateRequest, 'id'>>;

export interface PromoCode extends PromoCodeCreateRequest {
  _links?: Link[];
}

export interface PromoCodesCollection extends CollectionMeta {
  promo_codes: PromoCode[];
  store_id: string;
}
