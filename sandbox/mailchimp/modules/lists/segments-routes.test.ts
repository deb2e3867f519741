import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';

describe('segments', () => {
  let ts: TestSandbox;
  let listId: string;
  beforeEach(async () => {
    ts = await startTestSandbox();
    listId = await createList(ts);
    await putMember(ts, listId, 'a@shop.test', {merge_fields: {FNAME: 'Ann'}});
    await putMember(ts, listId, 'b@shop.test', {merge_fields: {FNAME: 'Bob'}});
    await putMember(ts, listId, 'u@shop.test', {status_if_new: 'unsubscribed', merge_fields: {FNAME: 'Una'}});
    await putMember(ts, listId, 't@shop.test', {status_if_new: 'transactional'});
  });
  afterEach(() => ts.close());

  const api = () => ts.http();
  const segments = () => `/3.0/lists/${listId}/segments`;

  it('creates a static segment from addresses, ignoring unknown ones, and counts subscribed members only', async () => {
    const res = await api()
      .post(segments())
      .set('Authorization', ts.auth)
      .send({name: 'Picked', static_segment: ['a@shop.test', 'u@shop.test', 'stranger@shop.test']});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({name: 'Picked', type: 'static', member_count: 1, list_id: listId});
    expect(res.body.options).toBeUndefined();
    for (const key of ['created_at', 'updated_at']) expect(res.body[key]).toEqual(expect.any(String));

    const withUnsubscribed = await api()
      .get(`${segments()}/${res.body.id}?include_unsubscribed=true`)
      .set('Authorization', ts.auth);
    expect(withUnsubscribed.body.member_count).toBe(2);
    const members = await api().get(`${segments()}/${res.body.id}/members`).set('Authorization', ts.auth);
    expect(members.body.total_items).toBe(1);
    expect(members.body.members[0]).toMatchObject({
      email_address: 'a@shop.test',
      status: 'subscribed',
      list_id: listId,
    });
    expect(members.body.members[0].contact_id).toBeUndefined();
  });

  it('creates a saved segment whose count is evaluated on every read', async () => {
    const res = await api()
      .post(segments())
      .set('Authorization', ts.auth)
      .send({
        name: 'Names with B',
        options: {match: 'any', conditions: [{condition_type: 'TextMerge', field: 'FNAME', op: 'starts', value: 'b'}]},
      });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: 'saved',
      member_count: 1,
      options: {match: 'any', conditions: [{condition_type: 'TextMerge', field: 'FNAME', op: 'starts', value: 'b'}]},
    });
    await putMember(ts, listId, 'bea@shop.test', {merge_fields: {FNAME: 'Bea'}});
    const later = await api().get(`${segments()}/${res.body.id}`).set('Authorization', ts.auth);
    expect(later.body.member_count).toBe(2);
    const members = await api().get(`${segments()}/${res.body.id}/members`).set('Authorization', ts.auth);
    expect(members.body.members.map((m: {email_address: string}) => m.email_address).sort()).toEqual([
      'b@shop.test',
      'bea@shop.test',
    ]);
  });

  it('refuses both static_segment and options, neither, unknown condition types and an empty condition list', async () => {
    const both = await api()
      .post(segments())
      .set('Authorization', ts.auth)
      .send({
        name: 'x',
        static_segment: [],
        options: {
          match: 'any',
          conditions: [{condition_type: 'EcommPurchased', field: 'ecomm_purchased', op: 'member'}],
        },
      });
    expect(both.status).toBe(400);
    expect(both.body.title).toBe('Invalid Resource');
    expect((await api().post(segments()).set('Authorization', ts.auth).send({name: 'x'})).status).toBe(400);
    const unknown = await api()
      .post(segments())
      .set('Authorization', ts.auth)
      .send({
        name: 'x',
        options: {match: 'all', conditions: [{condition_type: 'Horoscope', field: 'sign', op: 'is', value: 'leo'}]},
      });
    expect(unknown.status).toBe(400);
    expect(unknown.body.title).toBe('Invalid Resource');
    expect(unknown.body.errors[0].field).toMatch(/^options\.conditions\.item:0/);
    const empty = await api()
      .post(segments())
      .set('Authorization', ts.auth)
      .send({name: 'x', options: {match: 'all', conditions: []}});
    expect(empty.status).toBe(400);
  });

  it('batch-adds and removes up to 500 addresses on a static segment and reports unknown ones', async () => {
    const seg = (await api().post(segments()).set('Authorization', ts.auth).send({name: 'Batch', static_segment: []}))
      .body;
    expect(seg.member_count).toBe(0);
    const res = await api()
      .post(`${segments()}/${seg.id}`)
      .set('Authorization', ts.auth)
      .send({members_to_add: ['a@shop.test', 'b@shop.test', 'ghost@shop.test'], members_to_remove: []});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      total_added: 2,
      total_removed: 0,
      error_count: 1,
      errors: [{email_addresses: ['ghost@shop.test']}],
    });
    expect(res.body.members_added.map((m: {email_address: string}) => m.email_address)).toEqual([
      'a@shop.test',
      'b@shop.test',
    ]);
    const removed = await api()
      .post(`${segments()}/${seg.id}`)
      .set('Authorization', ts.auth)
      .send({members_to_remove: ['a@shop.test']});
    expect(removed.body).toMatchObject({total_added: 0, total_removed: 1, error_count: 0});
    expect((await api().get(`${segments()}/${seg.id}`).set('Authorization', ts.auth)).body.member_count).toBe(1);

    const tooMany = Array.from({length: 501}, (_, i) => `m${i}@shop.test`);
    const refused = await api()
      .post(`${segments()}/${seg.id}`)
      .set('Authorization', ts.auth)
      .send({members_to_add: tooMany});
    expect(refused.status).toBe(400);
  });

  it('adds one member through …/members, removes one, and refuses member changes on saved segments', async () => {
    const seg = (
      await api().post(segments()).set('Authorization', ts.auth).send({name: 'One by one', static_segment: []})
    ).body;
    const added = await api()
      .post(`${segments()}/${seg.id}/members`)
      .set('Authorization', ts.auth)
      .send({email_address: 'b@shop.test'});
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({email_address: 'b@shop.test', id: hashOf('b@shop.test')});
    expect(
      (
        await api()
          .post(`${segments()}/${seg.id}/members`)
          .set('Authorization', ts.auth)
          .send({email_address: 'nobody@shop.test'})
      ).status,
    ).toBe(404);
    expect(
      (
        await api()
          .delete(`${segments()}/${seg.id}/members/${hashOf('b@shop.test')}`)
          .set('Authorization', ts.auth)
      ).status,
    ).toBe(204);
    expect((await api().get(`${segments()}/${seg.id}`).set('Authorization', ts.auth)).body.member_count).toBe(0);

    const saved = (
      await api()
        .post(segments())
        .set('Authorization', ts.auth)
        .send({name: 'Saved', options: {match: 'all', conditions: [{field: 'EMAIL', op: 'contains', value: 'shop'}]}})
    ).body;
    expect(saved.options.conditions[0].condition_type).toBe('EmailAddress');
    const refused = await api()
      .post(`${segments()}/${saved.id}`)
      .set('Authorization', ts.auth)
      .send({members_to_add: ['a@shop.test']});
    expect(refused.status).toBe(400);
  });

  it('lists segments by type with paging, renames, replaces static members and changes conditions with PATCH', async () => {
    const stat = (
      await api()
        .post(segments())
        .set('Authorization', ts.auth)
        .send({name: 'S', static_segment: ['a@shop.test']})
    ).body;
    const saved = (
      await api()
        .post(segments())
        .set('Authorization', ts.auth)
        .send({
          name: 'Q',
          options: {match: 'any', conditions: [{condition_type: 'TextMerge', field: 'FNAME', op: 'is', value: 'Ann'}]},
        })
    ).body;
    const all = await api().get(`${segments()}?count=1`).set('Authorization', ts.auth);
    expect(all.body).toMatchObject({total_items: 2, list_id: listId});
    expect(all.body.segments).toHaveLength(1);
    const onlySaved = await api().get(`${segments()}?type=saved`).set('Authorization', ts.auth);
    expect(onlySaved.body.segments.map((s: {id: number}) => s.id)).toEqual([saved.id]);

    const replaced = await api()
      .patch(`${segments()}/${stat.id}`)
      .set('Authorization', ts.auth)
      .send({name: 'S2', static_segment: ['b@shop.test']});
    expect(replaced.body).toMatchObject({name: 'S2', member_count: 1});
    const members = await api().get(`${segments()}/${stat.id}/members`).set('Authorization', ts.auth);
    expect(members.body.members.map((m: {email_address: string}) => m.email_address)).toEqual(['b@shop.test']);
    const emptied = await api()
      .patch(`${segments()}/${stat.id}`)
      .set('Authorization', ts.auth)
      .send({name: 'S2', static_segment: []});
    expect(emptied.body.member_count).toBe(0);

    const requeried = await api()
      .patch(`${segments()}/${saved.id}`)
      .set('Authorization', ts.auth)
      .send({
        name: 'Q',
        options: {
          match: 'any',
          conditions: [{condition_type: 'TextMerge', field: 'FNAME', op: 'contains', value: 'o'}],
        },
      });
    expect(requeried.status).toBe(200);
    expect(requeried.body.member_count).toBe(1);
    const wrongKind = await api()
      .patch(`${segments()}/${saved.id}`)
      .set('Authorization', ts.auth)
      .send({name: 'Q', static_segment: ['a@shop.test']});
    expect(wrongKind.status).toBe(400);
  });
});
