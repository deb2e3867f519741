import {EXPECTED_SEGMENTS} from '../../connector/src/segments/fixtures/audience.js';
import {loadFixtureStore, startCampaignHarness, type CampaignHarness} from './campaign-harness.js';

describe('scheduled work of the campaign features', () => {
  let t: CampaignHarness;
  afterEach(() => t.close());

  it('on start registers the list webhook and pulls campaign reports and audience stats into local tables, without being asked', async () => {
    t = await startCampaignHarness({env: {STATS_REFRESH_MINUTES: '60', WEBHOOK_CHECK_MINUTES: '60'}});
    await loadFixtureStore(t);
    const segment = await t.http().post('/v1/segments').set(t.admin).send(EXPECTED_SEGMENTS[0]!.definition);
    const sent = await t
      .http()
      .post('/v1/promo-sends')
      .set(t.admin)
      .set('Idempotency-Key', 'scheduled-1')
      .send({
        segment_id: segment.body.id,
        code: 'TEE15',
        discount: {type: 'percentage', amount: 15},
        subject: 'Tees',
        from_name: 'Shop',
        reply_to: 'shop@shop.test',
      });
    expect(sent.status).toBe(201);
    // A campaign made outside the connector (in Mailchimp's own editor) is pulled too.
    const other = await t.sandbox
      .http()
      .post('/3.0/campaigns')
      .set('Authorization', t.sandbox.auth)
      .send({type: 'regular', recipients: {list_id: t.list.id}, settings: {title: 'Newsletter', subject_line: 'News'}});
    expect(other.status).toBe(200);
    expect(await t.connector.store.db.selectFrom('campaign_reports').selectAll().execute()).toEqual([]);

    t.connector.campaigns.start();
    await t.connector.campaigns.stop();
    const reports = await t.connector.store.db
      .selectFrom('campaign_reports')
      .select(['campaign_id', 'emails_sent'])
      .execute();
    expect(reports.map((r) => [r.campaign_id, Number(r.emails_sent)])).toEqual([[sent.body.campaign.id, 3]]);
    const campaigns = await t.http().get('/v1/campaigns').set(t.admin);
    expect(campaigns.body.campaigns.map((c: {title: string; status: string}) => [c.title, c.status]).sort()).toEqual([
      ['Newsletter', 'save'],
      ['Promo TEE15 — Tee buyers', 'sent'],
    ]);
    const audience = await t.http().get('/v1/audience/stats').set(t.admin);
    expect(audience.body.latest).toMatchObject({member_count: 5, unsubscribe_count: 1, campaign_count: 1});
    expect((await t.http().get('/v1/mailchimp/webhook').set(t.admin)).body.status).toBe('registered');
  });
});
