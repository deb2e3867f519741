import type {PromoCode, PromoRule} from '../model/entities.js';
import {asId, type PromoCodeId, type PromoRuleId} from '../model/ids.js';
import {dropUndefined} from '../shopify/address-mapper.js';
import type {DiscountCodeNode} from './documents/discount-documents.js';
import {
  amount,
  gidTail,
  legacyId,
  mapNode,
  nodesOf,
  NodeMapError,
  requiredTimestamp,
  text,
  timestamp,
  type NodeMapResult,
} from './node-fields.js';

/** Where a code can be redeemed: Shopify's shareable discount link on the shop's domain. */
export function redemptionUrl(shopDomain: string, code: string): string {
  return `https://${shopDomain.trim().toLowerCase()}/discount/${encodeURIComponent(code)}`;
}

export type DiscountMapping = NodeMapResult<PromoRule | {skipped: string}>;

/**
 * A `codeDiscountNodes` node → canonical PromoRule with its codes. Only basic code discounts (percentage or amount
 * off) are promo rules Mailchimp can describe; app, buy-X-get-Y and free-shipping discounts come back as
 * `{skipped}`. The percentage is Shopify's fraction (0.15 = 15 %); an amount off each item is `per_item`.
 */
export function mapCodeDiscountNode(node: DiscountCodeNode, shopDomain: string): DiscountMapping {
  return mapNode(() => {
    const id = asId<PromoRuleId>(legacyId(node, 'codeDiscountNode'));
    const discount = node.codeDiscount;
    if (!discount || discount.__typename !== 'DiscountCodeBasic')
      return {skipped: `${discount?.__typename ?? 'unknown'} is not a basic code discount`};
    const value = discount.customerGets?.value;
    let ruleAmount: PromoRule['amount'];
    let target: PromoRule['target'] = 'total';
    if (value?.__typename === 'DiscountPercentage') {
      if (typeof value.percentage !== 'number' || !Number.isFinite(value.percentage))
        throw new NodeMapError('codeDiscount.customerGets.value.percentage', 'required percentage is missing');
      ruleAmount = {type: 'percentage', fraction: value.percentage};
    } else if (value?.__typename === 'DiscountAmount') {
      const currency = text(value.amount?.currencyCode)?.toUpperCase();
      if (currency === undefined)
        throw new NodeMapError('codeDiscount.customerGets.value.amount', 'required money is missing');
      ruleAmount = {
        type: 'fixed',
        money: amount(value.amount.amount, currency, 'codeDiscount.customerGets.value.amount.amount'),
      };
      if (value.appliesOnEachItem) target = 'per_item';
    } else {
      return {skipped: `discount value ${value?.__typename ?? 'unknown'} has no promo rule equivalent`};
    }
    const enabled = discount.status === 'ACTIVE';
    const codes: PromoCode[] = nodesOf(discount.codes).flatMap((code, index) => {
      const codeText = text(code?.code);
      if (codeText === undefined) return [];
      return [
        dropUndefined<PromoCode>({
          id: asId<PromoCodeId>(gidTail(code.id, `codeDiscount.codes[${index}].id`)),
          code: codeText,
          redemptionUrl: redemptionUrl(shopDomain, codeText),
          usageCount: Number.isInteger(code.asyncUsageCount) ? code.asyncUsageCount : undefined,
          enabled,
        }),
      ];
    });
    return dropUndefined<PromoRule>({
      id,
      title: text(discount.title),
      description: text(discount.summary) ?? text(discount.title) ?? '',
      amount: ruleAmount,
      target,
      startsAt: timestamp(discount.startsAt, 'codeDiscount.startsAt'),
      endsAt: timestamp(discount.endsAt, 'codeDiscount.endsAt'),
      enabled,
      codes,
      updatedAt: requiredTimestamp(discount.updatedAt, 'codeDiscount.updatedAt'),
    });
  });
}
