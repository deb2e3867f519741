import type {Config} from '../config/config.js';
import {parseMoney} from '../model/money.js';
import type {TagRulesConfig} from './rules/tag-rules.js';
import {FALLBACK_CURRENCY} from './store-currency.js';

/**
 * Tag rules for a connection: VIP threshold and lapsed window from the connection's settings, else from the
 * environment (VIP_SPEND in the store currency, LAPSED_AFTER_DAYS), and the tag prefix: the connection's own
 * (`settings.tagPrefix`, chosen on the shop's page; an empty string means none) else TAG_PREFIX. The store currency
 * is STORE_CURRENCY, else the shop's detected currency (`settings.shopCurrency`), else USD.
 */
export function tagRulesFor(
  settings: Record<string, unknown>,
  config: Pick<Config, 'VIP_SPEND' | 'LAPSED_AFTER_DAYS' | 'STORE_CURRENCY' | 'TAG_PREFIX'>,
): TagRulesConfig {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const currency = text(settings.currency) ?? text(settings.shopCurrency) ?? config.STORE_CURRENCY ?? FALLBACK_CURRENCY;
  const vipMinor = typeof settings.vipSpendMinor === 'number' ? settings.vipSpendMinor : undefined;
  return {
    prefix: (typeof settings.tagPrefix === 'string' ? settings.tagPrefix : config.TAG_PREFIX) || undefined,
    vipSpendThreshold: vipMinor !== undefined ? {minor: vipMinor, currency} : parseMoney(config.VIP_SPEND, currency),
    lapsedAfterDays: typeof settings.lapsedAfterDays === 'number' ? settings.lapsedAfterDays : config.LAPSED_AFTER_DAYS,
  };
}
