import {subscriberHash} from '../core/state.js';
import {startTestSandbox, type TestSandbox} from '../../../test/support/sandbox.js';
import {readyCampaignBody, seedList, seedStaticSegment} from './campaigns/audience-fixture.js';

const NOT_READY = {status: 400, title: 'Bad Request', detail: 'Your Campaign is not ready to send.'};

describe('campaigns', () => {
  let ts: TestSandbox;
  let open: TestSandbox | undefined;
  afterEach(() => open?.close());
  const start = async (options: Parameters<typeof startTestSandbox>[0] = {}) => {
    ts = await startTestSandbox(options);
    open = ts;
  };
  const api = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) =>
    ts.http()[method](`/3.0${path}`).set('Authorization', ts.auth);

  /** A list where only ann and bob are subscribed members of the VIP segment. */
  const seedShop = () => {
    const list = seedList(ts.sandbox.state, 'Shop', [
      ['ann@shop.test', 'subscribed'],
      ['bob@shop.test', 'subscribed'],
      ['cat@shop.test', 'unsubscribed'],
      ['dan@shop.test', 'pending'],
      ['eve@shop.test', 'subscribed'],
      ['fay@shop.test', 'cleaned'],
    ]);
    const vip = seedStaticSegment(ts.sandbox.state, list, 'VIP', [
      'ann@shop.test',
      'bob@shop.test',
      'cat@shop.test',
      'dan@shop.test',
      'fay@shop.test',
    ]);
    const lapsed = seedStaticSegment(ts.sandbox.state, list, 'Lapsed', ['cat@shop.test', 'fay@shop.test']);
    return {list, vip, lapsed};
  };
  const createReady = async (listId: string, segmentId?: number) => {
    const created = await api('post', '/campaigns').send(readyCampaignBody(listId, segmentId));
    expect(created.status).toBe(200);
    expect(
      (await api('put', `/campaigns/${created.body.id}/content`).send({html: '<p>Hello *|FNAME|*</p>'})).status,
    ).toBe(200);
    return created.body.id as string;
  };

  it('creates, lists, reads, updates and deletes campaigns', async () => {
    await start();
    const {list, vip} = seedShop();
    const created = await api('post', '/campaigns').send({
      type: 'regular',
      recipients: {list_id: list.id, segment_opts: {saved_segment_id: vip.id}},
      settings: {title: 'Spring'},
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      type: 'regular',
      status: 'save',
      emails_sent: 0,
      send_time: '',
      recipients: {
        list_id: list.id,
        list_is_active: true,
        list_name: 'Shop',
        recipient_count: 2,
        segment_opts: {saved_segment_id: vip.id},
      },
      settings: {title: 'Spring', subject_line: '', from_name: '', reply_to: '', authenticate: true, template_id: 0},
      tracking: {opens: true, html_clicks: true},
      delivery_status: {enabled: false},
    });
    expect(created.body.id).toMatch(/^[0-9a-f]{10}$/);
    expect(created.body.recipients.segment_text).toContain('VIP');
    const id = created.body.id as string;

    expect((await api('get', `/campaigns/${id}`)).body).toMatchObject({id, status: 'save'});
    await api('post', '/campaigns').send({type: 'plaintext', recipients: {list_id: list.id}});
    expect((await api('get', '/campaigns')).body.total_items).toBe(2);
    const filtered = await api('get', '/campaigns').query({type: 'plaintext', list_id: list.id});
    expect(filtered.body.total_items).toBe(1);
    expect(filtered.body.campaigns[0].type).toBe('plaintext');
    const sorted = await api('get', '/campaigns').query({
      sort_field: 'create_time',
      sort_dir: 'DESC',
      fields: 'campaigns.id',
    });
    expect(sorted.body.campaigns).toHaveLength(2);

    const patched = await api('patch', `/campaigns/${id}`).send({
      settings: {subject_line: 'Spring sale', from_name: 'The Shop', reply_to: 'shop@sandbox.invalid'},
      tracking: {ecomm360: true},
    });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toMatchObject({title: 'Spring', subject_line: 'Spring sale', from_name: 'The Shop'});
    expect(patched.body.tracking).toMatchObject({ecomm360: true, opens: true});

    expect((await api('delete', `/campaigns/${id}`)).status).toBe(204);
    expect((await api('get', `/campaigns/${id}`)).status).toBe(404);
    expect((await api('delete', `/campaigns/${id}`)).status).toBe(404);
  });

  it('validates what it is given: type, list, segment, field types', async () => {
    await start();
    const {list} = seedShop();
    const noType = await api('post', '/campaigns').send({recipients: {list_id: list.id}});
    expect(noType.status).toBe(400);
    expect(noType.body.title).toBe('Invalid Resource');
    expect(JSON.stringify(noType.body.errors)).toContain('type');
    const noList = await api('post', '/campaigns').send({type: 'regular', recipients: {list_id: 'nope'}});
    expect(noList.body.errors).toEqual([expect.objectContaining({field: 'recipients.list_id'})]);
    const noSegment = await api('post', '/campaigns').send({
      type: 'regular',
      recipients: {list_id: list.id, segment_opts: {saved_segment_id: 999999}},
    });
    expect(noSegment.body.errors).toEqual([
      expect.objectContaining({field: 'recipients.segment_opts.saved_segment_id'}),
    ]);
    const badSettings = await api('post', '/campaigns').send({type: 'regular', settings: {authenticate: 'yes'}});
    expect(badSettings.body.errors).toEqual([
      {field: 'settings.authenticate', message: 'Schema describes boolean, string found instead'},
    ]);
    const badCondition = await api('post', '/campaigns').send({
      type: 'regular',
      recipients: {list_id: list.id, segment_opts: {match: 'any', conditions: [{field: 'NOPE', op: 'is', value: 'x'}]}},
    });
    expect(badCondition.status).toBe(400);
    expect(badCondition.body.errors).toEqual([
      expect.objectContaining({field: 'recipients.segment_opts.conditions.item:0'}),
    ]);
    expect((await api('get', '/campaigns')).body.total_items).toBe(0);
  });

  it('sets and reads content: html, plain text, template by integer id', async () => {
    await start();
    const {list} = seedShop();
    const id = (await api('post', '/campaigns').send({type: 'regular', recipients: {list_id: list.id}})).body
      .id as string;
    const put = await api('put', `/campaigns/${id}/content`).send({
      html: '<h1>Sale</h1><p>Everything <b>20%</b> off</p>',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      html: '<h1>Sale</h1><p>Everything <b>20%</b> off</p>',
      plain_text: 'Sale\nEverything 20% off',
    });
    expect((await api('get', `/campaigns/${id}/content`)).body.html).toContain('<h1>Sale</h1>');
    expect((await api('get', `/campaigns/${id}`)).body.content_type).toBe('html');

    const stringTemplate = await api('put', `/campaigns/${id}/content`).send({template: {id: '42'}});
    expect(stringTemplate.status).toBe(400);
    expect(stringTemplate.body.errors).toEqual([
      {field: 'template.id', message: 'Schema describes integer, string found instead'},
    ]);
    const template = await api('put', `/campaigns/${id}/content`).send({
      template: {id: 42, sections: {body: 'Hi there'}},
      plain_text: 'Hi there (text)',
    });
    expect(template.status).toBe(200);
    expect(template.body.html).toContain('Hi there');
    expect(template.body.plain_text).toBe('Hi there (text)');
    expect((await api('get', `/campaigns/${id}`)).body.content_type).toBe('template');
  });

  it('lists what is missing in the send checklist and refuses to send until it is complete', async () => {
    await start();
    const {list, vip, lapsed} = seedShop();
    const id = (
      await api('post', '/campaigns').send({
        type: 'regular',
        recipients: {list_id: list.id, segment_opts: {saved_segment_id: vip.id}},
      })
    ).body.id as string;
    const before = await api('get', `/campaigns/${id}/send-checklist`);
    expect(before.status).toBe(200);
    expect(before.body.is_ready).toBe(false);
    const errors = before.body.items
      .filter((i: {type: string}) => i.type === 'error')
      .map((i: {heading: string}) => i.heading);
    expect(errors).toEqual(['From name', 'From email address', 'Subject line', 'Content']);
    for (const item of before.body.items) expect(Number.isInteger(item.id)).toBe(true);
    expect(await api('post', `/campaigns/${id}/actions/send`)).toMatchObject({status: 400, body: NOT_READY});

    // Fill the settings one at a time: each fixes its checklist item, and the send stays refused until all are there.
    const settings = {from_name: '', reply_to: '', subject_line: ''};
    const steps: Array<[keyof typeof settings, string, string]> = [
      ['from_name', 'The Shop', 'From name'],
      ['reply_to', 'not-an-address', 'From email address'],
      ['reply_to', 'shop@sandbox.invalid', 'From email address'],
      ['subject_line', 'Spring sale', 'Subject line'],
    ];
    for (const [field, value, heading] of steps) {
      expect(await api('post', `/campaigns/${id}/actions/send`)).toMatchObject({status: 400, body: NOT_READY});
      settings[field] = value;
      expect((await api('patch', `/campaigns/${id}`).send({settings})).status).toBe(200);
      const items = (await api('get', `/campaigns/${id}/send-checklist`)).body.items as Array<{
        type: string;
        heading: string;
      }>;
      expect(items.find((i) => i.heading === heading)?.type).toBe(value === 'not-an-address' ? 'error' : 'success');
    }
    expect(await api('post', `/campaigns/${id}/actions/send`)).toMatchObject({status: 400, body: NOT_READY});
    await api('put', `/campaigns/${id}/content`).send({html: '<p>Hi</p>'});
    const ready = await api('get', `/campaigns/${id}/send-checklist`);
    expect(ready.body.is_ready).toBe(true);
    expect(ready.body.items.find((i: {type: string}) => i.type === 'warning')).toMatchObject({heading: 'Preview text'});

    // An audience without subscribed contacts: a segment of only unsubscribed/cleaned members, or a campaign without recipients.
    const empty = await createReady(list.id, lapsed.id);
    const emptyChecklist = await api('get', `/campaigns/${empty}/send-checklist`);
    expect(emptyChecklist.body.items[0]).toMatchObject({
      type: 'error',
      heading: 'Segment',
      details: 'Your segment of list "Shop" is empty.',
    });
    expect(await api('post', `/campaigns/${empty}/actions/send`)).toMatchObject({status: 400, body: NOT_READY});
    const noRecipients = (await api('post', '/campaigns').send({...readyCampaignBody(list.id), recipients: undefined}))
      .body.id as string;
    await api('put', `/campaigns/${noRecipients}/content`).send({html: '<p>Hi</p>'});
    expect(await api('post', `/campaigns/${noRecipients}/actions/send`)).toMatchObject({status: 400, body: NOT_READY});
    const emptyList = seedList(ts.sandbox.state, 'Nobody', [['gone@shop.test', 'unsubscribed']]);
    const toEmptyList = await createReady(emptyList.id);
    expect(await api('post', `/campaigns/${toEmptyList}/actions/send`)).toMatchObject({status: 400, body: NOT_READY});
    const plain = (await api('post', '/campaigns').send({...readyCampaignBody(list.id), type: 'plaintext'})).body
      .id as string;
    await api('put', `/campaigns/${plain}/content`).send({html: ''});
    expect(await api('post', `/campaigns/${plain}/actions/send`)).toMatchObject({status: 400, body: NOT_READY});
  });

  it('sends to exactly the subscribed members of a static segment', async () => {
    await start();
    const {list, vip} = seedShop();
    const id = await createReady(list.id, vip.id);
    const sent = await api('post', `/campaigns/${id}/actions/send`);
    expect(sent.status).toBe(204);
    const campaign = (await api('get', `/campaigns/${id}`)).body;
    expect(campaign).toMatchObject({
      status: 'sent',
      emails_sent: 2,
      recipients: {recipient_count: 2},
      delivery_status: {enabled: true, status: 'delivered', emails_sent: 2},
    });
    expect(campaign.send_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect([...ts.sandbox.state.campaigns.get(id)!.sent_to].sort()).toEqual(
      [subscriberHash('ann@shop.test'), subscriberHash('bob@shop.test')].sort(),
    );
    expect(campaign.report_summary).toMatchObject({opens: 0, unique_opens: 0, clicks: 0});

    expect((await api('post', `/campaigns/${id}/actions/send`)).status).toBe(400);
    const edit = await api('patch', `/campaigns/${id}`).send({
      settings: {...(readyCampaignBody(list.id).settings as object), title: 'Changed'},
    });
    expect(edit.status).toBe(400);
    expect(edit.body.detail).toBe('This campaign has already been sent and cannot be changed.');
    expect((await api('put', `/campaigns/${id}/content`).send({html: '<p>x</p>'})).status).toBe(400);
    expect((await api('get', '/campaigns').query({status: 'sent'})).body.total_items).toBe(1);

    // Without a segment: every subscribed member of the list.
    const all = await createReady(list.id);
    expect((await api('post', `/campaigns/${all}/actions/send`)).status).toBe(204);
    expect([...ts.sandbox.state.campaigns.get(all)!.sent_to].sort()).toEqual(
      ['ann@shop.test', 'bob@shop.test', 'eve@shop.test'].map(subscriberHash).sort(),
    );
  });

  it("sends to the subscribed members matching conditions: the campaign's own, or a saved segment's", async () => {
    await start();
    const {list} = seedShop();
    const domainIsShop = {condition_type: 'EmailAddress', field: 'EMAIL', op: 'ends', value: '@shop.test'};
    const startsWithAOrC = [
      {condition_type: 'EmailAddress', field: 'EMAIL', op: 'starts', value: 'a'},
      {condition_type: 'EmailAddress', field: 'EMAIL', op: 'starts', value: 'c'},
    ];
    const own = (
      await api('post', '/campaigns').send({
        ...readyCampaignBody(list.id),
        recipients: {list_id: list.id, segment_opts: {match: 'any', conditions: startsWithAOrC}},
      })
    ).body;
    expect(own.recipients.recipient_count).toBe(1);
    await api('put', `/campaigns/${own.id}/content`).send({html: '<p>Hi</p>'});
    expect((await api('post', `/campaigns/${own.id}/actions/send`)).status).toBe(204);
    // cat@ matches too but is unsubscribed.
    expect(ts.sandbox.state.campaigns.get(own.id)!.sent_to).toEqual([subscriberHash('ann@shop.test')]);

    const saved = await api('post', `/lists/${list.id}/segments`).send({
      name: 'Shop domain',
      options: {match: 'all', conditions: [domainIsShop]},
    });
    expect(saved.status).toBe(200);
    const viaSegment = await createReady(list.id, saved.body.id as number);
    expect((await api('post', `/campaigns/${viaSegment}/actions/send`)).status).toBe(204);
    expect([...ts.sandbox.state.campaigns.get(viaSegment)!.sent_to].sort()).toEqual(
      ['ann@shop.test', 'bob@shop.test', 'eve@shop.test'].map(subscriberHash).sort(),
    );
  });

  it('records test sends', async () => {
    await start();
    const {list} = seedShop();
    const id = await createReady(list.id);
    expect(
      (await api('post', `/campaigns/${id}/actions/test`).send({test_emails: ['qa@shop.test'], send_type: 'html'}))
        .status,
    ).toBe(204);
    const noEmails = await api('post', `/campaigns/${id}/actions/test`).send({test_emails: [], send_type: 'html'});
    expect(noEmails.status).toBe(400);
    expect(noEmails.body.errors).toEqual([expect.objectContaining({field: 'test_emails'})]);
    const badType = await api('post', `/campaigns/${id}/actions/test`).send({
      test_emails: ['qa@shop.test'],
      send_type: 'pdf',
    });
    expect(badType.status).toBe(400);
    expect(badType.body.errors).toEqual([expect.objectContaining({field: 'send_type'})]);
    expect(ts.sandbox.state.campaigns.get(id)!.test_sends).toEqual([
      {emails: ['qa@shop.test'], send_type: 'html', at: expect.any(String)},
    ]);
    expect((await api('get', `/campaigns/${id}`)).body.status).toBe('save');
  });

  it('schedules only on a future quarter hour; unschedules; delivers on demand', async () => {
    await start();
    const {list, vip} = seedShop();
    const id = await createReady(list.id, vip.id);
    const nextYear = new Date().getUTCFullYear() + 1;
    const schedule = (time: unknown) => api('post', `/campaigns/${id}/actions/schedule`).send({schedule_time: time});

    const offQuarter = await schedule(`${nextYear}-03-01T10:07:00+00:00`);
    expect(offQuarter.status).toBe(400);
    expect(offQuarter.body.detail).toMatch(/quarter-hour \(:00, :15, :30, :45\)/);
    expect(offQuarter.body.errors[0].field).toBe('schedule_time');
    expect((await schedule(`${nextYear}-03-01T10:15:30+00:00`)).status).toBe(400);
    const past = await schedule('2020-03-01T10:15:00+00:00');
    expect(past.status).toBe(400);
    expect(past.body.detail).toMatch(/future/);
    expect((await schedule('tomorrow at ten')).status).toBe(400);
    expect((await schedule(undefined)).status).toBe(400);

    // Offsets are fine as long as the UTC time is on a quarter hour.
    expect((await schedule(`${nextYear}-03-01T15:45:00+05:30`)).status).toBe(204);
    let campaign = (await api('get', `/campaigns/${id}`)).body;
    expect(campaign).toMatchObject({status: 'schedule', send_time: `${nextYear}-03-01T10:15:00+00:00`});
    expect((await schedule(`${nextYear}-03-01T11:00:00Z`)).status).toBe(400);
    const edit = await api('patch', `/campaigns/${id}`).send({
      settings: {...(readyCampaignBody(list.id).settings as object), title: 'x'},
    });
    expect(edit.status).toBe(400);
    expect(edit.body.detail).toMatch(/scheduled/);

    expect((await api('post', `/campaigns/${id}/actions/unschedule`)).status).toBe(204);
    campaign = (await api('get', `/campaigns/${id}`)).body;
    expect(campaign).toMatchObject({status: 'save', send_time: ''});
    expect((await api('post', `/campaigns/${id}/actions/unschedule`)).status).toBe(400);

    expect((await schedule(`${nextYear}-03-01T11:00:00Z`)).status).toBe(204);
    const delivered = await ts.http().post(`/__sandbox/campaigns/${id}/deliver-now`);
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({id, status: 'sent', emails_sent: 2});
    expect((await ts.http().post(`/__sandbox/campaigns/${id}/deliver-now`)).status).toBe(400);

    // A campaign whose audience emptied before its time is paused, not sent.
    const emptied = await createReady(list.id, vip.id);
    expect(
      (await api('post', `/campaigns/${emptied}/actions/schedule`).send({schedule_time: `${nextYear}-03-01T11:00:00Z`}))
        .status,
    ).toBe(204);
    for (const member of list.members.values()) if (vip.static_members.has(member.id)) member.status = 'unsubscribed';
    expect((await ts.http().post(`/__sandbox/campaigns/${emptied}/deliver-now`)).body).toMatchObject({
      status: 'paused',
      emails_sent: 0,
      send_time: '',
    });

    const unready = (await api('post', '/campaigns').send({type: 'regular', recipients: {list_id: list.id}})).body
      .id as string;
    const refused = await api('post', `/campaigns/${unready}/actions/schedule`).send({
      schedule_time: `${nextYear}-03-01T11:00:00Z`,
    });
    expect(refused).toMatchObject({status: 400, body: NOT_READY});
  });

  it('sends a scheduled campaign when its time comes, and not after the sandbox stops', async () => {
    // A clock 400 ms before a quarter hour, running at real speed.
    const quarter = 15 * 60_000;
    const clock = () => {
      const realStart = Date.now();
      const fakeStart = Math.ceil((realStart + quarter) / quarter) * quarter - 400;
      return {
        now: () => new Date(fakeStart + (Date.now() - realStart)),
        quarterAt: new Date(fakeStart + 400).toISOString(),
      };
    };
    const first = clock();
    await start({now: first.now});
    const {list, vip} = seedShop();
    const id = await createReady(list.id, vip.id);
    expect((await api('post', `/campaigns/${id}/actions/schedule`).send({schedule_time: first.quarterAt})).status).toBe(
      204,
    );
    const sent = await (async () => {
      for (let i = 0; i < 200; i++) {
        const res = await api('get', `/campaigns/${id}`);
        if (res.body.status === 'sent') return res.body;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('never sent');
    })();
    expect(sent).toMatchObject({emails_sent: 2});

    await open!.close();
    const second = clock();
    await start({now: second.now});
    const again = seedShop();
    const later = await createReady(again.list.id, again.vip.id);
    expect(
      (await api('post', `/campaigns/${later}/actions/schedule`).send({schedule_time: second.quarterAt})).status,
    ).toBe(204);
    const {sandbox} = ts;
    open = undefined;
    await ts.close();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(sandbox.state.campaigns.get(later)?.status).toBe('schedule');
  });
});
