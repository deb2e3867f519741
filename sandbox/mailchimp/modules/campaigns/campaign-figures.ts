import type {CampaignRecord, OrderRecord, SandboxState} from '../../core/state.js';

export interface CampaignFigures {
  emails_sent: number;
  unsubscribed: number;
  hard_bounces: number;
  soft_bounces: number;
  opens_total: number;
  unique_opens: number;
  /** Fraction (0.25), of the emails delivered (sent minus bounced), as Mailchimp's reports give it. */
  open_rate: number;
  last_open: string;
  clicks_total: number;
  /** Distinct (contact, link) pairs. */
  unique_clicks: number;
  /** Distinct contacts who clicked. */
  unique_subscriber_clicks: number;
  click_rate: number;
  last_click: string;
  ecommerce: {total_orders: number; total_spent: number; total_revenue: number; currency_code: string};
}

/**
 * A campaign's report figures, from the people's actions it recorded and the orders attributed to it (orders
 * carrying its `campaign_id`). total_spent sums order totals with no deductions; total_revenue takes shipping and
 * tax off (spec, ECommerce Report).
 */
export function campaignFigures(
  campaign: CampaignRecord,
  orders: readonly OrderRecord[],
  fallbackCurrency: string,
): CampaignFigures {
  const {opens, clicks, unsubscribes, bounces} = campaign.activity;
  const hard = new Set(bounces.filter((b) => b.type === 'hard').map((b) => b.member_id));
  const soft = new Set(bounces.filter((b) => b.type === 'soft' && !hard.has(b.member_id)).map((b) => b.member_id));
  const delivered = Math.max(0, campaign.emails_sent - hard.size - soft.size);
  const uniqueOpens = new Set(opens.map((o) => o.member_id)).size;
  const clickers = new Set(clicks.map((c) => c.member_id)).size;
  return {
    emails_sent: campaign.emails_sent,
    unsubscribed: new Set(unsubscribes.map((u) => u.member_id)).size,
    hard_bounces: hard.size,
    soft_bounces: soft.size,
    opens_total: opens.length,
    unique_opens: uniqueOpens,
    open_rate: delivered === 0 ? 0 : uniqueOpens / delivered,
    last_open: latest(opens.map((o) => o.at)),
    clicks_total: clicks.length,
    unique_clicks: new Set(clicks.map((c) => `${c.member_id} ${c.url}`)).size,
    unique_subscriber_clicks: clickers,
    click_rate: delivered === 0 ? 0 : clickers / delivered,
    last_click: latest(clicks.map((c) => c.at)),
    ecommerce: {
      total_orders: orders.length,
      total_spent: cents(orders.reduce((sum, o) => sum + o.order_total, 0)),
      total_revenue: cents(
        orders.reduce((sum, o) => sum + o.order_total - (o.shipping_total ?? 0) - (o.tax_total ?? 0), 0),
      ),
      currency_code: orders[0]?.currency_code ?? fallbackCurrency,
    },
  };
}

/** The orders of every store that carry the campaign's id. */
export function attributedOrders(state: SandboxState, campaignId: string): OrderRecord[] {
  const out: OrderRecord[] = [];
  for (const store of state.stores.values())
    for (const order of store.orders.values()) if (order.campaign_id === campaignId) out.push(order);
  return out;
}

/** The currency of the first store tied to the list, else USD: what an empty e-commerce report shows. */
export function listCurrency(state: SandboxState, listId: string): string {
  for (const store of state.stores.values()) if (store.list_id === listId) return store.currency_code;
  return 'USD';
}

export function figuresFor(state: SandboxState, campaign: CampaignRecord): CampaignFigures {
  return campaignFigures(
    campaign,
    attributedOrders(state, campaign.id),
    listCurrency(state, campaign.recipients.list_id),
  );
}

function latest(times: string[]): string {
  let best = '';
  let bestMs = -Infinity;
  for (const t of times) {
    const ms = Date.parse(t);
    if (ms > bestMs) {
      bestMs = ms;
      best = t;
    }
  }
  return best;
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
