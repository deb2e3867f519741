import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';

describe('merge fields', () => {
  let ts: TestSandbox;
  let listId: string;
  beforeEach(async () => {
    ts = await startTestSandbox();
    listId = await createList(ts);
  });
  afterEach(() => ts.close());

  const api = () => ts.http();

  it('lists the default merge fields (not EMAIL) and adds, reads, updates and deletes one', async () => {
    const initial = await api().get(`/3.0/lists/${listId}/merge-fields`).set('Authorization', ts.auth);
    expect(initial.status).toBe(200);
    expect(initial.body.merge_fields.map((f: {tag: string}) => f.tag)).toEqual(['FNAME', 'LNAME', 'ADDRESS', 'PHONE']);
    expect(initial.body).toMatchObject({list_id: listId, total_items: 4});

    const created = await api()
      .post(`/3.0/lists/${listId}/merge-fields`)
      .set('Authorization', ts.auth)
      .send({name: 'Shoe size', type: 'number', tag: 'shoe'});
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      tag: 'SHOE',
      name: 'Shoe size',
      type: 'number',
      required: false,
      list_id: listId,
      merge_id: 5,
    });

    const auto = await api()
      .post(`/3.0/lists/${listId}/merge-fields`)
      .set('Authorization', ts.auth)
      .send({name: 'Note', type: 'text'});
    expect(auto.body.tag).toBe(`MMERGE${auto.body.merge_id}`);

    const dup = await api()
      .post(`/3.0/lists/${listId}/merge-fields`)
      .set('Authorization', ts.auth)
      .send({name: 'Again', type: 'text', tag: 'SHOE'});
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0].field).toBe('tag');

    const one = await api().get(`/3.0/lists/${listId}/merge-fields/5`).set('Authorization', ts.auth);
    expect(one.body.tag).toBe('SHOE');
    const patched = await api()
      .patch(`/3.0/lists/${listId}/merge-fields/5`)
      .set('Authorization', ts.auth)
      .send({name: 'Size', required: true});
    expect(patched.body).toMatchObject({name: 'Size', required: true, tag: 'SHOE'});
    const onlyRequired = await api()
      .get(`/3.0/lists/${listId}/merge-fields?required=true`)
      .set('Authorization', ts.auth);
    expect(onlyRequired.body.merge_fields.map((f: {tag: string}) => f.tag)).toEqual(['SHOE']);

    expect((await api().delete(`/3.0/lists/${listId}/merge-fields/5`).set('Authorization', ts.auth)).status).toBe(204);
    expect((await api().get(`/3.0/lists/${listId}/merge-fields/5`).set('Authorization', ts.auth)).status).toBe(404);
  });

  it('enforces required merge fields on member writes unless skip_merge_validation=true', async () => {
    await api()
      .post(`/3.0/lists/${listId}/merge-fields`)
      .set('Authorization', ts.auth)
      .send({name: 'Vorname', type: 'text', tag: 'VORNAME', required: true});
    const email = 'anna@shop.test';
    const refused = await api()
      .put(`/3.0/lists/${listId}/members/${hashOf(email)}`)
      .set('Authorization', ts.auth)
      .send({email_address: email, status_if_new: 'subscribed', merge_fields: {FNAME: 'Anna'}});
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      title: 'Invalid Resource',
      detail: 'Your merge fields were invalid.',
      errors: [{field: 'VORNAME', message: 'Please enter a value'}],
    });
    const posted = await api()
      .post(`/3.0/lists/${listId}/members`)
      .set('Authorization', ts.auth)
      .send({email_address: email, status: 'subscribed'});
    expect(posted.status).toBe(400);
    expect(posted.body.errors).toEqual([{field: 'VORNAME', message: 'Please enter a value'}]);

    const skipped = await api()
      .put(`/3.0/lists/${listId}/members/${hashOf(email)}?skip_merge_validation=true`)
      .set('Authorization', ts.auth)
      .send({email_address: email, status_if_new: 'subscribed'});
    expect(skipped.status).toBe(200);
    expect(skipped.body.merge_fields).toMatchObject({VORNAME: ''});

    const blanked = await api()
      .patch(`/3.0/lists/${listId}/members/${hashOf(email)}`)
      .set('Authorization', ts.auth)
      .send({merge_fields: {VORNAME: ''}});
    expect(blanked.status).toBe(400);
    const filled = await api()
      .patch(`/3.0/lists/${listId}/members/${hashOf(email)}`)
      .set('Authorization', ts.auth)
      .send({merge_fields: {VORNAME: 'Anna'}});
    expect(filled.status).toBe(200);
    expect(filled.body.merge_fields.VORNAME).toBe('Anna');
  });

  it('checks value types and applies default values to new members', async () => {
    await api()
      .post(`/3.0/lists/${listId}/merge-fields`)
      .set('Authorization', ts.auth)
      .send({name: 'Size', type: 'number', tag: 'SIZE'});
    await api()
      .post(`/3.0/lists/${listId}/merge-fields`)
      .set('Authorization', ts.auth)
      .send({name: 'Country', type: 'text', tag: 'COUNTRY', default_value: 'NL'});
    const bad = await api()
      .put(`/3.0/lists/${listId}/members/${hashOf('bob@shop.test')}`)
      .set('Authorization', ts.auth)
      .send({
        email_address: 'bob@shop.test',
        status_if_new: 'subscribed',
        merge_fields: {SIZE: 'large', ADDRESS: {addr1: 'x'}},
      });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      {field: 'SIZE', message: 'Please enter a number'},
      {field: 'ADDRESS', message: 'Please enter a complete address'},
    ]);
    const member = await putMember(ts, listId, 'bob@shop.test', {
      merge_fields: {SIZE: 44, ADDRESS: {addr1: '1 Way', city: 'Town', state: 'ST', zip: '1234', country: 'NL'}},
    });
    expect(member.merge_fields).toMatchObject({
      SIZE: 44,
      COUNTRY: 'NL',
      ADDRESS: {addr1: '1 Way', city: 'Town'},
      FNAME: '',
      PHONE: '',
    });
  });
});
