import {subscriberHash} from '../../sandbox/mailchimp/core/state.js';
import {EXPECTED_SEGMENTS} from '../../connector/src/segments/fixtures/audience.js';
import {emailOf, loadFixtureStore, startCampaignHarness, type CampaignHarness} from './campaign-harness.js';

const TEE_BUYERS = EXPECTED_SEGMENTS.find((s) => s.definition.name === 'Tee buyers')!;

/** The next quarter hour at least an hour from now (the sandbox schedules against the real clock). */
function nextQuarterHour(): string {
  const q = 15 * 60_000;
  return new Date(Math.ceil((Date.now() + 60 * 60_000) / q) * q).toISOString();
}

describe('promo sends end to end', () => {
  let t: CampaignHarness;
  let segmentId: number;
  const request = (extra: Record<string, unknown> = {}) => ({
    segment_id: segmentId,
    code: 'TEE15',
    discount: {type: 'percentage', amount: 15},
    subject: 'Tees, 15 % off',
    preview_text: 'For our tee lovers',
    from_name: 'Fixture Shop',
    reply_to: 'shop@fixture-shop.test',
    ...extra,
  });
  const post = (body: unknown, key?: string) => {
    const req = t.http().post('/v1/promo-sends').set(t.admin);
    return key ? req.set('Idempotency-Key', key).send(body as object) : req.send(body as object);
  };
  const sandboxCampaigns = () => [...t.sandbox.sandbox.state.campaigns.values()];
  const store = () => t.sandbox.sandbox.state.stores.get(t.connection.mailchimpStoreId)!;

  beforeAll(async () => {
    t = await startCampaignHarness();
    await loadFixtureStore(t);
    const created = await t.http().post('/v1/segments').set(t.admin).send(TEE_BUYERS.definition);
    expect(created.status).toBe(201);
    segmentId = created.body.id as number;
  });
  afterAll(() => t.close());

  it('shows everything a dry run would do, and does none of it', async () => {
    const res = await post(request({dry_run: true, test_emails: ['qa@fixture-shop.test']}));
    expect(res.status).toBe(200);
    expect(res.body.dry_run).toBe(true);
    expect(res.body.segment).toMatchObject({id: segmentId, local_count: 3, mailchimp_count: 3});
    expect(res.body.steps.map((s: {step: string}) => s.step)).toEqual([
      'segment',
      'promo_rule',
      'promo_code',
      'campaign',
      'content',
      'checklist',
      'test',
      'send',
    ]);
    const rule = res.body.steps[1].body;
    expect(rule).toMatchObject({type: 'percentage', amount: 0.15, target: 'total'});
    const content = res.body.steps[4].body;
    expect(content.html).toContain('TEE15');
    expect(content.html).toContain(`https://${t.connection.shopDomain}/discount/TEE15`);
    expect(content.html).toContain('*|UNSUB|*');
    expect(content.html).toContain('Organic Tee');
    expect(sandboxCampaigns()).toHaveLength(0);
    expect(store().promoRules.size).toBe(0);
  });

  it('refuses a send time off the quarter hour, or in the past, before creating anything; and needs a key', async () => {
    const off = await post(request({send_at: '2030-01-01T10:07:00Z'}), 'k-off');
    expect(off.status).toBe(400);
    expect(off.body.detail).toMatch(/quarter hour.*2030-01-01T10:00:00.000Z and 2030-01-01T10:15:00.000Z/);
    expect(off.body.errors).toEqual([{field: 'send_at', message: off.body.detail}]);
    const past = await post(request({send_at: '2020-01-01T10:00:00Z'}), 'k-past');
    expect(past.status).toBe(400);
    expect(past.body.detail).toMatch(/in the future/);
    const noKey = await post(request());
    expect(noKey.status).toBe(400);
    expect(noKey.body.type).toMatch(/idempotency-key-required$/);
    const invalid = await post(
      {...request(), discount: {type: 'percentage', amount: 150}, code: 'has space'},
      'k-invalid',
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: {field: string}) => e.field).sort()).toEqual(['code', 'discount.amount']);
    expect(sandboxCampaigns()).toHaveLength(0);
    expect(await t.connector.store.db.selectFrom('promo_sends').selectAll().execute()).toHaveLength(0);
  });

  let campaignId: string;

  it('creates the promo, targets the segment, sends tests, and reaches exactly its subscribed members; a repeat is a no-op', async () => {
    const res = await post(request({test_emails: ['qa@fixture-shop.test']}), 'promo-2026-03-tees');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'completed',
      idempotency_key: 'promo-2026-03-tees',
      segment: {id: segmentId, local_count: 3, mailchimp_count: 3},
      promo_code: {code: 'TEE15', redemption_url: `https://${t.connection.shopDomain}/discount/TEE15`},
      checklist: {is_ready: true},
      test_emails: ['qa@fixture-shop.test'],
      delivery: {action: 'sent'},
      campaign: {status: 'sent'},
    });
    campaignId = res.body.campaign.id as string;

    const campaign = t.sandbox.sandbox.state.campaigns.get(campaignId)!;
    expect(campaign.recipients.segment_opts?.saved_segment_id).toBe(res.body.segment.mailchimp_segment_id);
    expect([...campaign.sent_to].sort()).toEqual(TEE_BUYERS.subscribed.map((n) => subscriberHash(emailOf(n))).sort());
    expect(campaign.test_sends.map((s) => s.emails)).toEqual([['qa@fixture-shop.test']]);
    expect(campaign.tracking.ecomm360).toBe(true);
    expect(campaign.content?.html).toContain('TEE15');
    const rule = store().promoRules.get(res.body.promo_rule.id)!;
    expect(rule).toMatchObject({amount: 0.15, type: 'percentage', target: 'total', enabled: true});
    expect([...rule.codes.values()].map((c) => c.code)).toEqual(['TEE15']);

    const again = await post(request({test_emails: ['qa@fixture-shop.test']}), 'promo-2026-03-tees');
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(res.body);
    expect(sandboxCampaigns()).toHaveLength(1);
    expect(t.sandbox.sandbox.state.campaigns.get(campaignId)!.test_sends).toHaveLength(1);

    const reused = await post(request({subject: 'Another subject'}), 'promo-2026-03-tees');
    expect(reused.status).toBe(422);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);

    const listed = await t.http().get('/v1/campaigns').set(t.admin);
    expect(listed.body.campaigns).toEqual([
      expect.objectContaining({id: campaignId, status: 'sent', segment_id: segmentId, promo_send_id: res.body.id}),
    ]);
  });

  it('attributes a purchase through the campaign link to the campaign, in the stored report', async () => {
    const click = await t.sandbox
      .http()
      .post(`/__sandbox/campaigns/${campaignId}/click`)
      .send({email: emailOf('ada'), url: `https://${t.connection.shopDomain}/discount/TEE15`});
    expect(click.status).toBe(200);
    const landing = new URL(click.body.landing_url as string);
    expect(landing.searchParams.get('mc_cid')).toBe(campaignId);
    await t.sandbox
      .http()
      .post(`/__sandbox/campaigns/${campaignId}/open`)
      .send({email: emailOf('gus')});

    // The shopper lands on the store through the link and buys two tees: the store reports the order with its landing site.
    const order = {
      id: 'evt-o-promo',
      type: 'order.upsert',
      occurred_at: '2026-03-01T12:00:00Z',
      data: {
        id: 'o-promo',
        customer: {id: 'cus-ada', email: emailOf('ada')},
        currency: 'USD',
        total: '47.50',
        discount_total: '7.50',
        shipping_total: '5.00',
        financial_status: 'paid',
        fulfillment_status: 'unfulfilled',
        processed_at: '2026-03-01T12:00:00Z',
        is_test: false,
        refunds: [],
        landing_site: `${landing.pathname}${landing.search}`,
        discount_codes: [{code: 'TEE15', amount: '7.50', type: 'percentage'}],
        lines: [
          {
            id: 'o-promo-l1',
            product_id: 'p-tee',
            variant_id: 'v-tee-s',
            title: 'Organic Tee',
            quantity: 2,
            price: '25.00',
            discount: '7.50',
          },
        ],
      },
    };
    expect(
      (
        await t
          .http()
          .post('/v1/events')
          .set('Authorization', `Bearer ${t.ingestToken}`)
          .send({events: [order]})
      ).status,
    ).toBe(202);
    await t.settle();
    expect(store().orders.get('o-promo')?.campaign_id).toBe(campaignId);

    const notPulled = await t.http().get(`/v1/campaigns/${campaignId}/report`).set(t.admin);
    expect(notPulled.status).toBe(404);
    expect(notPulled.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The facts behind the detail (for clients that word the action themselves, like the CLI), and an HTTP action.
    expect(JSON.parse(notPulled.text)).toMatchObject({
      campaign_status: 'sent',
      refreshed: false,
      detail: `Campaign ${campaignId} went out (status sent); its report has not been pulled yet: add ?refresh=1 to pull it from Mailchimp.`,
    });
    const pulled = await t.http().get(`/v1/campaigns/${campaignId}/report?refresh=1`).set(t.admin);
    expect(pulled.status).toBe(200);
    expect(pulled.body.report).toMatchObject({
      campaign_id: campaignId,
      emails_sent: 3,
      opens: {unique: 1},
      clicks: {unique: 1},
      ecommerce: {orders: 1, spent: '47.50', revenue: '42.50', spent_minor: 4750, revenue_minor: 4250, currency: 'USD'},
    });
    const stored = await t.http().get(`/v1/campaigns/${campaignId}/report`).set(t.admin);
    expect(stored.body.report).toEqual(pulled.body.report);
    const row = await t.connector.store.db
      .selectFrom('campaign_reports')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(Number(row.ecommerce_revenue_minor)).toBe(4250);
  });

  it('schedules on a quarter hour, and the campaign goes out then', async () => {
    const sendAt = nextQuarterHour();
    const res = await post(
      request({code: 'LATER10', discount: {type: 'fixed', amount: 10}, send_at: sendAt}),
      'promo-scheduled',
    );
    expect(res.status).toBe(201);
    expect(res.body.delivery).toEqual({action: 'scheduled', at: sendAt.replace('.000Z', 'Z')});
    expect(res.body.campaign.status).toBe('schedule');
    const id = res.body.campaign.id as string;
    expect(store().promoRules.get(res.body.promo_rule.id)).toMatchObject({type: 'fixed', amount: 10});
    expect((await t.sandbox.http().post(`/__sandbox/campaigns/${id}/deliver-now`).send({})).status).toBe(200);
    expect(t.sandbox.sandbox.state.campaigns.get(id)!.sent_to).toHaveLength(3);
  });

  it('stops at the send checklist when the segment has no subscribed member, and resumes with the same key', async () => {
    const empty = await t
      .http()
      .post('/v1/segments')
      .set(t.admin)
      .send({name: 'Nobody', match: 'all', conditions: [{type: 'order_count', op: 'greater', value: 50}]});
    const res = await post(request({segment_id: empty.body.id, code: 'NOBODY'}), 'promo-empty');
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/campaign-not-ready$/);
    expect(res.body.detail).toMatch(/segment .* is empty/i);
    const progress = res.body.progress as {campaign: {id: string}};
    const again = await post(request({segment_id: empty.body.id, code: 'NOBODY'}), 'promo-empty');
    expect(again.status).toBe(422);
    // Resumed: the campaign of the first attempt, not a second one.
    expect(again.body.progress.campaign.id).toBe(progress.campaign.id);
    expect(sandboxCampaigns().filter((c) => c.settings.title === 'Promo NOBODY — Nobody')).toHaveLength(1);
  });

  it('answers a problem for an unknown segment and unknown products', async () => {
    expect((await post(request({segment_id: 99999}), 'k-unknown-segment')).status).toBe(404);
    const products = await post(request({product_ids: ['p-tee', 'p-nope']}), 'k-unknown-products');
    expect(products.status).toBe(400);
    expect(products.body.detail).toMatch(/p-nope/);
  });
});
