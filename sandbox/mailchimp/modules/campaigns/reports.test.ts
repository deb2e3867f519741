import type {MemberEvent} from '../../core/state.js';
import {subscriberHash} from '../../core/state.js';
import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {readyCampaignBody, seedList, seedStaticSegment} from './audience-fixture.js';

describe("reports and people's actions", () => {
  let ts: TestSandbox;
  afterEach(() => ts.close());
  const api = (method: 'get' | 'post' | 'put' | 'patch', path: string) =>
    ts.http()[method](`/3.0${path}`).set('Authorization', ts.auth);
  const act = (campaignId: string, action: string, body: Record<string, unknown>) =>
    ts.http().post(`/__sandbox/campaigns/${campaignId}/${action}`).send(body);

  /** ann, bob, cy and dee (subscribed, VIP) get the campaign; eve (subscribed, not VIP) and zed (unsubscribed) do not. */
  const sendToVips = async () => {
    const list = seedList(ts.sandbox.state, 'Shop', [
      ['ann@shop.test', 'subscribed'],
      ['bob@shop.test', 'subscribed'],
      ['cy@shop.test', 'subscribed'],
      ['dee@shop.test', 'subscribed'],
      ['eve@shop.test', 'subscribed'],
      ['zed@shop.test', 'unsubscribed'],
    ]);
    const vip = seedStaticSegment(ts.sandbox.state, list, 'VIP', [
      'ann@shop.test',
      'bob@shop.test',
      'cy@shop.test',
      'dee@shop.test',
      'zed@shop.test',
    ]);
    const created = await api('post', '/campaigns').send(readyCampaignBody(list.id, vip.id));
    const id = created.body.id as string;
    await api('put', `/campaigns/${id}/content`).send({html: '<p>Sale</p>'});
    expect((await api('post', `/campaigns/${id}/actions/send`)).status).toBe(204);
    return {list, id};
  };

  it('builds the report from opens, clicks, unsubscribes, bounces and attributed orders', async () => {
    ts = await startTestSandbox();
    const {list, id} = await sendToVips();
    const events: MemberEvent[] = [];
    ts.sandbox.state.events.on('member', (e) => events.push(e));

    for (const [action, body] of [
      ['open', {email: 'ann@shop.test'}],
      ['open', {email: 'ANN@shop.test'}],
      ['open', {email: 'bob@shop.test'}],
      ['click', {email: 'ann@shop.test', url: 'https://shop.test/a'}],
      ['click', {email: 'ann@shop.test', url: 'https://shop.test/a'}],
      ['click', {email: 'ann@shop.test', url: 'https://shop.test/b'}],
      ['click', {email: 'bob@shop.test', url: 'https://shop.test/a'}],
      ['unsubscribe', {email: 'dee@shop.test', reason: 'Too many emails'}],
      ['unsubscribe', {email: 'dee@shop.test'}],
      ['bounce', {email: 'cy@shop.test', type: 'hard'}],
    ] as const) {
      const res = await act(id, action, body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({campaign_id: id, action, at: expect.stringMatching(/\+00:00$/)});
    }

    // The unsubscribe and the hard bounce changed the members, through the lists API's view too.
    expect((await api('get', `/lists/${list.id}/members/${subscriberHash('dee@shop.test')}`)).body.status).toBe(
      'unsubscribed',
    );
    expect((await api('get', `/lists/${list.id}/members/${subscriberHash('cy@shop.test')}`)).body.status).toBe(
      'cleaned',
    );
    expect(events.map((e) => [e.type, e.source, e.member.email_address, e.data?.campaign_id])).toEqual([
      ['unsubscribe', 'user', 'dee@shop.test', id],
      ['cleaned', 'admin', 'cy@shop.test', id],
    ]);

    // Orders carrying the campaign id, made through the e-commerce API.
    expect(
      (
        await api('post', '/ecommerce/stores').send({
          id: 'eu-shop',
          list_id: list.id,
          name: 'EU shop',
          currency_code: 'EUR',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api('post', '/ecommerce/stores/eu-shop/products').send({
          id: 'p1',
          title: 'Mug',
          variants: [{id: 'p1', title: 'Mug', price: 50}],
        })
      ).status,
    ).toBe(200);
    const order = (orderId: string, extra: Record<string, unknown>) => ({
      id: orderId,
      customer: {id: `c-${orderId}`, email_address: 'ann@shop.test', opt_in_status: false},
      currency_code: 'EUR',
      lines: [{id: `${orderId}-1`, product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 50}],
      ...extra,
    });
    for (const body of [
      order('o1', {campaign_id: id, order_total: 100, shipping_total: 10, tax_total: 5}),
      order('o2', {campaign_id: id, order_total: 50.5}),
      order('o3', {order_total: 999}),
    ]) {
      const res = await api('post', '/ecommerce/stores/eu-shop/orders').send(body);
      expect(res.status).toBe(200);
    }

    const report = await api('get', `/reports/${id}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      id,
      campaign_title: 'Spring',
      type: 'regular',
      list_id: list.id,
      list_is_active: true,
      list_name: 'Shop',
      subject_line: 'Spring sale',
      emails_sent: 4,
      abuse_reports: 0,
      unsubscribed: 1,
      bounces: {hard_bounces: 1, soft_bounces: 0, syntax_errors: 0},
      opens: {opens_total: 3, unique_opens: 2},
      clicks: {clicks_total: 4, unique_clicks: 3, unique_subscriber_clicks: 2},
      ecommerce: {total_orders: 2, total_spent: 150.5, total_revenue: 135.5, currency_code: 'EUR'},
      delivery_status: {enabled: true, status: 'delivered', emails_sent: 4},
    });
    // Rates are fractions of the delivered emails (4 sent, 1 bounced).
    expect(report.body.opens.open_rate).toBeCloseTo(2 / 3);
    expect(report.body.clicks.click_rate).toBeCloseTo(2 / 3);
    expect(report.body.opens.last_open).toMatch(/\+00:00$/);
    expect(report.body.clicks.last_click).toMatch(/\+00:00$/);
    expect(report.body.list_stats).toMatchObject({open_rate: 66.67, click_rate: 66.67});
    expect(report.body.timeseries).toHaveLength(24);
    expect(report.body.timeseries[0]).toMatchObject({emails_sent: 4});

    const summary = (await api('get', `/campaigns/${id}`)).body.report_summary;
    expect(summary).toMatchObject({
      opens: 3,
      unique_opens: 2,
      clicks: 4,
      subscriber_clicks: 2,
      ecommerce: {total_orders: 2, total_spent: 150.5, total_revenue: 135.5},
    });

    const unsubscribed = await api('get', `/reports/${id}/unsubscribed`);
    expect(unsubscribed.body).toMatchObject({campaign_id: id, total_items: 1});
    expect(unsubscribed.body.unsubscribes[0]).toMatchObject({
      email_id: subscriberHash('dee@shop.test'),
      email_address: 'dee@shop.test',
      reason: 'Too many emails',
      campaign_id: id,
      list_id: list.id,
    });

    const activity = await api('get', `/reports/${id}/email-activity`);
    expect(activity.body.total_items).toBe(4);
    const ann = activity.body.emails.find((e: {email_address: string}) => e.email_address === 'ann@shop.test');
    expect(ann.activity.map((a: {action: string}) => a.action).sort()).toEqual([
      'click',
      'click',
      'click',
      'open',
      'open',
    ]);
    const cy = activity.body.emails.find((e: {email_address: string}) => e.email_address === 'cy@shop.test');
    expect(cy.activity).toEqual([expect.objectContaining({action: 'bounce', type: 'hard'})]);
  });

  it('lands a click on the link with mc_cid and mc_eid when e-commerce link tracking is on', async () => {
    ts = await startTestSandbox();
    const {list, id} = await sendToVips();
    const plain = await act(id, 'click', {
      email: 'ann@shop.test',
      url: 'https://shop.test/discount/SPRING?redirect=%2F',
    });
    expect(plain.body.landing_url).toBe('https://shop.test/discount/SPRING?redirect=%2F');
    expect((await api('patch', `/campaigns/${id}`).send({tracking: {ecomm360: true}})).status).toBe(400);
    const tracked = await api('post', '/campaigns').send({...readyCampaignBody(list.id), tracking: {ecomm360: true}});
    await api('put', `/campaigns/${tracked.body.id}/content`).send({html: '<p>Sale</p>'});
    expect((await api('post', `/campaigns/${tracked.body.id}/actions/send`)).status).toBe(204);
    const ann = list.members.get(subscriberHash('ann@shop.test'))!;
    const click = await act(tracked.body.id, 'click', {
      email: 'ann@shop.test',
      url: 'https://shop.test/discount/SPRING?redirect=%2F',
    });
    const landing = new URL(click.body.landing_url);
    expect(landing.pathname).toBe('/discount/SPRING');
    expect(Object.fromEntries(landing.searchParams)).toEqual({
      redirect: '/',
      mc_cid: tracked.body.id,
      mc_eid: ann.unique_email_id,
    });
  });

  it('lists reports of sent campaigns only', async () => {
    ts = await startTestSandbox();
    const {list, id} = await sendToVips();
    const draft = (await api('post', '/campaigns').send(readyCampaignBody(list.id))).body.id as string;
    const reports = await api('get', '/reports');
    expect(reports.body.total_items).toBe(1);
    expect(reports.body.reports[0]).toMatchObject({id, emails_sent: 4});
    expect((await api('get', `/reports/${draft}`)).status).toBe(404);
    expect((await api('get', '/reports/nope')).status).toBe(404);
    expect((await api('get', '/reports').query({type: 'plaintext'})).body.total_items).toBe(0);
  });

  it("lets only the campaign's recipients act on it", async () => {
    ts = await startTestSandbox();
    const {list, id} = await sendToVips();
    expect((await act(id, 'open', {email: 'eve@shop.test'})).status).toBe(404);
    expect((await act(id, 'click', {email: 'zed@shop.test', url: 'https://shop.test/a'})).status).toBe(404);
    expect((await act(id, 'open', {email: 'stranger@shop.test'})).status).toBe(404);
    expect((await act('nope', 'open', {email: 'ann@shop.test'})).status).toBe(404);
    const draft = (await api('post', '/campaigns').send(readyCampaignBody(list.id))).body.id as string;
    expect((await act(draft, 'open', {email: 'ann@shop.test'})).status).toBe(404);
    const noEmail = await act(id, 'open', {});
    expect(noEmail.status).toBe(400);
    expect(noEmail.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await act(id, 'click', {email: 'ann@shop.test'})).status).toBe(400);
    expect((await act(id, 'bounce', {email: 'ann@shop.test', type: 'medium'})).status).toBe(400);
    expect((await api('get', `/reports/${id}`)).body.opens.opens_total).toBe(0);
  });

  it('counts soft bounces without cleaning the address', async () => {
    ts = await startTestSandbox();
    const {list, id} = await sendToVips();
    expect((await act(id, 'bounce', {email: 'bob@shop.test', type: 'soft'})).status).toBe(200);
    expect(list.members.get(subscriberHash('bob@shop.test'))!.status).toBe('subscribed');
    expect((await api('get', `/reports/${id}`)).body.bounces).toEqual({
      hard_bounces: 0,
      soft_bounces: 1,
      syntax_errors: 0,
    });
  });

  it('turns a purchase into an order carrying the campaign id, counted in the report', async () => {
    ts = await startTestSandbox();
    const {list, id} = await sendToVips();
    await api('post', '/ecommerce/stores').send({id: 'shop', list_id: list.id, name: 'Shop', currency_code: 'USD'});
    await api('post', '/ecommerce/stores/shop/products').send({
      id: 'p1',
      title: 'Mug',
      variants: [{id: 'p1', title: 'Mug', price: 20}],
    });
    const bought = await act(id, 'purchase', {
      email: 'bob@shop.test',
      store_id: 'shop',
      order: {
        id: 'web-1',
        order_total: 24,
        tax_total: 4,
        lines: [{id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 20}],
      },
    });
    expect(bought.status).toBe(200);
    expect(bought.body).toMatchObject({
      id: 'web-1',
      campaign_id: id,
      order_total: 24,
      customer: {email_address: 'bob@shop.test'},
    });
    expect((await api('get', '/ecommerce/stores/shop/orders/web-1')).body.campaign_id).toBe(id);
    expect((await api('get', `/reports/${id}`)).body.ecommerce).toEqual({
      total_orders: 1,
      total_spent: 24,
      total_revenue: 20,
      currency_code: 'USD',
    });

    const unknownStore = await act(id, 'purchase', {
      email: 'bob@shop.test',
      store_id: 'nope',
      order: {
        currency_code: 'USD',
        order_total: 1,
        lines: [{id: 'l1', product_id: 'p1', product_variant_id: 'p1', quantity: 1, price: 1}],
      },
    });
    expect(unknownStore.status).toBe(404);
    expect((await act(id, 'purchase', {email: 'eve@shop.test', store_id: 'shop', order: {}})).status).toBe(404);
  });
});
