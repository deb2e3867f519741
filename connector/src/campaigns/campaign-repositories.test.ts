import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import type {Store} from '../store/database.js';
import {CampaignStatsRepository} from './campaign-stats-repository.js';
import {reportRow, reportView} from './campaign-stats-service.js';
import {PromoSendsRepository} from './promo-sends-repository.js';
import type {CampaignReport} from '../mailchimp/types/index.js';

const T0 = '2026-03-01T12:00:00.000Z';
const T1 = '2026-03-01T12:01:00.000Z';
const T5 = '2026-03-01T12:05:00.000Z';

describe('promo sends and statistics tables on sqlite', () => suite('sqlite'));
describeWithService(POSTGRES, 'promo sends and statistics tables on postgres', () => suite('postgres'));

function suite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  beforeEach(async () => {
    store = await openEngine(engine);
  });
  afterEach(() => store.dropAll());

  it('binds an idempotency key to its request and lets one run hold it at a time', async () => {
    const repo = new PromoSendsRepository(store.db);
    const claim = (over: Partial<Parameters<PromoSendsRepository['claim']>[0]> = {}) =>
      repo.claim({connectionId: 'c1', key: 'k1', requestHash: 'h1', request: '{}', now: T0, holdUntil: T1, ...over});
    const first = await claim();
    expect(first.kind).toBe('run');
    expect((await claim()).kind).toBe('busy');
    expect((await claim({requestHash: 'h2'})).kind).toBe('mismatch');
    // Another connection has its own keys.
    expect((await claim({connectionId: 'c2'})).kind).toBe('run');
    // The holder died: its hold expires and the next repeat resumes the same send.
    const resumed = await claim({now: T5, holdUntil: '2026-03-01T12:07:00.000Z'});
    expect(resumed).toMatchObject({kind: 'run', row: {id: first.row.id}});
    await repo.saveProgress(Number(first.row.id), {campaign: {id: 'cmp1'}}, T5, 'cmp1');
    await repo.finish(Number(first.row.id), {status: 'completed', result: {ok: true}, now: T5});
    const done = await claim({now: T5});
    expect(done).toMatchObject({
      kind: 'completed',
      row: {campaign_id: 'cmp1', status: 'completed', locked_until: null},
    });
    expect(JSON.parse(done.row.result!)).toEqual({ok: true});
  });

  it('keeps campaigns, reports in minor units, and audience snapshots', async () => {
    const repo = new CampaignStatsRepository(store.db);
    const campaign = {
      connection_id: 'c1',
      campaign_id: 'cmp1',
      web_id: 7,
      list_id: 'L1',
      title: 'Promo',
      subject_line: 'Hi',
      status: 'save',
      create_time: T0,
      send_time: null,
      updated_at: T0,
    };
    await repo.upsertCampaign({...campaign, promo_send_id: 3, segment_id: 9});
    // A pull from Mailchimp knows nothing of the promo send: the links stay.
    await repo.upsertCampaign({...campaign, status: 'sent', send_time: T1, updated_at: T1});
    expect(await repo.campaign('c1', 'cmp1')).toMatchObject({
      status: 'sent',
      send_time: T1,
      promo_send_id: 3,
      segment_id: 9,
    });

    const report = {
      id: 'cmp1',
      emails_sent: 3,
      unsubscribed: 1,
      abuse_reports: 0,
      bounces: {hard_bounces: 1, soft_bounces: 0, syntax_errors: 0},
      opens: {opens_total: 4, unique_opens: 2, open_rate: 0.6667, last_open: ''},
      clicks: {clicks_total: 1, unique_clicks: 1, unique_subscriber_clicks: 1, click_rate: 0.3333, last_click: ''},
      ecommerce: {total_orders: 2, total_spent: 123456789.13, total_revenue: 0.1, currency_code: 'USD'},
    } as unknown as CampaignReport;
    await repo.upsertReport(reportRow('c1', report, 'EUR', T1));
    await repo.upsertReport(reportRow('c1', {...report, emails_sent: 4}, 'EUR', T5));
    const stored = (await repo.report('c1', 'cmp1'))!;
    expect(reportView(stored)).toMatchObject({
      emails_sent: 4,
      fetched_at: T5,
      bounces: {hard: 1, soft: 0},
      unsubscribed: 1,
      ecommerce: {
        orders: 2,
        spent_minor: 12345678913,
        spent: '123456789.13',
        revenue_minor: 10,
        revenue: '0.10',
        currency: 'USD',
      },
    });
    expect((await repo.campaigns('c1'))[0]!.report?.campaign_id).toBe('cmp1');

    for (const [at, members] of [
      [T0, 3],
      [T1, 5],
      [T5, 4],
    ] as const) {
      await repo.addListStats({
        connection_id: 'c1',
        list_id: 'L1',
        member_count: members,
        unsubscribe_count: 1,
        cleaned_count: 0,
        campaign_count: 1,
        open_rate: 50,
        click_rate: 10,
        stats: '{}',
        fetched_at: at,
      });
    }
    expect((await repo.listStats('c1', 2)).map((r) => [r.fetched_at, Number(r.member_count)])).toEqual([
      [T1, 5],
      [T5, 4],
    ]);
  });
}
