import type {PromoRule} from '../../model/entities.js';
import {asId} from '../../model/ids.js';
import type {IngestData} from './schemas.js';
import {compact, money, normaliseTimestamp, percentToFraction, text, timestamp} from './wire-values.js';

export function toPromo(data: IngestData['promo.upsert'], occurredAt: string): PromoRule {
  return compact({
    id: asId(data.id),
    title: text(data.title),
    description: data.description,
    amount: toPromoAmount(data.amount, data.currency),
    target: data.target,
    startsAt: timestamp(data.starts_at),
    endsAt: timestamp(data.ends_at),
    enabled: data.enabled,
    codes: (data.codes ?? []).map((code) =>
      compact({
        id: asId(code.id),
        code: code.code,
        redemptionUrl: code.redemption_url,
        usageCount: code.usage_count,
        enabled: code.enabled,
      }),
    ),
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}

function toPromoAmount(
  amount: IngestData['promo.upsert']['amount'],
  currency: string | undefined,
): PromoRule['amount'] {
  if (amount.type === 'percentage') return {type: 'percentage', fraction: percentToFraction(amount.percent)};
  // parseEventsBody requires a currency with a fixed amount; only a hand-made event can get here without one.
  if (currency === undefined) throw new TypeError('promo.upsert with a fixed amount needs a currency');
  return {type: 'fixed', money: money(amount.value, currency)};
}
