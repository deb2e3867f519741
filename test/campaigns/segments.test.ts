import {EXPECTED_SEGMENTS} from '../../connector/src/segments/fixtures/audience.js';
import {emailOf, loadFixtureStore, startCampaignHarness, type CampaignHarness} from './campaign-harness.js';

/** Members of a sandbox segment: every status, or (Mailchimp's default) the subscribed ones a campaign reaches. */
async function sandboxMembers(t: CampaignHarness, segmentId: number, allStatuses: boolean): Promise<string[]> {
  const flags = allStatuses ? '&include_cleaned=true&include_transactional=true&include_unsubscribed=true' : '';
  const res = await t.sandbox
    .http()
    .get(`/3.0/lists/${t.list.id}/segments/${segmentId}/members?count=1000${flags}`)
    .set('Authorization', t.sandbox.auth);
  expect(res.status).toBe(200);
  return (res.body.members as Array<{email_address: string}>).map((m) => m.email_address).sort();
}

describe('segments through the HTTP API against the Mailchimp sandbox', () => {
  let t: CampaignHarness;
  beforeAll(async () => {
    t = await startCampaignHarness();
    await loadFixtureStore(t);
  });
  afterAll(() => t.close());

  it.each(EXPECTED_SEGMENTS.map((s) => [s.definition.name, s] as const))(
    '%s: the sandbox segment holds exactly the expected people, and both counts agree',
    async (_name, expected) => {
      const created = await t.http().post('/v1/segments').set(t.admin).send(expected.definition);
      expect(created.status).toBe(201);
      const segment = created.body as {
        id: number;
        mailchimp: {segment_id: number};
        local_tags: Array<{condition_index: number}>;
        preview: {local_count: number; mailchimp_count: number; difference: number; exact: boolean};
      };
      expect(segment.local_tags.map((l) => l.condition_index)).toEqual(expected.localConditions);
      expect(await sandboxMembers(t, segment.mailchimp.segment_id, true)).toEqual(expected.members.map(emailOf).sort());
      expect(await sandboxMembers(t, segment.mailchimp.segment_id, false)).toEqual(
        expected.subscribed.map(emailOf).sort(),
      );
      expect(segment.preview).toMatchObject({
        local_count: expected.subscribed.length,
        mailchimp_count: expected.subscribed.length,
        difference: 0,
        exact: true,
      });

      const fresh = await t.http().get(`/v1/segments/${segment.id}`).set(t.admin);
      expect(fresh.status).toBe(200);
      expect(fresh.body.preview).toMatchObject({
        local_count: expected.subscribed.length,
        mailchimp_count: expected.subscribed.length,
      });
    },
  );

  it('lists the segments, refuses a duplicate name and invalid definitions with the offending fields', async () => {
    const list = await t.http().get('/v1/segments').set(t.admin);
    expect(list.body.segments.map((s: {name: string}) => s.name)).toEqual(
      EXPECTED_SEGMENTS.map((s) => s.definition.name),
    );
    const duplicate = await t.http().post('/v1/segments').set(t.admin).send(EXPECTED_SEGMENTS[0]!.definition);
    expect(duplicate.status).toBe(409);
    const invalid = await t
      .http()
      .post('/v1/segments')
      .set(t.admin)
      .send({name: 'Bad', match: 'all', conditions: [{type: 'total_spent', op: 'more', amount: 'ten'}]});
    expect(invalid.status).toBe(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(invalid.body.errors.map((e: {field: string}) => e.field).sort()).toEqual([
      'conditions.0.amount',
      'conditions.0.op',
    ]);
    expect((await t.http().get('/v1/segments/9999').set(t.admin)).status).toBe(404);
    expect(
      (await t.http().get('/v1/segments').set('Authorization', 'Bearer nope-nope-nope-nope-nope-nope')).status,
    ).toBe(401);
  });

  it('keeps local tags in sync when local data changes (a new purchase moves a person into the segment)', async () => {
    const created = await t
      .http()
      .post('/v1/segments')
      .set(t.admin)
      .send({
        name: 'Mug in the last 30 days',
        match: 'all',
        conditions: [{type: 'bought_product', product_id: 'p-mug', op: 'is', within_days: 30}],
      });
    expect(created.status).toBe(201);
    expect(await sandboxMembers(t, created.body.mailchimp.segment_id, true)).toEqual([]);
    const order = {
      id: 'evt-o10',
      type: 'order.upsert',
      occurred_at: '2026-02-28T10:00:00Z',
      data: {
        id: 'o10',
        customer: {id: 'cus-ben', email: 'ben@shop.test'},
        currency: 'USD',
        total: '12.00',
        financial_status: 'paid',
        fulfillment_status: 'fulfilled',
        processed_at: '2026-02-28T10:00:00Z',
        is_test: false,
        refunds: [],
        lines: [
          {id: 'o10-l1', product_id: 'p-mug', variant_id: 'v-mug', title: 'Camp Mug', quantity: 1, price: '12.00'},
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
    await t.connector.campaigns.refreshAllSegmentTags();
    expect(await sandboxMembers(t, created.body.mailchimp.segment_id, true)).toEqual(['ben@shop.test']);
  });
});
