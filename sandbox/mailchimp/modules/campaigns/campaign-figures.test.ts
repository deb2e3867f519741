import type {CampaignRecord, OrderRecord} from '../../core/state.js';
import {campaignFigures} from './campaign-figures.js';
import {parseScheduleTime} from './campaign-schedule.js';

const campaign = (activity: Partial<CampaignRecord['activity']>, emailsSent: number): CampaignRecord => ({
  id: 'c1',
  web_id: 1,
  type: 'regular',
  create_time: '2030-01-01T00:00:00+00:00',
  status: 'sent',
  send_time: '2030-01-01T10:00:00+00:00',
  emails_sent: emailsSent,
  content_type: 'html',
  recipients: {list_id: 'l1'},
  settings: {},
  tracking: {},
  sent_to: [],
  test_sends: [],
  activity: {opens: [], clicks: [], unsubscribes: [], bounces: [], ...activity},
});

const order = (total: number, shipping?: number, tax?: number): OrderRecord => ({
  id: String(total),
  customer_id: 'x',
  currency_code: 'USD',
  order_total: total,
  shipping_total: shipping,
  tax_total: tax,
  lines: [],
  extra: {},
});

describe('campaignFigures', () => {
  it('keeps money in cents and takes shipping and tax off revenue only', () => {
    const f = campaignFigures(campaign({}, 0), [order(19.99, 4.99, 1.6), order(0.1), order(0.2)], 'EUR');
    expect(f.ecommerce).toEqual({total_orders: 3, total_spent: 20.29, total_revenue: 13.7, currency_code: 'USD'});
    expect(campaignFigures(campaign({}, 0), [], 'EUR').ecommerce).toEqual({
      total_orders: 0,
      total_spent: 0,
      total_revenue: 0,
      currency_code: 'EUR',
    });
  });

  it('rates unique openers and clickers over delivered emails, and gives 0 rather than NaN when none were delivered', () => {
    const f = campaignFigures(
      campaign(
        {
          opens: [
            {member_id: 'a', at: '2030-01-01T10:05:00+00:00'},
            {member_id: 'a', at: '2030-01-01T11:00:00+00:00'},
          ],
          bounces: [
            {member_id: 'b', type: 'soft', at: '2030-01-01T10:01:00+00:00'},
            {member_id: 'b', type: 'hard', at: '2030-01-01T10:02:00+00:00'},
          ],
        },
        5,
      ),
      [],
      'USD',
    );
    expect(f).toMatchObject({
      unique_opens: 1,
      opens_total: 2,
      open_rate: 0.25,
      hard_bounces: 1,
      soft_bounces: 0,
      last_open: '2030-01-01T11:00:00+00:00',
      last_click: '',
    });
    expect(campaignFigures(campaign({}, 0), [], 'USD')).toMatchObject({open_rate: 0, click_rate: 0});
  });
});

describe('parseScheduleTime', () => {
  const now = new Date('2030-01-01T10:00:00Z');
  it('accepts future quarter hours in any offset and refuses the rest with a reason', () => {
    expect(parseScheduleTime('2030-01-01T10:15:00Z', now)).toEqual({ok: true, at: new Date('2030-01-01T10:15:00Z')});
    expect(parseScheduleTime('2030-01-01T16:15:00+05:30', now).ok).toBe(true);
    const refusal = (value: unknown) => {
      const result = parseScheduleTime(value, now);
      return result.ok ? 'accepted' : result.problem.detail;
    };
    expect(refusal('2030-01-01T10:20:00Z')).toMatch(/quarter-hour/);
    expect(refusal('2030-01-01T10:15:01Z')).toMatch(/quarter-hour/);
    expect(refusal('2030-01-01T10:00:00Z')).toMatch(/future/);
    expect(refusal('2030-01-01')).toMatch(/could not be validated/);
    expect(refusal(1893492900000)).toMatch(/could not be validated/);
  });
});
