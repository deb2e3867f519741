import {startTestSandbox, type TestSandbox} from '../../../../test/support/sandbox.js';
import {createList, hashOf, putMember} from './testing/list-fixtures.js';

describe('member tags', () => {
  let ts: TestSandbox;
  let listId: string;
  beforeEach(async () => {
    ts = await startTestSandbox();
    listId = await createList(ts);
    await putMember(ts, listId, 'tag@shop.test');
    await putMember(ts, listId, 'other@shop.test');
  });
  afterEach(() => ts.close());

  const api = () => ts.http();
  const tagsOf = (email: string) => `/3.0/lists/${listId}/members/${hashOf(email)}/tags`;

  it('adds tags (creating them), reads them back, and removes them with status inactive', async () => {
    const add = await api()
      .post(tagsOf('tag@shop.test'))
      .set('Authorization', ts.auth)
      .send({
        tags: [
          {name: 'VIP', status: 'active'},
          {name: 'Bought shoes', status: 'active'},
        ],
        is_syncing: true,
      });
    expect(add.status).toBe(204);
    expect(add.text).toBe('');

    const read = await api().get(tagsOf('tag@shop.test')).set('Authorization', ts.auth);
    expect(read.status).toBe(200);
    expect(read.body.total_items).toBe(2);
    expect(read.body.tags).toEqual([
      {id: expect.any(Number), name: 'VIP', date_added: expect.any(String)},
      {id: expect.any(Number), name: 'Bought shoes', date_added: expect.any(String)},
    ]);

    // Same tag name in another case: the existing tag, not a new one.
    await api()
      .post(tagsOf('other@shop.test'))
      .set('Authorization', ts.auth)
      .send({tags: [{name: 'vip', status: 'active'}]});
    const other = await api().get(tagsOf('other@shop.test')).set('Authorization', ts.auth);
    expect(other.body.tags[0]).toMatchObject({id: read.body.tags[0].id, name: 'VIP'});

    const remove = await api()
      .post(tagsOf('tag@shop.test'))
      .set('Authorization', ts.auth)
      .send({
        tags: [
          {name: 'VIP', status: 'inactive'},
          {name: 'Never existed', status: 'inactive'},
        ],
      });
    expect(remove.status).toBe(204);
    const after = await api()
      .get(`/3.0/lists/${listId}/members/${hashOf('tag@shop.test')}`)
      .set('Authorization', ts.auth);
    expect(after.body.tags_count).toBe(1);
    expect(after.body.tags).toEqual([{id: read.body.tags[1].id, name: 'Bought shoes'}]);
  });

  it('answers 404 for an unknown member', async () => {
    const res = await api()
      .post(tagsOf('nobody@shop.test'))
      .set('Authorization', ts.auth)
      .send({tags: [{name: 'VIP', status: 'active'}]});
    expect(res.status).toBe(404);
    expect(res.body.title).toBe('Resource Not Found');
  });

  it('keeps tags and static segments one record: a tag is a static segment with an integer id', async () => {
    await api()
      .post(tagsOf('tag@shop.test'))
      .set('Authorization', ts.auth)
      .send({tags: [{name: 'Winter', status: 'active'}]});
    const segments = await api().get(`/3.0/lists/${listId}/segments?type=static`).set('Authorization', ts.auth);
    expect(segments.body.segments).toHaveLength(1);
    const segment = segments.body.segments[0];
    expect(segment).toMatchObject({name: 'Winter', type: 'static', member_count: 1});
    expect(Number.isInteger(segment.id)).toBe(true);

    // Adding through the segment shows up as the member's tag, and removing the member there removes the tag.
    await api()
      .post(`/3.0/lists/${listId}/segments/${segment.id}`)
      .set('Authorization', ts.auth)
      .send({members_to_add: ['other@shop.test']});
    const otherTags = await api().get(tagsOf('other@shop.test')).set('Authorization', ts.auth);
    expect(otherTags.body.tags.map((t: {id: number}) => t.id)).toEqual([segment.id]);
    await api()
      .post(`/3.0/lists/${listId}/segments/${segment.id}`)
      .set('Authorization', ts.auth)
      .send({members_to_remove: ['tag@shop.test']});
    expect((await api().get(tagsOf('tag@shop.test')).set('Authorization', ts.auth)).body.total_items).toBe(0);

    // Deleting the segment deletes the tag from everyone.
    await api().delete(`/3.0/lists/${listId}/segments/${segment.id}`).set('Authorization', ts.auth);
    expect((await api().get(tagsOf('other@shop.test')).set('Authorization', ts.auth)).body.tags).toEqual([]);
  });

  it("keeps a member's tags across an address change", async () => {
    await api()
      .post(tagsOf('tag@shop.test'))
      .set('Authorization', ts.auth)
      .send({tags: [{name: 'Loyal', status: 'active'}]});
    await api()
      .patch(`/3.0/lists/${listId}/members/${hashOf('tag@shop.test')}`)
      .set('Authorization', ts.auth)
      .send({email_address: 'renamed@shop.test'});
    const tags = await api().get(tagsOf('renamed@shop.test')).set('Authorization', ts.auth);
    expect(tags.body.tags.map((t: {name: string}) => t.name)).toEqual(['Loyal']);
  });

  it('searches tags by name', async () => {
    await api()
      .post(tagsOf('tag@shop.test'))
      .set('Authorization', ts.auth)
      .send({tags: ['Summer sale', 'Winter sale', 'VIP'].map((name) => ({name, status: 'active'}))});
    const res = await api().get(`/3.0/lists/${listId}/tag-search?name=sale`).set('Authorization', ts.auth);
    expect(res.status).toBe(200);
    expect(res.body.total_items).toBe(2);
    expect(res.body.tags.map((t: {name: string}) => t.name)).toEqual(['Summer sale', 'Winter sale']);
  });
});
