import {createHash} from 'node:crypto';
import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import type {MemberEvent} from '../../core/state.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';

describe('list members', () => {
  let ts: TestSandbox;
  let listId: string;
  let events: MemberEvent[];
  beforeEach(async () => {
    ts = await startTestSandbox();
    listId = await createList(ts);
    events = [];
    ts.sandbox.state.events.on('member', (e) => events.push(e));
  });
  afterEach(() => ts.close());

  const api = () => ts.http();
  const member = (email: string) => `/3.0/lists/${listId}/members/${hashOf(email)}`;

  it('PUT adds a new address with status_if_new and answers the full member shape', async () => {
    const res = await api()
      .put(member('Ann@Shop.test'))
      .set('Authorization', ts.auth)
      .send({
        email_address: 'Ann@Shop.test',
        status_if_new: 'subscribed',
        status: 'unsubscribed',
        merge_fields: {FNAME: 'Ann', LNAME: 'Lee'},
        vip: true,
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: hashOf('ann@shop.test'),
      email_address: 'Ann@Shop.test',
      full_name: 'Ann Lee',
      email_type: 'html',
      status: 'subscribed',
      merge_fields: {FNAME: 'Ann', LNAME: 'Lee', ADDRESS: '', PHONE: ''},
      interests: {},
      stats: {
        avg_open_rate: 0,
        avg_click_rate: 0,
        ecommerce_data: {total_revenue: 0, number_of_orders: 0, currency_code: ''},
      },
      ip_signup: '',
      language: '',
      vip: true,
      source: 'API - Generic',
      tags_count: 0,
      tags: [],
      list_id: listId,
    });
    for (const key of ['unique_email_id', 'contact_id', 'timestamp_opt', 'last_changed'])
      expect(res.body[key]).toEqual(expect.any(String));
    expect(res.body.web_id).toEqual(expect.any(Number));
    expect(res.body._links.map((l: {rel: string}) => l.rel)).toEqual(
      expect.arrayContaining(['self', 'upsert', 'delete_permanent']),
    );
    expect(events.map((e) => [e.type, e.source])).toEqual([['subscribe', 'api']]);
  });

  it('PUT needs status_if_new for a new address, applies status to an existing one, and adds a mismatched body address under its own hash', async () => {
    const missing = await api()
      .put(member('new@shop.test'))
      .set('Authorization', ts.auth)
      .send({email_address: 'new@shop.test', status: 'subscribed'});
    expect(missing.status).toBe(400);
    expect(missing.body.title).toBe('Invalid Resource');
    expect(missing.body.errors).toEqual([{field: '', message: 'Required fields were not provided: status_if_new'}]);

    await putMember(ts, listId, 'old@shop.test');
    const update = await api()
      .put(member('old@shop.test'))
      .set('Authorization', ts.auth)
      .send({email_address: 'old@shop.test', status: 'unsubscribed'});
    expect(update.status).toBe(200);
    expect(update.body.status).toBe('unsubscribed');
    const ignored = await api()
      .put(member('old@shop.test'))
      .set('Authorization', ts.auth)
      .send({email_address: 'old@shop.test', status_if_new: 'pending'});
    expect(ignored.body.status).toBe('unsubscribed');

    const mismatch = await api()
      .put(member('one@shop.test'))
      .set('Authorization', ts.auth)
      .send({email_address: 'two@shop.test', status_if_new: 'subscribed'});
    expect(mismatch.status).toBe(200);
    expect(mismatch.body).toMatchObject({id: hashOf('two@shop.test'), email_address: 'two@shop.test'});
    // The classic pitfall: a hash of the address without lower-casing it.
    await putMember(ts, listId, 'case@shop.test');
    const notLowerCased = createHash('md5').update('Case@shop.test').digest('hex');
    const upperHash = await api()
      .put(`/3.0/lists/${listId}/members/${notLowerCased}`)
      .set('Authorization', ts.auth)
      .send({email_address: 'Case@shop.test', status_if_new: 'subscribed'});
    expect(upperHash.status).toBe(400);
    expect(upperHash.body).toMatchObject({
      title: 'Member Exists',
      detail: 'Case@shop.test is already a list member. Use PUT to insert or update list members.',
    });
  });

  it('POST adds with tags and refuses an existing address as Member Exists', async () => {
    const res = await api()
      .post(`/3.0/lists/${listId}/members`)
      .set('Authorization', ts.auth)
      .send({email_address: 'tagged@shop.test', status: 'subscribed', tags: ['VIP', 'Newsletter']});
    expect(res.status).toBe(200);
    expect(res.body.tags_count).toBe(2);
    expect(res.body.tags.map((t: {name: string}) => t.name)).toEqual(['VIP', 'Newsletter']);
    expect(res.body.tags[0].id).toEqual(expect.any(Number));
    const again = await api()
      .post(`/3.0/lists/${listId}/members`)
      .set('Authorization', ts.auth)
      .send({email_address: 'TAGGED@shop.test', status: 'subscribed'});
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      title: 'Member Exists',
      status: 400,
      detail: 'tagged@shop.test is already a list member. Use PUT to insert or update list members.',
    });
    const bad = await api()
      .post(`/3.0/lists/${listId}/members`)
      .set('Authorization', ts.auth)
      .send({email_address: 'not-an-address', status: 'subscribed'});
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({title: 'Invalid Resource', detail: 'Please provide a valid email address.'});
  });

  it('GET finds a member by hash, address or contact id; the collection filters by status and pages', async () => {
    const created = await putMember(ts, listId, 'find@shop.test');
    for (const id of [hashOf('find@shop.test'), 'find@shop.test', String(created.contact_id)]) {
      const res = await api()
        .get(`/3.0/lists/${listId}/members/${encodeURIComponent(id)}`)
        .set('Authorization', ts.auth);
      expect(res.status).toBe(200);
      expect(res.body.email_address).toBe('find@shop.test');
    }
    expect((await api().get(member('nobody@shop.test')).set('Authorization', ts.auth)).status).toBe(404);

    for (let i = 0; i < 4; i++) await putMember(ts, listId, `sub${i}@shop.test`);
    await putMember(ts, listId, 'gone@shop.test', {status_if_new: 'unsubscribed'});
    const subscribed = await api()
      .get(`/3.0/lists/${listId}/members?status=subscribed&count=2&offset=1`)
      .set('Authorization', ts.auth);
    expect(subscribed.body.total_items).toBe(5);
    expect(subscribed.body.members).toHaveLength(2);
    expect(subscribed.body.list_id).toBe(listId);
    const unsubscribed = await api()
      .get(`/3.0/lists/${listId}/members?status=unsubscribed`)
      .set('Authorization', ts.auth);
    expect(unsubscribed.body.members.map((m: {email_address: string}) => m.email_address)).toEqual(['gone@shop.test']);
    const fields = await api()
      .get(`/3.0/lists/${listId}/members?fields=members.email_address,total_items&count=1`)
      .set('Authorization', ts.auth);
    expect(fields.body).toEqual({members: [{email_address: 'find@shop.test'}], total_items: 6});
  });

  it('PATCH changes status and merge fields (profile event) and the address (upemail)', async () => {
    await putMember(ts, listId, 'p@shop.test', {merge_fields: {FNAME: 'Pat'}});
    events.length = 0;
    const res = await api()
      .patch(member('p@shop.test'))
      .set('Authorization', ts.auth)
      .send({merge_fields: {FNAME: 'Patricia'}, email_address: 'pat@shop.test'});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: hashOf('pat@shop.test'),
      email_address: 'pat@shop.test',
      merge_fields: {FNAME: 'Patricia'},
    });
    expect(events.map((e) => [e.type, e.source])).toEqual([
      ['upemail', 'api'],
      ['profile', 'api'],
    ]);
    expect(events[0]!.data).toMatchObject({old_email: 'p@shop.test', new_email: 'pat@shop.test'});
    expect((await api().get(member('p@shop.test')).set('Authorization', ts.auth)).status).toBe(404);

    const same = await api()
      .patch(member('pat@shop.test'))
      .set('Authorization', ts.auth)
      .send({merge_fields: {FNAME: 'Patricia'}});
    expect(same.status).toBe(200);
    expect(events).toHaveLength(2);

    const unsub = await api()
      .patch(member('pat@shop.test'))
      .set('Authorization', ts.auth)
      .send({status: 'unsubscribed'});
    expect(unsub.body.status).toBe('unsubscribed');
    expect(events.at(-1)).toMatchObject({
      type: 'unsubscribe',
      source: 'api',
      data: {action: 'unsub', reason: 'manual'},
    });
  });

  it('refuses to resubscribe self-unsubscribed or cleaned members through the API, but allows pending', async () => {
    await putMember(ts, listId, 'u@shop.test');
    await ts.http().post(`/__sandbox/lists/${listId}/members/u@shop.test/unsubscribe`).send({});
    await putMember(ts, listId, 'c@shop.test', {status_if_new: 'cleaned'});
    for (const email of ['u@shop.test', 'c@shop.test']) {
      const res = await api()
        .put(member(email))
        .set('Authorization', ts.auth)
        .send({email_address: email, status: 'subscribed', merge_fields: {FNAME: 'Not saved'}});
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        title: 'Member In Compliance State',
        detail: `${email} is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.`,
      });
    }
    const unchanged = await api().get(member('u@shop.test')).set('Authorization', ts.auth);
    expect(unchanged.body.merge_fields.FNAME).toBe('');
    const pending = await api().patch(member('u@shop.test')).set('Authorization', ts.auth).send({status: 'pending'});
    expect(pending.status).toBe(200);
    expect(pending.body.status).toBe('pending');
  });

  it('DELETE archives (204), refuses cleaned/pending/archived with 405 Allow GET, PUT, and PUT brings archived back', async () => {
    await putMember(ts, listId, 'a@shop.test');
    events.length = 0;
    expect((await api().delete(member('a@shop.test')).set('Authorization', ts.auth)).status).toBe(204);
    const archived = await api().get(member('a@shop.test')).set('Authorization', ts.auth);
    expect(archived.body.status).toBe('archived');
    expect(events).toMatchObject([{type: 'unsubscribe', data: {action: 'delete'}}]);

    await putMember(ts, listId, 'cl@shop.test', {status_if_new: 'cleaned'});
    await putMember(ts, listId, 'pe@shop.test', {status_if_new: 'pending'});
    for (const email of ['a@shop.test', 'cl@shop.test', 'pe@shop.test']) {
      const res = await api().delete(member(email)).set('Authorization', ts.auth);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, PUT');
      expect(res.body).toMatchObject({
        title: 'Method Not Allowed',
        detail: 'This list member cannot be removed. Can not archive a contact that is bounced, pending or archived',
      });
    }
    const back = await api()
      .put(member('a@shop.test'))
      .set('Authorization', ts.auth)
      .send({email_address: 'a@shop.test', status_if_new: 'subscribed'});
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('subscribed');
  });

  it('delete-permanent forgets the address: every later add is "Forgotten Email Not Subscribed"', async () => {
    await putMember(ts, listId, 'forget@shop.test');
    const res = await api()
      .post(`${member('forget@shop.test')}/actions/delete-permanent`)
      .set('Authorization', ts.auth);
    expect(res.status).toBe(204);
    expect((await api().get(member('forget@shop.test')).set('Authorization', ts.auth)).status).toBe(404);
    const detail =
      'forget@shop.test was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.';
    const put = await api()
      .put(member('forget@shop.test'))
      .set('Authorization', ts.auth)
      .send({email_address: 'forget@shop.test', status_if_new: 'subscribed'});
    expect(put.status).toBe(400);
    expect(put.body).toMatchObject({title: 'Forgotten Email Not Subscribed', detail});
    const post = await api()
      .post(`/3.0/lists/${listId}/members`)
      .set('Authorization', ts.auth)
      .send({email_address: 'forget@shop.test', status: 'pending'});
    expect(post.status).toBe(400);
    expect(post.body).toMatchObject({title: 'Forgotten Email Not Subscribed', detail});
  });

  it('answers 405 for PUT on the collection and 404 for an unknown list', async () => {
    const put = await api().put(`/3.0/lists/${listId}/members`).set('Authorization', ts.auth).send({});
    expect(put.status).toBe(405);
    const unknown = await api().get('/3.0/lists/nope/members').set('Authorization', ts.auth);
    expect(unknown.status).toBe(404);
  });
});
