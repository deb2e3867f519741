import type {PromoCodeCreateRequest, PromoRuleCreateRequest} from '../../mailchimp/types/index.js';
import type {PromoCode, PromoRule} from '../../model/entities.js';
import {toDecimal} from '../../model/money.js';
import {compact} from './address-mapping.js';
import {stableEcommerceId} from './ecommerce-ids.js';

/**
 * Canonical discounts as Mailchimp promo rules and promo codes (notes §4.6). Limits: rule/code ids and codes ≤ 50
 * characters, title ≤ 100 bytes, description ≤ 255 characters, redemption URL ≤ 2000 characters, `ends_at` after
 * `starts_at`, percentage amounts a fraction 0.0–1.0.
 */

const MAX_TITLE_BYTES = 100;
const MAX_DESCRIPTION = 255;
const MAX_CODE = 50;
const MAX_URL = 2000;

export type PromoCodeSkipReason = 'code-too-long' | 'url-too-long' | 'empty-code';

export interface PromoMapping {
  rule: PromoRuleCreateRequest;
  codes: PromoCodeCreateRequest[];
  /** Codes Mailchimp would reject; a code cannot be shortened without becoming another code. */
  skipped: Array<{id: string; reason: PromoCodeSkipReason}>;
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > max) break;
    bytes += size;
    out += ch;
  }
  return out;
}

/** Cuts to at most `max` characters (code points) without splitting a surrogate pair. */
function truncateChars(text: string, max: number): string {
  return Array.from(text).slice(0, max).join('');
}

export function promoRuleToMailchimp(rule: PromoRule): PromoRuleCreateRequest {
  const title = rule.title?.trim() ? truncateUtf8(rule.title.trim(), MAX_TITLE_BYTES) : undefined;
  // `description` is required: fall back to the title, then to the first code, then to the id.
  const description = truncateChars(
    rule.description.trim() || title || rule.codes[0]?.code || rule.id,
    MAX_DESCRIPTION,
  );
  const amount =
    rule.amount.type === 'percentage'
      ? // The model promises 0..1; clamp so a bad source value cannot make the whole rule invalid.
        Math.min(1, Math.max(0, Number.isFinite(rule.amount.fraction) ? rule.amount.fraction : 0))
      : toDecimal(rule.amount.money);
  const starts = rule.startsAt !== undefined ? Date.parse(rule.startsAt) : Number.NaN;
  const ends = rule.endsAt !== undefined ? Date.parse(rule.endsAt) : Number.NaN;
  // An end not after the start is rejected by Mailchimp: drop the optional field rather than the rule.
  const endsValid = rule.endsAt !== undefined && !Number.isNaN(ends) && (Number.isNaN(starts) || ends > starts);
  return compact({
    id: stableEcommerceId(rule.id),
    title,
    description,
    starts_at: rule.startsAt !== undefined && !Number.isNaN(starts) ? rule.startsAt : undefined,
    ends_at: endsValid ? rule.endsAt : undefined,
    amount,
    // Free shipping is `fixed` (Mailchimp: "For free shipping set type to fixed").
    type: rule.amount.type,
    target: rule.target,
    enabled: rule.enabled,
    updated_at_foreign: rule.updatedAt,
  });
}

export function promoCodeToMailchimp(code: PromoCode): PromoCodeCreateRequest | PromoCodeSkipReason {
  const text = code.code.trim();
  if (!text) return 'empty-code';
  if (Array.from(text).length > MAX_CODE) return 'code-too-long';
  const url = code.redemptionUrl.trim();
  if (url.length > MAX_URL) return 'url-too-long';
  return compact({
    id: stableEcommerceId(code.id),
    code: text,
    redemption_url: url,
    usage_count: code.usageCount,
    enabled: code.enabled,
  });
}

export function promoToMailchimp(rule: PromoRule): PromoMapping {
  const codes: PromoCodeCreateRequest[] = [];
  const skipped: PromoMapping['skipped'] = [];
  for (const code of rule.codes) {
    const mapped = promoCodeToMailchimp(code);
    if (typeof mapped === 'string') skipped.push({id: code.id, reason: mapped});
    else codes.push(mapped);
  }
  return {rule: promoRuleToMailchimp(rule), codes, skipped};
}
