import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {LIST_BODY, createList, putMember} from './testing/list-fixtures.js';

describe('lists', () => {
  let ts: TestSandbox;
  beforeEach(async () => {
    ts = await startTestSandbox();
  });
  afterEach(() => ts.close());

  it('creates a list with every required field and answers the full list shape', async () => {
    const res = await ts.http().post('/3.0/lists').set('Authorization', ts.auth).send(LIST_BODY);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Loopback Shop',
      contact: LIST_BODY.contact,
      permission_reminder: LIST_BODY.permission_reminder,
      campaign_defaults: LIST_BODY.campaign_defaults,
      email_type_option: false,
      double_optin: false,
      visibility: 'pub',
      stats: {member_count: 0, unsubscribe_count: 0, cleaned_count: 0, merge_field_count: 4, campaign_count: 0},
    });
    expect(typeof res.body.id).toBe('string');
    expect(typeof res.body.web_id).toBe('number');
    expect(res.body.stats.total_contacts).toBeUndefined();
    expect(res.body._links.map((l: {rel: string}) => l.rel)).toContain('self');
  });

  it('refuses a list without the required fields, naming them as Mailchimp does', async () => {
    const res = await ts
      .http()
      .post('/3.0/lists')
      .set('Authorization', ts.auth)
      .send({name: 'x', email_type_option: true});
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('Invalid Resource');
    const messages = (res.body.errors as Array<{message: string}>).map((e) => e.message).join(' ');
    for (const field of ['contact', 'permission_reminder', 'campaign_defaults']) expect(messages).toContain(field);
    const nested = await ts
      .http()
      .post('/3.0/lists')
      .set('Authorization', ts.auth)
      .send({...LIST_BODY, contact: {company: 'x'}});
    expect(nested.status).toBe(400);
    const nestedMessages = JSON.stringify(nested.body.errors);
    for (const field of ['address1', 'city', 'country']) expect(nestedMessages).toContain(field);
  });

  it('computes stats from the members: subscribed, unsubscribed, cleaned, total contacts on request', async () => {
    const id = await createList(ts);
    await putMember(ts, id, 'a@shop.test');
    await putMember(ts, id, 'b@shop.test');
    await putMember(ts, id, 'c@shop.test', {status_if_new: 'unsubscribed'});
    await putMember(ts, id, 'd@shop.test', {status_if_new: 'cleaned'});
    await putMember(ts, id, 'e@shop.test', {status_if_new: 'transactional'});
    const res = await ts.http().get(`/3.0/lists/${id}?include_total_contacts=true`).set('Authorization', ts.auth);
    expect(res.status).toBe(200);
    expect(res.body.stats).toMatchObject({member_count: 2, unsubscribe_count: 1, cleaned_count: 1, total_contacts: 5});
    expect(res.body.stats.last_sub_date).not.toBe('');
  });

  it('lists, pages, filters by member email, updates and deletes lists', async () => {
    const first = await createList(ts, {name: 'First'});
    const second = await createList(ts, {name: 'Second'});
    await putMember(ts, second, 'only@second.test');
    const all = await ts.http().get('/3.0/lists?count=1&offset=1').set('Authorization', ts.auth);
    expect(all.body.total_items).toBe(2);
    expect(all.body.lists.map((l: {name: string}) => l.name)).toEqual(['Second']);
    expect(all.body.constraints).toMatchObject({may_create: true});
    const byEmail = await ts.http().get('/3.0/lists?email=only@second.test').set('Authorization', ts.auth);
    expect(byEmail.body.lists.map((l: {id: string}) => l.id)).toEqual([second]);

    // PATCH takes the same required settings as POST (spec "Subscriber List_2").
    const patched = await ts
      .http()
      .patch(`/3.0/lists/${first}`)
      .set('Authorization', ts.auth)
      .send({...LIST_BODY, name: 'Renamed', double_optin: true});
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Renamed',
      double_optin: true,
      permission_reminder: LIST_BODY.permission_reminder,
    });

    expect((await ts.http().delete(`/3.0/lists/${first}`).set('Authorization', ts.auth)).status).toBe(204);
    const gone = await ts.http().get(`/3.0/lists/${first}`).set('Authorization', ts.auth);
    expect(gone.status).toBe(404);
    expect(gone.body.title).toBe('Resource Not Found');
  });
});
