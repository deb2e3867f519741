import type {Cart} from '../../model/entities.js';
import {asId} from '../../model/ids.js';
import {toCustomerRef, toLine} from './order-mapper.js';
import type {IngestData} from './schemas.js';
import {compact, money, normaliseTimestamp, text, timestamp} from './wire-values.js';

export function toCart(data: IngestData['cart.upsert'], occurredAt: string): Cart {
  const {currency} = data;
  return compact({
    id: asId(data.id),
    customer: toCustomerRef(data.customer),
    currency,
    total: money(data.total, currency),
    taxTotal: data.tax_total === undefined ? undefined : money(data.tax_total, currency),
    lines: data.lines.map((line) => toLine(line, currency)),
    checkoutUrl: data.checkout_url,
    completedAt: timestamp(data.completed_at),
    landingSite: text(data.landing_site),
    attributes: {...data.attributes},
    updatedAt: normaliseTimestamp(data.updated_at ?? occurredAt),
  });
}
